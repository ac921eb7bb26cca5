"""Disciplinary decisions and graduation holds (REGULATIONS §2.4, §4.1 d, §4.3 c), each
written in one transaction by the training office.

An expulsion sets the enrolment's status through the status service (its own decision, the
same number and date); revoking it restores the previous status by a correction when the
expulsion is still the latest status change. Recording or revoking a decision tells the
apps above (`enrollment.signals.conduct_changed`), so grading recomputes the semester
classifications in the same transaction.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enrollment.models import (
    DisciplineLevel,
    DisciplineRecord,
    Enrollment,
    EnrollmentStatus,
    GraduationHold,
)
from enrollment.rules import require_conduct_office
from enrollment.services.learners import (
    DATE_IN_FUTURE,
    enrollment_change_status,
    enrollment_status_revert,
)
from enrollment.services.learners.common import require_decision
from enrollment.signals import conduct_changed

REASON_REQUIRED = _("Give the reason.")
TERM_REQUIRED = _("A suspension needs the first and the last day of its term, in order.")
NO_TERM = _("Only a suspension has a term.")
GRADUATED = _("The learner has graduated; a decision on them is not recorded here.")
ALREADY_REVOKED = _("This decision has already been revoked.")
ALREADY_LIFTED = _("This hold has already been lifted.")
REFERENCE_REQUIRED = _("Name the document the hold rests on.")
LIFT_BEFORE_SINCE = _("A hold cannot be lifted before it began.")
EXPULSION_REASON = _("Disciplinary expulsion, decision %(number)s: %(reason)s")


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": ValidationError(REASON_REQUIRED, code="required")})
    return reason


def _not_future(field: str, day: date | None) -> None:
    if day is not None and day > timezone.localdate():
        raise ValidationError({field: ValidationError(DATE_IN_FUTURE, code="future")})


def discipline_record(*, enrollment: Enrollment, level: str, decision_number: str,
                      decision_date: date, reason: str, by, art17_excluded: bool = False,
                      suspended_from: date | None = None,
                      suspended_until: date | None = None) -> DisciplineRecord:
    """Record a disciplinary decision; an expulsion also expels the enrolment."""
    require_conduct_office(by)
    decision_number = require_decision(decision_number, decision_date)
    reason = _reason(reason)
    if level not in DisciplineLevel.values:
        raise ValidationError({"level": ValidationError(
            _("Choose a disciplinary form."), code="invalid")})
    if level == DisciplineLevel.SUSPENSION:
        if not (suspended_from and suspended_until and suspended_until > suspended_from):
            raise ValidationError({"suspended_until": ValidationError(TERM_REQUIRED,
                                                                      code="term")})
    elif suspended_from or suspended_until:
        raise ValidationError({"suspended_from": ValidationError(NO_TERM, code="no_term")})
    with transaction.atomic():
        locked = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
        if locked.status == EnrollmentStatus.GRADUATED:
            raise ValidationError(GRADUATED, code="graduated")
        status_change = None
        if level == DisciplineLevel.EXPULSION:
            status_change = enrollment_change_status(
                enrollment=locked, status=EnrollmentStatus.EXPELLED,
                decision_number=decision_number, decision_date=decision_date,
                reason=str(EXPULSION_REASON % {"number": decision_number, "reason": reason}),
                by=by, effective_date=decision_date)
        record = DisciplineRecord.objects.create(
            enrollment=locked, level=level, decision_number=decision_number,
            decision_date=decision_date, reason=reason, art17_excluded=art17_excluded,
            suspended_from=suspended_from, suspended_until=suspended_until,
            status_change=status_change, recorded_by=by)
        conduct_changed.send(sender=DisciplineRecord, enrollment_ids=[locked.pk], by=by)
    return record


def discipline_revoke(*, record: DisciplineRecord, decision_number: str, decision_date: date,
                      reason: str, by) -> DisciplineRecord:
    """Revoke a decision by a later one. A revoked expulsion gives the enrolment back its
    previous status when nothing changed it since."""
    require_conduct_office(by)
    decision_number = require_decision(decision_number, decision_date)
    reason = _reason(reason)
    with transaction.atomic():
        record = DisciplineRecord.objects.select_for_update().get(pk=record.pk)
        if record.revoked:
            raise ValidationError(ALREADY_REVOKED, code="revoked")
        enrollment = Enrollment.objects.select_for_update().get(pk=record.enrollment_id)
        if enrollment.status == EnrollmentStatus.GRADUATED:
            raise ValidationError(GRADUATED, code="graduated")
        if record.status_change_id:
            last = enrollment.status_changes.order_by("-at", "-id").first()
            if last and last.pk == record.status_change_id:
                enrollment_status_revert(enrollment=enrollment, decision_number=decision_number,
                                         decision_date=decision_date, reason=reason, by=by,
                                         effective_date=max(decision_date,
                                                            last.effective_date))
        record.revocation_number = decision_number
        record.revocation_date = decision_date
        record.revocation_reason = reason
        record.revoked_by = by
        record.revoked_at = timezone.now()
        record.save(update_fields=["revocation_number", "revocation_date", "revocation_reason",
                                   "revoked_by", "revoked_at"])
        conduct_changed.send(sender=DisciplineRecord, enrollment_ids=[enrollment.pk], by=by)
    return record


def hold_place(*, enrollment: Enrollment, kind: str, reference: str, since: date, reason: str,
               by) -> GraduationHold:
    """Record a prosecution, or a disciplinary matter pending, that holds back graduation."""
    require_conduct_office(by)
    reference = (reference or "").strip()
    if not reference:
        raise ValidationError({"reference": ValidationError(REFERENCE_REQUIRED,
                                                            code="required")})
    reason = _reason(reason)
    _not_future("since", since)
    hold = GraduationHold(enrollment=enrollment, kind=kind, reference=reference, since=since,
                          reason=reason, recorded_by=by)
    hold.full_clean(exclude=["recorded_by"])
    hold.save()
    return hold


def hold_lift(*, hold: GraduationHold, lifted_on: date, reason: str, by) -> GraduationHold:
    require_conduct_office(by)
    reason = _reason(reason)
    _not_future("lifted_on", lifted_on)
    with transaction.atomic():
        hold = GraduationHold.objects.select_for_update().get(pk=hold.pk)
        if hold.lifted_on is not None:
            raise ValidationError(ALREADY_LIFTED, code="lifted")
        if lifted_on < hold.since:
            raise ValidationError({"lifted_on": ValidationError(LIFT_BEFORE_SINCE,
                                                                code="before")})
        hold.lifted_on, hold.lift_reason = lifted_on, reason
        hold.lifted_by, hold.lifted_at = by, timezone.now()
        hold.save(update_fields=["lifted_on", "lift_reason", "lifted_by", "lifted_at"])
    return hold
