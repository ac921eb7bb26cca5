"""Admission use cases: rounds and quotas, online applications, admission decisions.

Every function is one transaction. Decisions lock the application row; admissions also
lock the quota rows (SELECT ... FOR UPDATE, in id order), so two registrars admitting at
the same moment can never exceed a quota.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enrollment.models import (
    AdmissionRound,
    Application,
    ApplicationDocument,
    ApplicationLog,
    ApplicationStatus,
    ApplicationWish,
    DocumentKind,
    RoundQuota,
    new_tracking_code,
)
from enrollment.services.common import (
    age_error,
    clean_date_of_birth,
    clean_full_name,
    clean_national_id,
    normalize_name,
)
from vetschool.reference.models import Occupation
from vetschool.uploads import validate_document

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
_HOLDS_A_PLACE = (ApplicationStatus.ADMITTED, ApplicationStatus.ENROLLED)


# =============================================================================
# Rounds and quotas
# =============================================================================


def admission_round_save(*, round: AdmissionRound, by) -> AdmissionRound:
    """Create or change a round (dates, name, publication); the DB checks the dates."""
    with transaction.atomic():
        round.name = normalize_name(round.name)
        round.full_clean()
        round.save()
    return round


def admitted_counts(round: AdmissionRound) -> dict[int, int]:
    """Occupation id → applicants holding a place (admitted or enrolled) in the round."""
    rows = (
        Application.objects.filter(round=round, status__in=_HOLDS_A_PLACE)
        .values("admitted_occupation")
        .annotate(n=Count("id"))
    )
    return {row["admitted_occupation"]: row["n"] for row in rows}


def round_quota_problems(*, round: AdmissionRound,
                         places: Mapping[Occupation, int]) -> list[ValidationError]:
    """Why `places` (occupation → places) cannot become the round's quotas, if at all.

    A quota never goes below the places already taken, and an occupation that applicants
    chose cannot be removed.
    """
    if round.pk is None:
        return []
    problems = []
    wanted = {occupation.pk: n for occupation, n in places.items()}
    taken = admitted_counts(round)
    removed = RoundQuota.objects.filter(round=round).exclude(occupation_id__in=wanted)
    for quota in removed.select_related("occupation"):
        if ApplicationWish.objects.filter(application__round=round,
                                          occupation_id=quota.occupation_id).exists():
            problems.append(ValidationError(QUOTA_HAS_APPLICATIONS, code="in_use",
                                            params={"occupation": quota.occupation}))
    for occupation, n in places.items():
        if n < taken.get(occupation.pk, 0):
            problems.append(ValidationError(
                QUOTA_BELOW_ADMITTED, code="below_admitted",
                params={"occupation": occupation, "admitted": taken[occupation.pk]},
            ))
    return problems


def round_quotas_set(*, round: AdmissionRound, places: Mapping[Occupation, int], by) -> None:
    """Make the round's quotas exactly `places` (occupation → places), or change nothing."""
    with transaction.atomic():
        # Lock the round's quotas first: an admission counting places waits for us.
        existing = {
            q.occupation_id: q
            for q in RoundQuota.objects.select_for_update().filter(round=round).order_by("id")
        }
        problems = round_quota_problems(round=round, places=places)
        if problems:
            raise ValidationError(problems)
        wanted = {occupation.pk: (occupation, n) for occupation, n in places.items()}
        for occupation_id, quota in existing.items():
            if occupation_id not in wanted:
                quota.delete()
        for occupation_id, (occupation, n) in wanted.items():
            quota = existing.get(occupation_id)
            if quota is None:
                RoundQuota.objects.create(round=round, occupation=occupation, places=n)
            elif quota.places != n:
                quota.places = n
                quota.save(update_fields=["places"])


# =============================================================================
# Online application
# =============================================================================


