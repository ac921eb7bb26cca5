"""Online applications: submission (wishes, documents) and the applicant's response to
a request for changes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from enrollment.consent import (
    CONSENT_GUARDIAN_BELOW_AGE,
    CONSENT_VERSION,
    consent_record,
    needs_guardian_consent,
)
from enrollment.models import (
    AdmissionRound,
    Application,
    ApplicationDocument,
    ApplicationLog,
    ApplicationStatus,
    ApplicationWish,
    RoundQuota,
    new_tracking_code,
)
from enrollment.services.admission.common import (
    CONSENT_REQUIRED,
    DOCUMENT_REQUIRED,
    DUPLICATE_APPLICATION,
    GUARDIAN_CONSENT_REQUIRED,
    GUARDIAN_PHONE_REQUIRED,
    GUARDIAN_RELATION_REQUIRED,
    GUARDIAN_REQUIRED,
    MAX_WISHES,
    NO_CHANGES_PENDING,
    REQUIRED_DOCUMENTS,
    RESPONSE_EMPTY,
    ROUND_CLOSED,
    WISH_GAP,
    WISH_NOT_OFFERED,
    WISH_REPEATED,
    WISH_REQUIRED,
    application_for_update,
    log_application,
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
from vetschool.validators import clean_phone


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
    one_word_name_confirmed: bool = False,
    consent: bool,
    guardian: dict | None = None,
    today: date | None = None,
) -> Application:
    """Record an online application; raise ValidationError keyed by form field.

    Keys: the model fields, `wish_1`..`wish_3`, `document_<kind>` and `__all__`.
    Nothing is written, files included, unless everything is valid. A one-word full name
    needs `one_word_name_confirmed` (the applicant ticked the confirmation); the phone is
    stored in its one form (vetschool.validators.clean_phone).

    `consent` must be given (key `consent`); an applicant under CONSENT_GUARDIAN_BELOW_AGE
    also needs `guardian` = {name, relation, phone, consent} (keys `guardian_<name>`).
    The consent text and its version are stored with the application.
    """
    today = today or timezone.localdate()
    documents = [(kind, upload) for kind, upload in documents if upload]
    consent_errors, guardian = _checked_consent(consent, guardian, date_of_birth, today)
    try:
        full_name, national_id, phone, chosen, checked_documents = _checked_application(
            round, full_name=full_name, date_of_birth=date_of_birth, gender=gender,
            national_id=national_id, phone=phone, wishes=wishes, documents=documents,
            today=today, one_word_name_confirmed=one_word_name_confirmed)
    except ValidationError as error:
        raise ValidationError({**error.error_dict, **consent_errors}) from None
    if consent_errors:
        raise ValidationError(consent_errors)

    stored: list[str] = []
    try:
        with transaction.atomic():
            application = Application(
                round=round, tracking_code=_free_tracking_code(round.year),
                full_name=full_name, date_of_birth=date_of_birth, gender=gender,
                national_id=national_id, ethnic_group=ethnic_group, province=province,
                address=normalize_name(address), phone=phone,
                email=(email or "").strip(), education_level=education_level,
                school_name=normalize_name(school_name), graduation_year=graduation_year,
                consent_version=CONSENT_VERSION,
                consent_text=consent_record(guardian=bool(guardian)),
                consented_at=timezone.now(), **guardian,
            )
            _save_new_application(application)
            ApplicationWish.objects.bulk_create(
                ApplicationWish(application=application, rank=rank, occupation=occupation)
                for rank, occupation in enumerate(chosen, start=1)
            )
            _store_documents(application, checked_documents, stored)
            log_application(application, ApplicationLog.SUBMITTED)
    except BaseException:
        _delete_files(stored)
        raise
    return application


def _checked_consent(consent: bool, guardian: dict | None, born: date | None,
                     today: date) -> tuple[dict[str, list], dict]:
    """(errors keyed by form field, the guardian fields to store)."""
    errors: dict[str, list] = {}
    if not consent:
        errors["consent"] = [ValidationError(CONSENT_REQUIRED, code="consent_required")]
    if not needs_guardian_consent(born, today):
        return errors, {}
    guardian = guardian or {}
    name = normalize_name(guardian.get("name") or "")
    if not name:
        errors["guardian_name"] = [ValidationError(
            GUARDIAN_REQUIRED, code="guardian_required",
            params={"age": CONSENT_GUARDIAN_BELOW_AGE})]
    if not guardian.get("relation"):
        errors["guardian_relation"] = [ValidationError(GUARDIAN_RELATION_REQUIRED,
                                                       code="required")]
    phone = ""
    try:
        phone = clean_phone(guardian.get("phone") or "")
    except ValidationError as exc:
        errors["guardian_phone"] = [exc]
    else:
        if not phone:
            errors["guardian_phone"] = [ValidationError(GUARDIAN_PHONE_REQUIRED,
                                                        code="required")]
    if not guardian.get("consent"):
        errors["guardian_consent"] = [ValidationError(GUARDIAN_CONSENT_REQUIRED,
                                                      code="guardian_consent_required")]
    return errors, {"guardian_name": name, "guardian_relation": guardian.get("relation") or "",
                    "guardian_phone": phone, "guardian_consented": bool(guardian.get("consent"))}


def _checked_application(round: AdmissionRound, *, full_name: str, date_of_birth: date,
                         gender: str, national_id: str, phone: str, wishes, documents,
                         today: date, one_word_name_confirmed: bool
                         ) -> tuple[str, str, str, list[Occupation], list]:
    """(full name, personal ID, phone, wishes, documents) cleaned, or one ValidationError
    with every problem keyed by form field."""
    errors: dict[str, list] = {}

    def fail(field, error):
        errors.setdefault(field, []).append(error)

    if not round.is_open_on(today):
        fail("__all__", ValidationError(ROUND_CLOSED, code="round_closed"))
    try:
        full_name = clean_full_name(full_name, one_word_confirmed=one_word_name_confirmed)
    except ValidationError as exc:
        fail("full_name", exc)
    try:
        clean_date_of_birth(date_of_birth, today=today)
    except ValidationError as exc:
        fail("date_of_birth", exc)
        date_of_birth = None  # no age is computed from it
    try:
        phone = clean_phone(phone)
    except ValidationError as exc:
        fail("phone", exc)
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
    return full_name, national_id, phone, chosen, checked_documents


def _save_new_application(application: Application) -> None:
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError as exc:
        # Two submissions at the same moment: the unique constraint decides.
        raise ValidationError(
            {"national_id": ValidationError(DUPLICATE_APPLICATION, code="duplicate")}
        ) from exc


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


def _checked_uploads(documents, fail) -> list[tuple[str, UploadedFile, str]]:
    """(kind, upload, content type) of each upload that passes the document check."""
    checked = []
    for kind, upload in documents:
        try:
            checked.append((kind, upload, validate_document(upload)))
        except ValidationError as exc:
            fail(f"document_{kind}", exc)
    return checked


def _clean_documents(documents, fail) -> list[tuple[str, UploadedFile, str]]:
    checked = _checked_uploads(documents, fail)
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

    checked = _checked_uploads(documents, fail)
    if not documents and not note:
        fail("__all__", ValidationError(RESPONSE_EMPTY, code="empty"))
    if errors:
        raise ValidationError(errors)

    stored: list[str] = []
    try:
        with transaction.atomic():
            application = application_for_update(application)
            if application.status != ApplicationStatus.CHANGES_REQUESTED:
                raise ValidationError(NO_CHANGES_PENDING, code="no_changes_pending")
            _store_documents(application, checked, stored)
            application.status = ApplicationStatus.SUBMITTED
            application.changes_requested = ""
            application.save(update_fields=["status", "changes_requested", "updated_at"])
            log_application(application, ApplicationLog.RESUBMITTED, note)
    except BaseException:
        _delete_files(stored)
        raise
    return application
