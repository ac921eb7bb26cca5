"""Backups and the restore drill (docs/operations.md): `manage.py backup` writes one
checksummed generation (database dump, uploaded files, signing key, manifest);
`manage.py restore_drill` proves the newest one restores to the same legal records."""
