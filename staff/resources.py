"""Staff import from XLSX/CSV (all-or-nothing, row-by-row report via vetschool.imports).

One row per person, keyed by `staff_code`: a new code creates the record with its first
employment record dated `effective_date`; a known code updates it, and when department,
roles or status differ, adds an employment record dated `effective_date`. The layout is
documented in docs/staff.md; `import_template()` builds an empty file with the columns.
"""

from __future__ import annotations

import unicodedata
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from staff.models import (
    Department,
    EmploymentStatus,
    PedagogicalCertificate,
    Qualification,
    StaffMember,
    VocationalCertificate,
)
from staff.services.people import FUTURE_EFFECTIVE_DATE, staff_import_save
from vetschool.reference.models import Gender

REQUIRED_COLUMNS = (
    "staff_code", "full_name", "date_of_birth", "gender", "department", "is_teacher",
    "is_manager", "employment_status", "effective_date",
)
# In the order of the template (the order of the file's columns does not matter).
COLUMNS = (
    "staff_code", "full_name", "national_id", "date_of_birth", "gender", "email", "phone",
    "department", "is_teacher", "is_manager", "employment_status", "effective_date",
    "highest_qualification", "qualification_major", "pedagogical_certificate_type",
    "pedagogical_certificate_number", "pedagogical_certificate_date",
    "vocational_certificate_type", "vocational_certificate_occupation",
    "vocational_certificate_number", "vocational_certificate_date",
)
DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y")

_TRUE = {"1", "x", "yes", "true", "có", "co", "c"}
_FALSE = {"", "0", "no", "false", "không", "khong", "k"}
# Vietnamese words the office uses, besides the codes and the English labels.
_EXTRA_ALIASES = {
    "gender": {"nam": Gender.MALE, "nữ": Gender.FEMALE, "nu": Gender.FEMALE},
    "employment_status": {
        "đang làm việc": EmploymentStatus.ACTIVE, "dang lam viec": EmploymentStatus.ACTIVE,
        "làm việc": EmploymentStatus.ACTIVE, "nghỉ phép": EmploymentStatus.ON_LEAVE,
        "nghi phep": EmploymentStatus.ON_LEAVE, "tạm nghỉ": EmploymentStatus.ON_LEAVE,
        "đã nghỉ việc": EmploymentStatus.LEFT, "nghỉ việc": EmploymentStatus.LEFT,
        "da nghi viec": EmploymentStatus.LEFT, "nghi viec": EmploymentStatus.LEFT,
    },
    "highest_qualification": {
        "tiến sĩ": Qualification.DOCTORATE, "thạc sĩ": Qualification.MASTER,
        "đại học": Qualification.UNIVERSITY, "cao đẳng": Qualification.COLLEGE,
        "trung cấp": Qualification.INTERMEDIATE,
    },
}


def _norm(value) -> str:
    return unicodedata.normalize("NFC", str(value if value is not None else "")).strip()


class DateWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        if value is None or _norm(value) == "":
            return None
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        text = _norm(value)
        for fmt in DATE_FORMATS:
            try:
                return datetime.strptime(text, fmt).date()
            except ValueError:
                continue
        raise ValueError(_("%(value)s is not a date: write it as dd/mm/yyyy.") % {"value": text})


class BooleanWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        text = _norm(value).lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise ValueError(_("Write 1 (yes) or 0 (no), not %(value)s.") % {"value": text})


class TextWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        if isinstance(value, float) and value.is_integer():
            value = int(value)  # spreadsheet cells hold numbers typed as such
        return _norm(value)


class ChoiceWidget(widgets.Widget):
    """Accepts a choice's code, its English label or a usual Vietnamese spelling."""

    def __init__(self, choices, name: str, required: bool = False):
        super().__init__()
        self.name = name
        self.required = required
        self.aliases = {}
        for value, label in choices.choices:
            self.aliases[str(value).lower()] = value
            self.aliases[str(label).lower()] = value
        self.aliases.update(_EXTRA_ALIASES.get(name, {}))
        self.values = list(choices.values)

    def clean(self, value, row=None, **kwargs):
        text = _norm(value).lower()
        if not text:
            if self.required:
                raise ValueError(_("This column is required."))
            return ""
        if text not in self.aliases:
            raise ValueError(_("Unknown value %(value)s: use one of %(values)s.")
                             % {"value": text, "values": ", ".join(self.values)})
        return self.aliases[text]


class DepartmentWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        code = _norm(value)
        if not code:
            raise ValueError(_("This column is required."))
        department = Department.objects.filter(code__iexact=code).first()
        if department is None:
            raise ValueError(_("No department has the code %(code)s.") % {"code": code})
        return department

    def render(self, value, obj=None, **kwargs):
        return value.code if value else ""


def _choice(name, choices, required=False):
    return fields.Field(attribute=name, column_name=name,
                        widget=ChoiceWidget(choices, name, required=required))


class StaffResource(resources.ModelResource):
    staff_code = fields.Field(attribute="staff_code", column_name="staff_code",
                              widget=TextWidget())
    full_name = fields.Field(attribute="full_name", column_name="full_name", widget=TextWidget())
    national_id = fields.Field(attribute="national_id", column_name="national_id",
                               widget=TextWidget())
    date_of_birth = fields.Field(attribute="date_of_birth", column_name="date_of_birth",
                                 widget=DateWidget())
    gender = _choice("gender", Gender, required=True)
    email = fields.Field(attribute="email", column_name="email", widget=TextWidget())
    phone = fields.Field(attribute="phone", column_name="phone", widget=TextWidget())
    department = fields.Field(attribute="department", column_name="department",
                              widget=DepartmentWidget())
    is_teacher = fields.Field(attribute="is_teacher", column_name="is_teacher",
                              widget=BooleanWidget())
    is_manager = fields.Field(attribute="is_manager", column_name="is_manager",
                              widget=BooleanWidget())
    employment_status = _choice("employment_status", EmploymentStatus, required=True)
    # Not a column of the staff table: the date the row's position takes effect.
    effective_date = fields.Field(column_name="effective_date", widget=DateWidget())
    highest_qualification = _choice("highest_qualification", Qualification)
    qualification_major = fields.Field(attribute="qualification_major",
                                       column_name="qualification_major", widget=TextWidget())
    pedagogical_certificate_type = _choice("pedagogical_certificate_type",
                                           PedagogicalCertificate)
    pedagogical_certificate_number = fields.Field(
        attribute="pedagogical_certificate_number",
        column_name="pedagogical_certificate_number", widget=TextWidget())
    pedagogical_certificate_date = fields.Field(
        attribute="pedagogical_certificate_date", column_name="pedagogical_certificate_date",
        widget=DateWidget())
    vocational_certificate_type = _choice("vocational_certificate_type", VocationalCertificate)
    vocational_certificate_occupation = fields.Field(
        attribute="vocational_certificate_occupation",
        column_name="vocational_certificate_occupation", widget=TextWidget())
    vocational_certificate_number = fields.Field(
        attribute="vocational_certificate_number", column_name="vocational_certificate_number",
        widget=TextWidget())
    vocational_certificate_date = fields.Field(
        attribute="vocational_certificate_date", column_name="vocational_certificate_date",
        widget=DateWidget())

    class Meta:
        model = StaffMember
        fields = COLUMNS
        import_id_fields = ("staff_code",)
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    def __init__(self, *, user=None, **kwargs):
        super().__init__(**kwargs)
        self.user = user

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        try:
            effective = self.fields["effective_date"].widget.clean(row.get("effective_date"))
        except ValueError as exc:
            errors["effective_date"] = [str(exc)]
            effective = None
        if effective is not None and effective > timezone.localdate():
            errors["effective_date"] = [str(FUTURE_EFFECTIVE_DATE)]
        instance._import_effective_date = effective
        if instance.pk is None:
            if effective is None and "effective_date" not in errors:
                errors["effective_date"] = [_("A new staff member needs the date their "
                                              "employment record takes effect.")]
            # The denormalised "since" of a new record is its first record's date (a row
            # without a valid date is reported and never saved).
            instance.position_since = effective or timezone.localdate()
        if errors:
            raise ValidationError(errors)

    def do_instance_save(self, instance, is_create):
        staff_import_save(staff=instance, effective_date=instance._import_effective_date,
                          by=self.user)


def import_template() -> bytes:
    """An empty XLSX with the import columns (and one example row), for the admin page."""
    import tablib

    dataset = tablib.Dataset(headers=list(COLUMNS))
    dataset.append([
        "GV0001", "Nguyễn Văn An", "001085001234", "15/03/1985", "male", "", "", "CNTT", 1, 0,
        "active", "01/09/2015", "master", "Khoa học máy tính", "vet_college", "NVSP-123",
        "20/06/2014", "", "", "", "",
    ])
    return dataset.export("xlsx")
