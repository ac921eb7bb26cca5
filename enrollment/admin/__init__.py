"""The registrar's console for enrolment. Every write goes through enrollment.services."""

from enrollment.admin import (  # noqa: F401
    applications,
    conduct,
    enrolments,
    learners,
    privacy,
    rounds,
)
