"""Admission decisions: ask for changes, waiting list, refusal, admission within the
quota (quota rows locked in id order, so two registrars never exceed it).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from enrollment.models import Application, ApplicationLog, ApplicationStatus, RoundQuota
from enrollment.services.admission.common import (
    MESSAGE_REQUIRED,
    NOT_A_WISH,
    QUOTA_FULL,
    REASON_REQUIRED,
    application_for_update,
    log_application,
    record_decision,
    require_transition,
    taken_places,
)
from vetschool.reference.models import Occupation


def application_request_changes(*, application: Application, message: str, by) -> Application:
    message = (message or "").strip()
    if not message:
        raise ValidationError({"message": ValidationError(MESSAGE_REQUIRED, code="required")})
    with transaction.atomic():
        application = application_for_update(application)
        require_transition(application, ApplicationStatus.CHANGES_REQUESTED)
        application.changes_requested = message
        record_decision(application, ApplicationStatus.CHANGES_REQUESTED, by, reason=None)
        log_application(application, ApplicationLog.CHANGES_REQUESTED, message, by)
    return application


def application_waitlist(*, application: Application, by, reason: str = "") -> Application:
    with transaction.atomic():
        application = application_for_update(application)
        require_transition(application, ApplicationStatus.WAITLISTED)
        application.admitted_occupation = None
        record_decision(application, ApplicationStatus.WAITLISTED, by, reason=reason)
        log_application(application, ApplicationLog.WAITLISTED, reason, by)
    return application


def application_reject(*, application: Application, by, reason: str) -> Application:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": ValidationError(REASON_REQUIRED, code="required")})
    with transaction.atomic():
        application = application_for_update(application)
        require_transition(application, ApplicationStatus.REJECTED)
        application.admitted_occupation = None
        record_decision(application, ApplicationStatus.REJECTED, by, reason=reason)
        log_application(application, ApplicationLog.REJECTED, reason, by)
    return application


def application_admit(*, application: Application, by, occupation: Occupation | None = None,
                      reason: str = "") -> Application:
    """Admit to `occupation` (one of the wishes) or to the best-ranked wish with a place left.

    The quota rows of the candidate occupations are locked FOR UPDATE (in id order, like
    every other admission) before places are counted, so concurrent admissions queue up.
    """
    with transaction.atomic():
        application = application_for_update(application)
        require_transition(application, ApplicationStatus.ADMITTED)
        wishes = [w.occupation for w in application.wishes.select_related("occupation")]
        if occupation is not None:
            if occupation not in wishes:
                raise ValidationError(NOT_A_WISH, code="not_a_wish",
                                      params={"occupation": occupation})
            candidates = [occupation]
        else:
            candidates = wishes
        quotas = {
            q.occupation_id: q
            for q in RoundQuota.objects.select_for_update()
            .filter(round_id=application.round_id, occupation__in=candidates)
            .order_by("id")
        }
        taken = taken_places(application.round_id, list(quotas))
        chosen = next(
            (o for o in candidates
             if o.pk in quotas and taken.get(o.pk, 0) < quotas[o.pk].places),
            None,
        )
        if chosen is None:
            raise ValidationError(
                QUOTA_FULL, code="quota_full",
                params={"occupations": ", ".join(str(o) for o in candidates)},
            )
        application.admitted_occupation = chosen
        record_decision(application, ApplicationStatus.ADMITTED, by, reason=reason)
        log_application(application, ApplicationLog.ADMITTED, f"{chosen}. {reason}".strip(" ."), by)
    return application
