"""Stored documents: PDFs rendered once per content, served as files (see services)."""
