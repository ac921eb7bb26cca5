"""Write use cases for departments, staff records and employment history.

Each runs in one transaction (the national-sync outbox will be written by database
triggers in the same transaction, see docs/staff.md).
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from staff.models import Department, EmploymentRecord, StaffMember
from vetschool.accounts.services import personal_data_access_log

FUTURE_EFFECTIVE_DATE = _(
    "An employment change cannot be dated in the future: record it when it takes effect."
)
EFFECTIVE_DATE_REQUIRED = _("Give the date from which the new status, department or roles apply.")
ONLY_RECORD = _("The only employment record of a staff member cannot be deleted.")
BEFORE_BIRTH = _("An employment record cannot be dated before the date of birth.")
INACTIVE_DEPARTMENT = _("The department %(department)s is no longer active.")

PERSONAL_FIELDS = frozenset({
    "user", "staff_code", "full_name", "national_id", "date_of_birth", "gender", "email",
    "phone", "highest_qualification", "qualification_major",
    "pedagogical_certificate_type", "pedagogical_certificate_number",
    "pedagogical_certificate_date", "vocational_certificate_type",
    "vocational_certificate_occupation", "vocational_certificate_number",
    "vocational_certificate_date",
})
POSITION_FIELDS = ("department", "is_teacher", "is_manager", "employment_status")


@transaction.atomic
def department_save(*, department: Department, by=None) -> Department:
    department.full_clean()
    department.save()
    return department


@transaction.atomic
def staff_create(
    *,
    by=None,
    department: Department,
    is_teacher: bool,
    is_manager: bool,
    employment_status: str,
    effective_date: date,
    decision_number: str = "",
    note: str = "",
    **fields,
) -> StaffMember:
    """Create a staff record with its first employment record (e.g. the hiring)."""
    _require_personal_fields(fields)
    staff = StaffMember(
        department=department, is_teacher=is_teacher, is_manager=is_manager,
        employment_status=employment_status, position_since=effective_date, **fields,
    )
    staff.full_clean()
    check_position(staff, effective_date=effective_date, department=department)
    staff.save()
    record = EmploymentRecord(
        staff=staff, effective_date=effective_date, status=employment_status,
        department=department, is_teacher=is_teacher, is_manager=is_manager,
        decision_number=decision_number, note=note,
    )
    record.full_clean()
    record.save()
    return staff


@transaction.atomic
def staff_update(*, staff: StaffMember, by=None, **fields) -> StaffMember:
    """Change personal data, qualifications and certificates (not the position)."""
    _require_personal_fields(fields)
    staff = _locked(staff)
    for name, value in fields.items():
        setattr(staff, name, value)
    staff.full_clean()
    staff.save()
    return staff


@transaction.atomic
def staff_position_change(
    *,
    staff: StaffMember,
    by=None,
    effective_date: date | None,
    department: Department,
    is_teacher: bool,
    is_manager: bool,
    employment_status: str,
    decision_number: str = "",
    note: str = "",
) -> EmploymentRecord:
    """Record that from `effective_date` the person has this status, department and roles.

    A record on a date that already has one corrects that record; otherwise a new record
    enters the timeline (it may be back-dated). The current position shown on the staff
    record is the latest one.
    """
    if effective_date is None:
        raise ValidationError({"effective_date": EFFECTIVE_DATE_REQUIRED})
    staff = _locked(staff)
    check_position(staff, effective_date=effective_date, department=department)
    record = (EmploymentRecord.objects.filter(staff=staff, effective_date=effective_date).first()
              or EmploymentRecord(staff=staff, effective_date=effective_date))
    record.status = employment_status
    record.department = department
    record.is_teacher = is_teacher
    record.is_manager = is_manager
    record.decision_number = decision_number
    record.note = note
    record.full_clean()
    record.save()
    _refresh_current_position(staff)
    return record


@transaction.atomic
def staff_import_save(*, staff: StaffMember, effective_date: date | None,
                      by=None) -> StaffMember:
    """Save one imported row (an unsaved or changed StaffMember instance).

    A new person gets a first employment record dated `effective_date`; for a known one,
    a changed department, role or status becomes a record dated `effective_date`.
    """
    position = {name: getattr(staff, name) for name in POSITION_FIELDS}
    if staff.pk is None:
        personal = {name: getattr(staff, name) for name in PERSONAL_FIELDS if name != "user"}
        return staff_create(by=by, effective_date=effective_date, **position, **personal)
    current = _locked(staff)
    changed = position_differs(current, **position)
    personal = {name: getattr(staff, name) for name in PERSONAL_FIELDS if name != "user"}
    staff = staff_update(staff=current, by=by, **personal)
    if changed:
        staff_position_change(staff=staff, by=by, effective_date=effective_date, **position)
    return staff


def position_differs(staff: StaffMember, *, department: Department, is_teacher: bool,
                     is_manager: bool, employment_status: str) -> bool:
    return (staff.department_id != department.pk or staff.is_teacher != is_teacher
            or staff.is_manager != is_manager or staff.employment_status != employment_status)


@transaction.atomic
def employment_record_delete(*, record: EmploymentRecord, by=None) -> None:
    """Remove a record entered by mistake (kept in history); the last one stays."""
    staff = _locked(record.staff)
    if EmploymentRecord.objects.filter(staff=staff).count() <= 1:
        raise ValidationError(ONLY_RECORD, code="only_record")
    record.delete()
    _refresh_current_position(staff)


@transaction.atomic
def staff_national_id_reveal(*, staff: StaffMember, user, path: str = "",
                             reason: str = "") -> str:
    """The full personal ID number, for a user allowed to see it; the read is logged with
    the reason given."""
    if staff.national_id:
        personal_data_access_log(user=user, subject=staff, field="national_id", path=path,
                                 reason=reason)
    return staff.national_id


def _require_personal_fields(fields: dict) -> None:
    unknown = set(fields) - PERSONAL_FIELDS
    if unknown:
        raise TypeError(f"not a personal field of a staff member: {sorted(unknown)}")


def _locked(staff: StaffMember) -> StaffMember:
    # Serialises concurrent changes of one person's timeline.
    return StaffMember.objects.select_for_update().get(pk=staff.pk)


def check_position(staff: StaffMember, *, effective_date: date,
                   department: Department) -> None:
    """The rules of an employment record's date and department (forms call it too)."""
    errors = {}
    if effective_date > timezone.localdate():
        errors["effective_date"] = [FUTURE_EFFECTIVE_DATE]
    elif staff.date_of_birth and effective_date < staff.date_of_birth:
        errors["effective_date"] = [BEFORE_BIRTH]
    if not department.is_active:
        errors["department"] = [INACTIVE_DEPARTMENT % {"department": department}]
    if errors:
        raise ValidationError(errors)


def _refresh_current_position(staff: StaffMember) -> None:
    latest = EmploymentRecord.objects.filter(staff=staff).order_by("-effective_date").first()
    staff.department_id = latest.department_id
    staff.is_teacher = latest.is_teacher
    staff.is_manager = latest.is_manager
    staff.employment_status = latest.status
    staff.position_since = latest.effective_date
    staff.save(update_fields=[
        "department", "is_teacher", "is_manager", "employment_status", "position_since",
        "updated_at",
    ])
