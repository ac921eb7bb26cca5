"""The training office's console, one module per concern: calendar, programs, modules,
classes, sections."""

from training.admin import (  # noqa: F401
    calendar,
    certificates,
    classes,
    modules,
    programs,
    sections,
)
