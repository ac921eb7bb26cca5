"""The learner's application for a graduation review off the program schedule (REGULATIONS
§4.1 e), submitted from the student portal for one of their own enrolments."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from degrees.models import ApplicationTiming, GraduationApplication
from enrollment.models import Enrollment, EnrollmentStatus

NOT_YOURS = _("You can apply only for your own enrolment.")
NOT_STUDYING = _("Only an enrolment still studying can apply for a graduation review.")
STATEMENT_REQUIRED = _("Say why you finish off the schedule.")
TIMING_REQUIRED = _("Say whether you finish earlier or later than the schedule.")


def graduation_application_submit(*, enrollment: Enrollment, timing: str, statement: str,
                                  by) -> GraduationApplication:
    """Record the application; every later review of the enrolment reads it."""
    if not by.is_authenticated or enrollment.learner.user_id != by.pk:
        raise PermissionDenied(NOT_YOURS)
    statement = (statement or "").strip()
    errors = {}
    if not statement:
        errors["statement"] = ValidationError(STATEMENT_REQUIRED, code="required")
    if timing not in ApplicationTiming.values:
        errors["timing"] = ValidationError(TIMING_REQUIRED, code="required")
    if errors:
        raise ValidationError(errors)
    if enrollment.status != EnrollmentStatus.STUDYING:
        raise ValidationError(NOT_STUDYING, code="not_studying")
    return GraduationApplication.objects.create(enrollment=enrollment, timing=timing,
                                                statement=statement, submitted_by=by)
