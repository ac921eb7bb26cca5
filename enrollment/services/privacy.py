"""Personal data by the Personal Data Protection Law (91/2025/QH15) and Decree 356/2025:
retention of applicants not admitted, a learner's copy of their data, their requests to
correct it and the office's answers.

Retention: the personal data of an applicant who was not admitted are needed only for the
round. Once the round has closed and ENROLLMENT_RETENTION_DAYS have passed, the nightly
task de-identifies the application (identity, contact, school, consent details, decision
texts) and deletes its documents, its log and its history rows. What admission statistics
count stays: round, status, wishes, admitted occupation, gender, ethnic group, province,
education level. Each run over a round is logged as a count (RetentionErasure), never a
name.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enrollment.models import (
    AdmissionRound,
    Application,
    ApplicationDocument,
    ApplicationLog,
    ApplicationStatus,
    CorrectableField,
    CorrectionRequest,
    CorrectionStatus,
    Learner,
    RetentionErasure,
)

logger = logging.getLogger(__name__)

# An application in one of these states holds or held a place: its data go with the learner.
KEPT_STATUSES = (ApplicationStatus.ADMITTED, ApplicationStatus.ENROLLED)
ERASED_TEXT = ""
ERASED_NAME = "—"

# =============================================================================
# Retention
# =============================================================================


def retention_cutoff(today: date) -> date:
    """A round that closed before this day is past its retention period."""
    return today - timedelta(days=settings.ENROLLMENT_RETENTION_DAYS)


def _erasable():
    """Applications not yet erased of applicants who were not admitted."""
    return Application.objects.filter(erased_at__isnull=True).exclude(status__in=KEPT_STATUSES)


def applications_erase_expired(*, today: date | None = None) -> int:
    """Erase every round past its retention period; the number of applications erased."""
    today = today or timezone.localdate()
    rounds = AdmissionRound.objects.filter(
        closes_on__lt=retention_cutoff(today),
        pk__in=_erasable().values("round"),
    ).order_by("closes_on", "pk")
    return sum(round_applications_erase(round=r).applications for r in rounds)


def round_applications_erase(*, round: AdmissionRound) -> RetentionErasure:
    """De-identify the applications of `round` not admitted, delete their documents, log
    the count. One transaction; the files go once it commits."""
    with transaction.atomic():
        ids = list(_erasable().filter(round=round).select_for_update().values_list(
            "pk", flat=True))
        documents = ApplicationDocument.objects.filter(application_id__in=ids)
        files = [name for name in documents.values_list("file", flat=True) if name]
        document_count = documents.count()
        documents.delete()
        ApplicationLog.objects.filter(application_id__in=ids).delete()
        Application.objects.filter(pk__in=ids).update(
            full_name=ERASED_NAME, date_of_birth=None, national_id=ERASED_TEXT,
            address=ERASED_TEXT, phone=ERASED_TEXT, email=ERASED_TEXT,
            school_name=ERASED_TEXT, graduation_year=None,
            decision_reason=ERASED_TEXT, changes_requested=ERASED_TEXT,
            guardian_name=ERASED_TEXT, guardian_relation=ERASED_TEXT,
            guardian_phone=ERASED_TEXT, consent_text=ERASED_TEXT,
            erased_at=timezone.now(), updated_at=timezone.now(),
        )
        # The history rows copy every earlier version, personal data included.
        Application.pgh_event_model.objects.filter(pgh_obj_id__in=ids).delete()
        erasure = RetentionErasure.objects.create(round=round, applications=len(ids),
                                                  documents=document_count)
        transaction.on_commit(lambda: _delete_files(files))
    # Counts and the round only: the log carries no personal data.
    logger.info("retention: round %s, %d applications erased, %d documents deleted",
                round.pk, len(ids), document_count)
    return erasure


def _delete_files(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)


# =============================================================================
# A learner's own data
# =============================================================================


def learner_personal_data(learner: Learner) -> dict:
    """Everything the college keeps about the learner as a person, in plain values: the
    copy the learner downloads (JSON, PDF)."""
    learner = (Learner.objects.select_related("ethnic_group", "province", "user")
               .get(pk=learner.pk))
    enrollments = learner.enrollments.select_related("occupation").prefetch_related(
        "status_changes").order_by("admission_year", "pk")
    return {
        "learner": {
            "code": learner.code,
            "full_name": learner.full_name,
            "date_of_birth": learner.date_of_birth.isoformat(),
            "gender": learner.gender,
            "national_id": learner.national_id or "",
            "ethnic_group": learner.ethnic_group.name_vi if learner.ethnic_group_id else "",
            "nationality": learner.nationality,
            "province": learner.province.name_vi if learner.province_id else "",
            "address": learner.address,
            "phone": learner.phone,
            "email": learner.email,
            "login": learner.user.username if learner.user_id else "",
        },
        "enrollments": [{
            "occupation_code": e.occupation.code,
            "occupation": e.occupation.display_name,
            "level": e.level,
            "admission_year": e.admission_year,
            "mode": e.mode,
            "status": e.status,
            "start_date": e.start_date.isoformat() if e.start_date else None,
            "status_history": [{
                "effective_date": c.effective_date.isoformat(), "to_status": c.to_status,
                "decision_number": c.decision_number, "reason": c.reason,
            } for c in e.status_changes.all()],
        } for e in enrollments],
        "correction_requests": [{
            "field": r.field, "proposed_value": r.proposed_value, "note": r.note,
            "status": r.status, "requested_at": r.requested_at.isoformat(),
            "due_on": r.due_on.isoformat(), "answer": r.answer,
        } for r in learner.correction_requests.order_by("requested_at", "pk")],
    }


# =============================================================================
# Correction requests
# =============================================================================

PROPOSED_VALUE_REQUIRED = _("Write the correct value.")
ANSWER_REQUIRED = _("Write the answer the learner will read.")
ALREADY_ANSWERED = _("This request has already been answered.")


def correction_due_on(requested_on: date) -> date:
    return requested_on + timedelta(days=settings.PERSONAL_DATA_CORRECTION_DAYS)


def correction_request_submit(*, learner: Learner, field: str, proposed_value: str,
                              note: str = "", today: date | None = None) -> CorrectionRequest:
    today = today or timezone.localdate()
    proposed_value = (proposed_value or "").strip()
    errors = {}
    if field not in CorrectableField.values:
        errors["field"] = ValidationError(_("Choose a field."), code="invalid")
    if not proposed_value:
        errors["proposed_value"] = ValidationError(PROPOSED_VALUE_REQUIRED, code="required")
    if errors:
        raise ValidationError(errors)
    return CorrectionRequest.objects.create(
        learner=learner, field=field, proposed_value=proposed_value[:300],
        note=(note or "").strip(), due_on=correction_due_on(today),
    )


def correction_request_answer(*, request: CorrectionRequest, status: str, answer: str,
                              by) -> CorrectionRequest:
    """The office's answer: corrected (the record itself is changed through
    `learner_update`) or refused, with a text the learner reads."""
    answer = (answer or "").strip()
    if status not in (CorrectionStatus.CORRECTED, CorrectionStatus.REFUSED):
        raise ValidationError({"status": ValidationError(_("Choose corrected or refused."),
                                                         code="invalid")})
    if not answer:
        raise ValidationError({"answer": ValidationError(ANSWER_REQUIRED, code="required")})
    with transaction.atomic():
        request = CorrectionRequest.objects.select_for_update().get(pk=request.pk)
        if request.status != CorrectionStatus.OPEN:
            raise ValidationError(ALREADY_ANSWERED, code="answered")
        request.status, request.answer = status, answer
        request.answered_at, request.answered_by = timezone.now(), by
        request.save(update_fields=["status", "answer", "answered_at", "answered_by"])
    return request
