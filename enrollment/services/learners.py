"""Learner records: enrolment of admitted applicants, personal data, logins, status changes.

Status changes are guarded by who may make them: the registrar records the ordinary ones
(`enrollment_change_status`), `graduated` is reserved to degrees (`enrollment_graduate`)
and `dismissed` to grading's academic standing (`enrollment_dismiss_for_results`). The
database refuses the last two from any other source as well.
"""

from __future__ import annotations

import calendar
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enrollment.models import (
    Application,
    ApplicationLog,
    ApplicationStatus,
    Enrollment,
    EnrollmentStatus,
    EnrollmentStatusChange,
    Learner,
    StatusSource,
    StudyMode,
)
from enrollment.services.admission.common import _require_transition
from enrollment.services.codes import learner_code_allocate
from enrollment.services.common import (
    clean_date_of_birth,
    clean_full_name,
    clean_national_id,
    normalize_name,
)
from vetschool.accounts import roles
from vetschool.reference.models import Level

# Expected programme length used when no end date is given (REGULATIONS §10.2: college
# 2-3 years, intermediate 1-2 years); the registrar can change the date per enrolment.
DEFAULT_PROGRAM_MONTHS = {Level.INTERMEDIATE: 24, Level.COLLEGE: 36}
PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
PASSWORD_LENGTH = 12

# --- Messages ---------------------------------------------------------------------------------
NOT_ADMITTED = _("Only admitted applicants can be enrolled (%(code)s is %(status)s).")
DECISION_REQUIRED = _("Give the decision number.")
DECISION_DATE_REQUIRED = _("Give the decision date.")
DATE_IN_FUTURE = _("This date cannot be in the future.")
END_BEFORE_START = _("The expected end date must be after the start date.")
ALREADY_ENROLLED = _("%(learner)s is already enrolled in %(occupation)s for %(year)s.")
USERNAME_TAKEN = _("A login named %(username)s already exists; it was not changed.")
NATIONAL_ID_TAKEN = _("Another learner (%(code)s) already has this personal ID number.")
NATIONAL_ID_REQUIRED = _("A Vietnamese citizen needs a personal ID number.")
GRADUATED_ONLY_BY_DEGREES = _(
    "Graduation is recorded only by a graduation decision (degrees), not here."
)
DISMISSED_ONLY_BY_STANDING = _(
    "Dismissal for academic results is recorded only by the academic standing review "
    "(grading). For a disciplinary dismissal use expelled."
)
TRANSITION_REFUSED = _("An enrolment that is %(current)s cannot become %(target)s.")
EFFECTIVE_BEFORE_LAST = _(
    "The change cannot take effect before the last one (%(last)s) or before the start of "
    "the enrolment."
)
STATUS_REASON_REQUIRED = _("Give the reason of this status decision.")
GRADUATION_REASON = _("Graduation decision")
NOTHING_TO_REVERT = _("There is no status change to correct.")
REVERT_GRADUATION_REFUSED = _(
    "A graduation is corrected by degrees (revocation of the decision), not here."
)
NO_LOGIN = _("%(learner)s has no login yet.")

S = EnrollmentStatus
# Ordinary changes the registrar records (graduated and dismissed come from their services).
REGISTRAR_TRANSITIONS = {
    S.STUDYING: {S.RESERVED, S.SUSPENDED, S.DROPPED_OUT, S.EXPELLED, S.TRANSFERRED},
    S.RESERVED: {S.STUDYING, S.DROPPED_OUT, S.EXPELLED, S.TRANSFERRED},
    S.SUSPENDED: {S.STUDYING, S.DROPPED_OUT, S.EXPELLED, S.TRANSFERRED},
    S.DROPPED_OUT: set(),
    S.DISMISSED: set(),
    S.EXPELLED: set(),
    S.TRANSFERRED: set(),
    S.GRADUATED: set(),
}
REGISTRAR_STATUSES = (S.STUDYING, S.RESERVED, S.SUSPENDED, S.DROPPED_OUT, S.EXPELLED,
                      S.TRANSFERRED)


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    last_day = calendar.monthrange(year, month)[1]
    return day.replace(year=year, month=month, day=min(day.day, last_day))


@dataclass(frozen=True)
class EnrolmentResult:
    learner: Learner
    enrollment: Enrollment
    username: str
    password: str | None  # None when the learner already had a login


# =============================================================================
# Enrolment of admitted applicants
# =============================================================================


