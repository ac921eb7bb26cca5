"""What the admission services share: their messages, which decision may follow which
status, and the application row helpers (lock, decide, log).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enrollment.models import Application, ApplicationLog, ApplicationStatus, DocumentKind

MAX_WISHES = 3
REQUIRED_DOCUMENTS = (DocumentKind.ID_CARD, DocumentKind.CERTIFICATE)

# --- Messages (tests assert on them) ------------------------------------------------------
ROUND_CLOSED = _("This admission round is not open for applications.")
DUPLICATE_APPLICATION = _(
    "An application with this personal ID number already exists in this round. Use the "
    "tracking code you received to follow it; it cannot be submitted twice."
)
WISH_REQUIRED = _("Choose at least your first wish.")
WISH_NOT_OFFERED = _("This occupation is not offered in this round.")
WISH_REPEATED = _("This occupation is already one of your wishes.")
WISH_GAP = _("Fill the wishes in order: a later wish needs the one before it.")
DOCUMENT_REQUIRED = _("This document is required.")
NOT_DECIDABLE = _("An application that is %(status)s cannot be %(action)s.")
REASON_REQUIRED = _("Give the reason.")
MESSAGE_REQUIRED = _("Say what the applicant must change or add.")
QUOTA_FULL = _("No place left for %(occupations)s in this round (quota reached).")
NOT_A_WISH = _("The applicant did not choose %(occupation)s.")
NO_CHANGES_PENDING = _("No changes were requested on this application.")
CONSENT_REQUIRED = _("You must agree to the processing of your personal data to apply: "
                     "without it the college cannot review the application.")
GUARDIAN_REQUIRED = _("The applicant is under %(age)s: give the name of a legal "
                      "representative (father, mother or guardian) and their consent.")
GUARDIAN_PHONE_REQUIRED = _("Give a phone number of the legal representative.")
GUARDIAN_RELATION_REQUIRED = _("Say how the legal representative is related to the applicant.")
GUARDIAN_CONSENT_REQUIRED = _("The legal representative must agree to the processing of the "
                              "applicant's personal data.")
RESPONSE_EMPTY = _("Add a document or a note for the admissions office.")
QUOTA_BELOW_ADMITTED = _(
    "The quota of %(occupation)s cannot be lower than the %(admitted)s applicants already "
    "admitted."
)
QUOTA_HAS_APPLICATIONS = _(
    "%(occupation)s cannot be removed from the round: applicants chose it."
)

# Which decision may follow which status.
_ALLOWED = {
    ApplicationStatus.SUBMITTED: {
        ApplicationStatus.CHANGES_REQUESTED, ApplicationStatus.ADMITTED,
        ApplicationStatus.WAITLISTED, ApplicationStatus.REJECTED,
    },
    ApplicationStatus.CHANGES_REQUESTED: {
        ApplicationStatus.SUBMITTED, ApplicationStatus.CHANGES_REQUESTED,
        ApplicationStatus.ADMITTED, ApplicationStatus.WAITLISTED, ApplicationStatus.REJECTED,
    },
    ApplicationStatus.WAITLISTED: {
        ApplicationStatus.CHANGES_REQUESTED, ApplicationStatus.ADMITTED,
        ApplicationStatus.REJECTED,
    },
    # An admission can be withdrawn (e.g. the applicant declines), releasing the place.
    ApplicationStatus.ADMITTED: {
        ApplicationStatus.ENROLLED, ApplicationStatus.WAITLISTED, ApplicationStatus.REJECTED,
    },
    # On appeal.
    ApplicationStatus.REJECTED: {ApplicationStatus.ADMITTED, ApplicationStatus.WAITLISTED},
    ApplicationStatus.ENROLLED: set(),
}
_ACTION_VERBS = {
    ApplicationStatus.CHANGES_REQUESTED: _("asked for changes"),
    ApplicationStatus.ADMITTED: _("admitted"),
    ApplicationStatus.WAITLISTED: _("put on the waiting list"),
    ApplicationStatus.REJECTED: _("refused"),
    ApplicationStatus.ENROLLED: _("enrolled"),
    ApplicationStatus.SUBMITTED: _("sent back"),
}
HOLDS_A_PLACE = (ApplicationStatus.ADMITTED, ApplicationStatus.ENROLLED)


def taken_places(round_id: int, occupation_ids: list[int]) -> dict[int, int]:
    rows = (
        Application.objects.filter(
            round_id=round_id, status__in=HOLDS_A_PLACE,
            admitted_occupation_id__in=occupation_ids,
        )
        .values("admitted_occupation_id")
        .annotate(n=Count("id"))
    )
    return {row["admitted_occupation_id"]: row["n"] for row in rows}


def application_for_update(application: Application) -> Application:
    return Application.objects.select_for_update().get(pk=application.pk)


def require_transition(application: Application, to: str) -> None:
    if to not in _ALLOWED[ApplicationStatus(application.status)]:
        raise ValidationError(
            NOT_DECIDABLE, code="not_decidable",
            params={"status": ApplicationStatus(application.status).label.lower(),
                    "action": _ACTION_VERBS[to]},
        )


def record_decision(application: Application, status: str, by, *, reason: str | None) -> None:
    application.status = status
    if reason is not None:
        application.decision_reason = (reason or "").strip()
    application.decided_at = timezone.now()
    application.decided_by = by
    application.save()


def log_application(application: Application, action: str, message: str = "", by=None) -> None:
    ApplicationLog.objects.create(
        application=application, action=action, message=message or "", by=by
    )
