"""Enrolment data and status changes, each with its decision; graduation and dismissal
only from their own services.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from enrollment.models import Enrollment, EnrollmentStatusChange, StatusSource
from enrollment.services.learners.common import (
    DATE_IN_FUTURE,
    DISMISSED_ONLY_BY_STANDING,
    EFFECTIVE_BEFORE_LAST,
    END_BEFORE_START,
    GRADUATED_ONLY_BY_DEGREES,
    GRADUATION_REASON,
    NOTHING_TO_REVERT,
    REGISTRAR_TRANSITIONS,
    REVERT_GRADUATION_REFUSED,
    STATUS_REASON_REQUIRED,
    TRANSITION_REFUSED,
    S,
    require_decision,
)


def enrollment_update(*, enrollment: Enrollment, by, mode: str | None = None,
                      start_date: date | None = None,
                      expected_end_date: date | None = None) -> Enrollment:
    """Change the mode or dates of an enrolment (occupation and year are its identity)."""
    with transaction.atomic():
        enrollment = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
        if mode is not None:
            enrollment.mode = mode
        if start_date is not None:
            enrollment.start_date = start_date
        if expected_end_date is not None:
            enrollment.expected_end_date = expected_end_date
        if enrollment.expected_end_date and enrollment.expected_end_date <= enrollment.start_date:
            raise ValidationError({"expected_end_date": ValidationError(END_BEFORE_START)})
        enrollment.full_clean(validate_unique=False, validate_constraints=False)
        enrollment.save()
    return enrollment


def enrollment_change_status(*, enrollment: Enrollment, status: str, decision_number: str,
                             decision_date: date, reason: str, by,
                             effective_date: date | None = None) -> EnrollmentStatusChange:
    """The registrar's status decisions: reserve, suspend, resume, drop out, expel, transfer."""
    if status == S.GRADUATED:
        raise ValidationError({"status": ValidationError(GRADUATED_ONLY_BY_DEGREES,
                                                         code="graduated_by_degrees")})
    if status == S.DISMISSED:
        raise ValidationError({"status": ValidationError(DISMISSED_ONLY_BY_STANDING,
                                                         code="dismissed_by_standing")})
    return _change_status(enrollment, status, decision_number=decision_number,
                          decision_date=decision_date, reason=reason, by=by,
                          effective_date=effective_date, source=StatusSource.REGISTRAR,
                          allowed=REGISTRAR_TRANSITIONS)


def enrollment_graduate(*, enrollment: Enrollment, decision_number: str, decision_date: date,
                        by, effective_date: date | None = None,
                        reason: str = "") -> EnrollmentStatusChange:
    """Reserved to degrees: record the graduation decision on the enrolment."""
    return _change_status(enrollment, S.GRADUATED, decision_number=decision_number,
                          decision_date=decision_date,
                          reason=(reason or "").strip() or str(GRADUATION_REASON), by=by,
                          effective_date=effective_date, source=StatusSource.DEGREES,
                          allowed={S.STUDYING: {S.GRADUATED}})


def enrollment_dismiss_for_results(*, enrollment: Enrollment, decision_number: str,
                                   decision_date: date, reason: str, by,
                                   effective_date: date | None = None) -> EnrollmentStatusChange:
    """Reserved to grading's academic standing (REGULATIONS §3.2): forced dropout."""
    return _change_status(enrollment, S.DISMISSED, decision_number=decision_number,
                          decision_date=decision_date, reason=reason, by=by,
                          effective_date=effective_date, source=StatusSource.STANDING,
                          allowed={S.STUDYING: {S.DISMISSED}})


def enrollment_status_revert(*, enrollment: Enrollment, decision_number: str,
                             decision_date: date, reason: str, by,
                             effective_date: date | None = None) -> EnrollmentStatusChange:
    """Correct the latest status change by a new one that restores the previous status."""
    with transaction.atomic():
        locked = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
        last = locked.status_changes.order_by("-at", "-id").first()
        if last is None or not last.from_status or last.source == StatusSource.CORRECTION:
            raise ValidationError(NOTHING_TO_REVERT, code="nothing_to_revert")
        if last.to_status == S.GRADUATED:
            raise ValidationError(REVERT_GRADUATION_REFUSED, code="graduation")
        return _change_status(locked, last.from_status, decision_number=decision_number,
                              decision_date=decision_date, reason=reason, by=by,
                              effective_date=effective_date, source=StatusSource.CORRECTION,
                              allowed={last.to_status: {last.from_status}}, reverts=last)


def _change_status(enrollment, status, *, decision_number, decision_date, reason, by,
                   effective_date, source, allowed, reverts=None) -> EnrollmentStatusChange:
    # Every status change carries its decision: number, date and reason.
    try:
        decision_number = require_decision(decision_number, decision_date)
        errors = {}
    except ValidationError as exc:
        errors = exc.error_dict
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = [ValidationError(STATUS_REASON_REQUIRED, code="required")]
    if errors:
        raise ValidationError(errors)
    today = timezone.localdate()
    effective_date = effective_date or today
    if effective_date > today:
        raise ValidationError({"effective_date": ValidationError(DATE_IN_FUTURE, code="future")})
    with transaction.atomic():
        enrollment = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
        current = S(enrollment.status)
        if status not in allowed.get(current, set()):
            raise ValidationError({"status": ValidationError(
                TRANSITION_REFUSED, code="transition_refused",
                params={"current": current.label.lower(), "target": S(status).label.lower()},
            )})
        last = enrollment.status_changes.order_by("-effective_date").first()
        floor = max(enrollment.start_date, last.effective_date if last else enrollment.start_date)
        if effective_date < floor:
            raise ValidationError({"effective_date": ValidationError(
                EFFECTIVE_BEFORE_LAST, code="before_last", params={"last": floor},
            )})
        change = EnrollmentStatusChange.objects.create(
            enrollment=enrollment, from_status=current, to_status=status,
            decision_number=decision_number, decision_date=decision_date,
            effective_date=effective_date, reason=reason, source=source, by=by,
            reverts=reverts,
        )
        enrollment.status = status
        enrollment.status_date = effective_date
        enrollment.save(update_fields=["status", "status_date"])
    return change
