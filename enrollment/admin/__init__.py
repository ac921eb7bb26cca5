"""The registrar's console for enrolment. Every write goes through enrollment.services."""

from enrollment.admin import applications, conduct, enrolments, learners, rounds  # noqa: F401
