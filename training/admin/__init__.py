"""The training office's console: calendar, programs, classes, sections (one module each)."""

from training.admin import calendar, classes, programs, sections  # noqa: F401