def application_submit(
    *,
    round: AdmissionRound,
    full_name: str,
    date_of_birth: date,
    gender: str,
    national_id: str,
    ethnic_group,
    province,
    address: str,
    phone: str,
    email: str = "",
    education_level: str,
    school_name: str,
    graduation_year: int | None = None,
    wishes: Sequence[Occupation | None],
    documents: Iterable[tuple[str, UploadedFile]],
    today: date | None = None,
) -> Application:
    """Record an online application; raise ValidationError keyed by form field.

    Keys: the model fields, `wish_1`..`wish_3`, `document_<kind>` and `__all__`.
    Nothing is written, files included, unless everything is valid.
    """
    today = today or timezone.localdate()
    documents = [(kind, upload) for kind, upload in documents if upload]
    errors: dict[str, list] = {}

    def fail(field, error):
        errors.setdefault(field, []).append(error)

    if not round.is_open_on(today):
        fail("__all__", ValidationError(ROUND_CLOSED, code="round_closed"))
    try:
        full_name = clean_full_name(full_name)
    except ValidationError as exc:
        fail("full_name", exc)
    try:
        clean_date_of_birth(date_of_birth, today=today)
    except ValidationError as exc:
        fail("date_of_birth", exc)
    try:
        national_id = clean_national_id(national_id, date_of_birth=date_of_birth, gender=gender)
    except ValidationError as exc:
        fail("national_id", exc)
    chosen = _clean_wishes(round, wishes, date_of_birth, fail)
    checked_documents = _clean_documents(documents, fail)
    if not errors and Application.objects.filter(round=round, national_id=national_id).exists():
        fail("national_id", ValidationError(DUPLICATE_APPLICATION, code="duplicate"))
    if errors:
        raise ValidationError(errors)

    stored: list[str] = []
    try:
        with transaction.atomic():
            application = Application(
                round=round, tracking_code=_free_tracking_code(round.year),
                full_name=full_name, date_of_birth=date_of_birth, gender=gender,
                national_id=national_id, ethnic_group=ethnic_group, province=province,
                address=normalize_name(address), phone=normalize_name(phone),
                email=(email or "").strip(), education_level=education_level,
                school_name=normalize_name(school_name), graduation_year=graduation_year,
            )
            try:
                with transaction.atomic():
                    application.save()
            except IntegrityError as exc:
                # Two submissions at the same moment: the unique constraint decides.
                raise ValidationError(
                    {"national_id": ValidationError(DUPLICATE_APPLICATION, code="duplicate")}
                ) from exc
            ApplicationWish.objects.bulk_create(
                ApplicationWish(application=application, rank=rank, occupation=occupation)
                for rank, occupation in enumerate(chosen, start=1)
            )
            _store_documents(application, checked_documents, stored)
            _log(application, ApplicationLog.SUBMITTED)
    except BaseException:
        _delete_files(stored)
        raise
    return application


def _clean_wishes(round, wishes, date_of_birth, fail) -> list[Occupation]:
    offered = set(RoundQuota.objects.filter(round=round).values_list("occupation_id", flat=True))
    wishes = list(wishes)[:MAX_WISHES]
    chosen: list[Occupation] = []
    gap = False
    for rank, occupation in enumerate(wishes, start=1):
        field = f"wish_{rank}"
        if occupation is None:
            gap = True
            continue
        if gap:
            fail(field, ValidationError(WISH_GAP, code="gap"))
        elif occupation.pk not in offered:
            fail(field, ValidationError(WISH_NOT_OFFERED, code="not_offered"))
        elif occupation in chosen:
            fail(field, ValidationError(WISH_REPEATED, code="repeated"))
        else:
            too_young = date_of_birth and age_error(
                date_of_birth, level=occupation.level, admission_year=round.year
            )
            if too_young:
                fail(field, too_young)
            chosen.append(occupation)
    if not wishes or wishes[0] is None:
        fail("wish_1", ValidationError(WISH_REQUIRED, code="required"))
    return chosen


def _clean_documents(documents, fail) -> list[tuple[str, UploadedFile, str]]:
    checked = []
    for kind, upload in documents:
        try:
            checked.append((kind, upload, validate_document(upload)))
        except ValidationError as exc:
            fail(f"document_{kind}", exc)
    given = {kind for kind, _upload in documents}
    for kind in REQUIRED_DOCUMENTS:
        if kind not in given:
            fail(f"document_{kind}", ValidationError(DOCUMENT_REQUIRED, code="required"))
    return checked


def _store_documents(application, checked, stored: list[str]) -> None:
    for kind, upload, content_type in checked:
        upload.seek(0)
        document = ApplicationDocument(
            application=application, kind=kind, content_type=content_type,
            original_name=(upload.name or "")[-200:], size=upload.size,
        )
        document.file.save(upload.name, upload, save=False)
        stored.append(document.file.name)
        document.save()


def _delete_files(names: list[str]) -> None:
    from django.core.files.storage import default_storage

    for name in names:
        default_storage.delete(name)


def _free_tracking_code(year: int) -> str:
    while True:
        code = new_tracking_code(year)
        if not Application.objects.filter(tracking_code=code).exists():
            return code