def application_enroll(
    *,
    application: Application,
    by,
    decision_number: str,
    decision_date: date,
    start_date: date | None = None,
    expected_end_date: date | None = None,
    mode: str = StudyMode.FULL_TIME,
) -> EnrolmentResult:
    """Turn an admitted applicant into a learner with an enrolment and a login."""
    return applications_enroll(
        applications=[application], by=by, decision_number=decision_number,
        decision_date=decision_date, start_date=start_date,
        expected_end_date=expected_end_date, mode=mode,
    )[0]


def applications_enroll(
    *,
    applications: Sequence[Application],
    by,
    decision_number: str,
    decision_date: date,
    start_date: date | None = None,
    expected_end_date: date | None = None,
    mode: str = StudyMode.FULL_TIME,
) -> list[EnrolmentResult]:
    """Enrol several admitted applicants in one transaction: all of them or none."""
    decision_number = _require_decision(decision_number, decision_date)
    if start_date and expected_end_date and expected_end_date <= start_date:
        raise ValidationError({"expected_end_date": ValidationError(END_BEFORE_START)})
    results = []
    with transaction.atomic():
        locked = list(
            Application.objects.select_for_update()
            .filter(pk__in=[a.pk for a in applications])
            .order_by("pk")
        )
        errors = [
            ValidationError(NOT_ADMITTED, code="not_admitted",
                            params={"code": a.tracking_code,
                                    "status": ApplicationStatus(a.status).label.lower()})
            for a in locked if a.status != ApplicationStatus.ADMITTED
        ]
        if errors:
            raise ValidationError(errors)
        for application in locked:
            results.append(_enroll_one(
                application, by=by, decision_number=decision_number,
                decision_date=decision_date, start_date=start_date,
                expected_end_date=expected_end_date, mode=mode,
            ))
    return results


def _enroll_one(application, *, by, decision_number, decision_date, start_date,
                expected_end_date, mode) -> EnrolmentResult:
    _require_transition(application, ApplicationStatus.ENROLLED)
    occupation = application.admitted_occupation
    round = application.round
    start = start_date or round.classes_start_on or timezone.localdate()
    end = expected_end_date or add_months(start, DEFAULT_PROGRAM_MONTHS[occupation.level])
    if end <= start:
        raise ValidationError({"expected_end_date": ValidationError(END_BEFORE_START)})

    learner = (
        Learner.objects.select_for_update().filter(national_id=application.national_id).first()
    )
    if learner is None:
        learner = Learner.objects.create(
            code=learner_code_allocate(admission_year=round.year, occupation=occupation),
            full_name=application.full_name, date_of_birth=application.date_of_birth,
            gender=application.gender, national_id=application.national_id,
            ethnic_group_id=application.ethnic_group_id, nationality="VN",
            province_id=application.province_id, address=application.address,
            phone=application.phone, email=application.email,
        )
    elif Enrollment.objects.filter(learner=learner, occupation=occupation,
                                   admission_year=round.year).exists():
        raise ValidationError(ALREADY_ENROLLED, code="already_enrolled",
                              params={"learner": learner, "occupation": occupation,
                                      "year": round.year})
    enrollment = Enrollment.objects.create(
        learner=learner, occupation=occupation, level=occupation.level,
        admission_year=round.year, mode=mode, start_date=start, expected_end_date=end,
        status=S.STUDYING, status_date=start, application=application,
    )
    EnrollmentStatusChange.objects.create(
        enrollment=enrollment, from_status="", to_status=S.STUDYING,
        decision_number=decision_number, decision_date=decision_date, effective_date=start,
        reason=str(_("Admitted in %(round)s") % {"round": round}),
        source=StatusSource.ADMISSION, by=by,
    )
    application.status = ApplicationStatus.ENROLLED
    application.save(update_fields=["status", "updated_at"])
    ApplicationLog.objects.create(
        application=application, action=ApplicationLog.ENROLLED,
        message=f"{learner.code} · {decision_number}", by=by,
    )
    password = None
    if learner.user_id is None:
        password = _create_login(learner)
    return EnrolmentResult(learner, enrollment, learner.user.username, password)


def _require_decision(decision_number: str, decision_date: date | None) -> str:
    decision_number = normalize_name(decision_number or "")
    errors = {}
    if not decision_number:
        errors["decision_number"] = ValidationError(DECISION_REQUIRED, code="required")
    if decision_date is None:
        errors["decision_date"] = ValidationError(DECISION_DATE_REQUIRED, code="required")
    elif decision_date > timezone.localdate():
        errors["decision_date"] = ValidationError(DATE_IN_FUTURE, code="future")
    if errors:
        raise ValidationError(errors)
    return decision_number


# =============================================================================
# Logins
# =============================================================================


def new_one_time_password() -> str:
    return "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(PASSWORD_LENGTH))


