"""The training office's console: calendar, programs, classes, sections (one module each)."""

# Grading (issue 7): gradebooks, amendments, results — in training/admin_grading.py.
from training import admin_grading  # noqa: F401
from training.admin import calendar, classes, programs, sections  # noqa: F401
