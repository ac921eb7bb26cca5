"""The training office's console, one module per concern: calendar, programs, modules,
classes, sections."""

from training.admin import calendar, classes, modules, programs, sections  # noqa: F401