def _create_login(learner: Learner) -> str:
    User = get_user_model()
    if User.objects.filter(username__iexact=learner.code).exists():
        raise ValidationError(USERNAME_TAKEN, code="username_taken",
                              params={"username": learner.code})
    password = new_one_time_password()
    user = User(username=learner.code, full_name=learner.full_name, email=learner.email,
                is_staff=False)
    user.set_password(password)
    user.save()
    user.groups.add(Group.objects.get(name=roles.LEARNER))
    learner.user = user
    learner.save(update_fields=["user"])
    return password


def learner_login_create(*, learner: Learner, by) -> tuple[str, str]:
    """Give a learner a login (username = learner code); returns (username, password)."""
    with transaction.atomic():
        learner = Learner.objects.select_for_update().get(pk=learner.pk)
        if learner.user_id is not None:
            return learner.user.username, learner_password_reset(learner=learner, by=by)
        password = _create_login(learner)
        return learner.user.username, password


def learner_password_reset(*, learner: Learner, by) -> str:
    """A new one-time password for a learner who lost theirs; shown once to the registrar."""
    with transaction.atomic():
        if learner.user_id is None:
            raise ValidationError(NO_LOGIN, code="no_login", params={"learner": learner})
        user = learner.user
        password = new_one_time_password()
        user.set_password(password)
        user.is_active = True
        user.save(update_fields=["password", "is_active"])
    return password


# =============================================================================
# Personal data
# =============================================================================

LEARNER_EDITABLE = ("full_name", "date_of_birth", "gender", "national_id", "ethnic_group",
                    "nationality", "province", "address", "phone", "email")


def learner_update(*, learner: Learner, by, **changes) -> Learner:
    """Correct a learner's personal data; validated like an application. pghistory keeps
    every previous version."""
    unknown = set(changes) - set(LEARNER_EDITABLE)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    with transaction.atomic():
        learner = Learner.objects.select_for_update().get(pk=learner.pk)
        for name, value in changes.items():
            setattr(learner, name, value)
        learner_clean(learner)
        learner.save()
        if learner.user_id and learner.user.full_name != learner.full_name:
            learner.user.full_name = learner.full_name
            learner.user.save(update_fields=["full_name"])
    return learner


def learner_clean(learner: Learner, *, codes: frozenset[str] | None = None,
                  national_id_owner=None, trusted_relations: bool = False) -> None:
    """Normalize and validate a learner's personal data in place; raise by field.

    Bulk callers (the import) pass what they preloaded: `codes` (province ID codes),
    `national_id_owner(number) -> code or None` (instead of a query per learner) and
    `trusted_relations` when the ethnic group and province came from preloaded rows (the
    foreign keys and check constraints are then left to the database).
    """
    errors: dict[str, list] = {}
    try:
        learner.full_name = clean_full_name(learner.full_name)
    except ValidationError as exc:
        errors.setdefault("full_name", []).append(exc)
    if learner.date_of_birth:
        try:
            clean_date_of_birth(learner.date_of_birth, today=timezone.localdate())
        except ValidationError as exc:
            errors.setdefault("date_of_birth", []).append(exc)
    learner.nationality = (learner.nationality or "").strip().upper()
    learner.national_id = (learner.national_id or "").strip() or None
    learner.address = normalize_name(learner.address)
    learner.phone = normalize_name(learner.phone)
    learner.email = (learner.email or "").strip()
    if learner.national_id:
        try:
            clean_national_id(learner.national_id, date_of_birth=learner.date_of_birth,
                              gender=learner.gender or None, codes=codes)
        except ValidationError as exc:
            errors.setdefault("national_id", []).append(exc)
        if national_id_owner is not None:
            other_code = national_id_owner(learner.national_id)
        else:
            other = Learner.objects.filter(national_id=learner.national_id).exclude(
                pk=learner.pk)
            other_code = other.values_list("code", flat=True).first()
        if other_code and other_code != learner.code:
            errors.setdefault("national_id", []).append(
                ValidationError(NATIONAL_ID_TAKEN, code="taken", params={"code": other_code})
            )
    elif learner.nationality == "VN":
        errors.setdefault("national_id", []).append(
            ValidationError(NATIONAL_ID_REQUIRED, code="required")
        )
    exclude = [*errors, "user", "national_id"]
    if trusted_relations:
        exclude += ["ethnic_group", "province"]
    try:
        learner.full_clean(exclude=exclude, validate_unique=False,
                           validate_constraints=not trusted_relations)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)


# =============================================================================
# Enrolment data and status
# =============================================================================


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
        decision_number = _require_decision(decision_number, decision_date)
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