def application_respond(*, application: Application, note: str = "",
                        documents: Iterable[tuple[str, UploadedFile]] = ()) -> Application:
    """The applicant answers a request for changes with documents and/or a note."""
    documents = [(kind, upload) for kind, upload in documents if upload]
    note = (note or "").strip()
    errors: dict[str, list] = {}

    def fail(field, error):
        errors.setdefault(field, []).append(error)

    checked = []
    for kind, upload in documents:
        try:
            checked.append((kind, upload, validate_document(upload)))
        except ValidationError as exc:
            fail(f"document_{kind}", exc)
    if not documents and not note:
        fail("__all__", ValidationError(RESPONSE_EMPTY, code="empty"))
    if errors:
        raise ValidationError(errors)

    stored: list[str] = []
    try:
        with transaction.atomic():
            application = _locked(application)
            if application.status != ApplicationStatus.CHANGES_REQUESTED:
                raise ValidationError(NO_CHANGES_PENDING, code="no_changes_pending")
            _store_documents(application, checked, stored)
            application.status = ApplicationStatus.SUBMITTED
            application.changes_requested = ""
            application.save(update_fields=["status", "changes_requested", "updated_at"])
            _log(application, ApplicationLog.RESUBMITTED, note)
    except BaseException:
        _delete_files(stored)
        raise
    return application


# =============================================================================
# Decisions
# =============================================================================


def application_request_changes(*, application: Application, message: str, by) -> Application:
    message = (message or "").strip()
    if not message:
        raise ValidationError({"message": ValidationError(MESSAGE_REQUIRED, code="required")})
    with transaction.atomic():
        application = _locked(application)
        require_transition(application, ApplicationStatus.CHANGES_REQUESTED)
        application.changes_requested = message
        _decide(application, ApplicationStatus.CHANGES_REQUESTED, by, reason=None)
        _log(application, ApplicationLog.CHANGES_REQUESTED, message, by)
    return application


def application_waitlist(*, application: Application, by, reason: str = "") -> Application:
    with transaction.atomic():
        application = _locked(application)
        require_transition(application, ApplicationStatus.WAITLISTED)
        application.admitted_occupation = None
        _decide(application, ApplicationStatus.WAITLISTED, by, reason=reason)
        _log(application, ApplicationLog.WAITLISTED, reason, by)
    return application


def application_reject(*, application: Application, by, reason: str) -> Application:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": ValidationError(REASON_REQUIRED, code="required")})
    with transaction.atomic():
        application = _locked(application)
        require_transition(application, ApplicationStatus.REJECTED)
        application.admitted_occupation = None
        _decide(application, ApplicationStatus.REJECTED, by, reason=reason)
        _log(application, ApplicationLog.REJECTED, reason, by)
    return application


def application_admit(*, application: Application, by, occupation: Occupation | None = None,
                      reason: str = "") -> Application:
    """Admit to `occupation` (one of the wishes) or to the best-ranked wish with a place left.

    The quota rows of the candidate occupations are locked FOR UPDATE (in id order, like
    every other admission) before places are counted, so concurrent admissions queue up.
    """
    with transaction.atomic():
        application = _locked(application)
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
        taken = _taken_places(application.round_id, list(quotas))
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
        _decide(application, ApplicationStatus.ADMITTED, by, reason=reason)
        _log(application, ApplicationLog.ADMITTED, f"{chosen}. {reason}".strip(" ."), by)
    return application


def _taken_places(round_id: int, occupation_ids: list[int]) -> dict[int, int]:
    rows = (
        Application.objects.filter(
            round_id=round_id, status__in=_HOLDS_A_PLACE,
            admitted_occupation_id__in=occupation_ids,
        )
        .values("admitted_occupation_id")
        .annotate(n=Count("id"))
    )
    return {row["admitted_occupation_id"]: row["n"] for row in rows}


def _locked(application: Application) -> Application:
    return Application.objects.select_for_update().get(pk=application.pk)


def require_transition(application: Application, to: str) -> None:
    if to not in _ALLOWED[ApplicationStatus(application.status)]:
        raise ValidationError(
            NOT_DECIDABLE, code="not_decidable",
            params={"status": ApplicationStatus(application.status).label.lower(),
                    "action": _ACTION_VERBS[to]},
        )


def _decide(application: Application, status: str, by, *, reason: str | None) -> None:
    application.status = status
    if reason is not None:
        application.decision_reason = (reason or "").strip()
    application.decided_at = timezone.now()
    application.decided_by = by
    application.save()


def _log(application: Application, action: str, message: str = "", by=None) -> None:
    ApplicationLog.objects.create(
        application=application, action=action, message=message or "", by=by
    )
