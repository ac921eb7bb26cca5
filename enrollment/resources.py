"""Import of existing learners and their enrolments (django-import-export).

One row per enrolment; a learner with two enrolments has two rows with the same
`learner_code`. Learners are keyed by the code they had in the previous system, and
enrolments by (learner, occupation, admission year), so a file can be imported again
without creating duplicates: changed personal data is updated, a changed status is
recorded as a new status change. Every problem is reported by row and column (the
column names of the file); `vetschool.imports.import_all_or_nothing` then imports nothing.

The column layout is documented in docs/enrollment.md.
"""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import fields, resources

from enrollment.models import (
    Enrollment,
    EnrollmentStatus,
    EnrollmentStatusChange,
    Learner,
    StatusSource,
    StudyMode,
)
from enrollment.services.common import province_codes
from enrollment.services.learners import learner_clean
from vetschool.reference.models import EthnicGroup, Gender, Level, Occupation
from vetschool.reference.provinces import units_by_code

REQUIRED_COLUMNS = ("learner_code", "full_name", "date_of_birth", "gender", "national_id",
                    "ethnicity_code", "occupation_code", "admission_year", "start_date")
OPTIONAL_COLUMNS = ("nationality", "province_code", "address", "phone", "email", "level",
                    "mode", "expected_end_date", "status", "status_date", "decision_number")

_GENDERS = {"male": Gender.MALE, "nam": Gender.MALE, "m": Gender.MALE,
            "female": Gender.FEMALE, "nữ": Gender.FEMALE, "nu": Gender.FEMALE,
            "f": Gender.FEMALE}
_LEVELS = {"intermediate": Level.INTERMEDIATE, "trung cấp": Level.INTERMEDIATE,
           "trung cap": Level.INTERMEDIATE, "college": Level.COLLEGE,
           "cao đẳng": Level.COLLEGE, "cao dang": Level.COLLEGE}
_MODES = {"full_time": StudyMode.FULL_TIME, "chính quy": StudyMode.FULL_TIME,
          "part_time": StudyMode.PART_TIME, "vừa làm vừa học": StudyMode.PART_TIME,
          "continuing": StudyMode.CONTINUING, "thường xuyên": StudyMode.CONTINUING}
_STATUSES = {s.value: s for s in EnrollmentStatus}
# Column of the file that reports a problem of a learner field.
_LEARNER_COLUMNS = {"code": "learner_code", "ethnic_group": "ethnicity_code",
                    "province": "province_code"}
_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y")


def _text(row, column) -> str:
    value = row.get(column)
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # spreadsheets hand numbers back as floats
    return " ".join(str(value).split())


def _date(value) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(str(value).strip(), fmt).date()
        except ValueError:
            continue
    raise ValueError


class LearnerImportResource(resources.ModelResource):
    code = fields.Field(attribute="code", column_name="learner_code")

    class Meta:
        model = Learner
        fields = ("code",)
        import_id_fields = ("code",)
        skip_diff = True
        clean_model_instances = False

    def __init__(self, *args, by=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.by = by
        self._provinces = units_by_code()
        self._province_codes = province_codes()
        self._ethnic_groups = {g.code: g for g in EthnicGroup.objects.all()}
        self._occupations = {o.code: o for o in Occupation.objects.all()}
        self._seen_enrolments: dict[tuple, int] = {}
        # One query each instead of one per row: who holds which code and personal ID.
        self._pk_by_code = dict(Learner.objects.values_list("code", "pk"))
        self._code_by_national_id = dict(
            Learner.objects.exclude(national_id=None).values_list("national_id", "code"))

    def get_instance(self, instance_loader, row):
        pk = self._pk_by_code.get(_text(row, "learner_code"))
        return Learner.objects.get(pk=pk) if pk else None

    def import_instance(self, instance, row, **kwargs):
        errors: dict[str, list[str]] = {}

        def fail(column, message):
            errors.setdefault(column, []).append(str(message))

        code = _text(row, "learner_code")
        if not code:
            fail("learner_code", _("The learner code is required."))
        elif len(code) > 20:
            fail("learner_code", _("The learner code has more than 20 characters."))
        national_id = _text(row, "national_id")
        if instance.pk and instance.national_id and national_id and (
                instance.national_id != national_id):
            fail("learner_code", _("This code belongs to another learner (another personal "
                                   "ID number) in the system."))
        instance.code = code
        instance.full_name = _text(row, "full_name")
        instance.national_id = national_id or None
        instance.nationality = _text(row, "nationality").upper() or "VN"
        instance.address = _text(row, "address")
        instance.phone = _text(row, "phone")
        instance.email = _text(row, "email")

        gender = _GENDERS.get(_text(row, "gender").lower())
        if gender is None:
            fail("gender", _("Use male or female (nam / nữ)."))
        instance.gender = gender or ""
        try:
            instance.date_of_birth = _date(row.get("date_of_birth"))
        except ValueError:
            fail("date_of_birth", _("Not a date: write YYYY-MM-DD or DD/MM/YYYY."))
            instance.date_of_birth = None
        if instance.date_of_birth is None and "date_of_birth" not in errors:
            fail("date_of_birth", _("The date of birth is required."))

        ethnicity = _text(row, "ethnicity_code").zfill(2)
        ethnic_group = self._ethnic_groups.get(ethnicity)
        instance.ethnic_group = ethnic_group
        if ethnic_group is None:
            fail("ethnicity_code", _("Unknown ethnic group code %(code)r (01-54).")
                 % {"code": _text(row, "ethnicity_code")})
        province = _text(row, "province_code")
        instance.province = None
        if province:
            instance.province = self._provinces.get(
                province.zfill(2) if len(province) < 3 else province)
            if instance.province is None:
                fail("province_code", _("Unknown province code %(code)r.") % {"code": province})

        if instance.date_of_birth and gender:
            try:
                learner_clean(instance, codes=self._province_codes,
                              national_id_owner=self._code_by_national_id.get,
                              trusted_relations=True)
            except ValidationError as exc:
                already = set(errors)
                for field, messages in exc.message_dict.items():
                    column = _LEARNER_COLUMNS.get(field, field)
                    if column not in already:
                        for message in messages:
                            fail(column, message)

        instance._import_enrollment = self._clean_enrollment(instance, row, fail, kwargs)
        if errors:
            raise ValidationError(errors)

    def _clean_enrollment(self, learner, row, fail, kwargs) -> dict | None:
        data = {}
        occupation = self._occupations.get(_text(row, "occupation_code"))
        if occupation is None:
            fail("occupation_code", _("Unknown occupation code %(code)r: load it in the "
                                      "occupation catalogue first.")
                 % {"code": _text(row, "occupation_code")})
        data["occupation"] = occupation
        level_text = _text(row, "level").lower()
        if level_text:
            level = _LEVELS.get(level_text)
            if level is None:
                fail("level", _("Use intermediate or college."))
            elif occupation and occupation.level != level:
                fail("level", _("The occupation %(code)s is taught at %(level)s level.")
                     % {"code": occupation.code, "level": occupation.get_level_display()})
        year = _text(row, "admission_year")
        data["admission_year"] = int(year) if year.isdigit() else None
        if data["admission_year"] is None or not 2000 <= data["admission_year"] <= 2100:
            fail("admission_year", _("Write the admission year with 4 digits (2000-2100)."))
        mode_text = _text(row, "mode").lower()
        data["mode"] = _MODES.get(mode_text) if mode_text else StudyMode.FULL_TIME
        if data["mode"] is None:
            fail("mode", _("Use full_time, part_time or continuing."))
        status_text = _text(row, "status").lower()
        data["status"] = _STATUSES.get(status_text) if status_text else EnrollmentStatus.STUDYING
        if data["status"] is None:
            fail("status", _("Unknown status %(value)r: use one of %(values)s.")
                 % {"value": status_text, "values": ", ".join(_STATUSES)})
        for column in ("start_date", "expected_end_date", "status_date"):
            try:
                data[column] = _date(row.get(column))
            except ValueError:
                fail(column, _("Not a date: write YYYY-MM-DD or DD/MM/YYYY."))
                data[column] = None
        if data["start_date"] is None and not row.get("start_date"):
            fail("start_date", _("The start date is required."))
        start, end = data["start_date"], data["expected_end_date"]
        if start and end and end <= start:
            fail("expected_end_date", _("The expected end date must be after the start date."))
        data["status_date"] = data["status_date"] or start
        if start and data["status_date"] and data["status_date"] < start:
            fail("status_date", _("The status date cannot be before the start date."))
        data["decision_number"] = _text(row, "decision_number")[:50]
        key = (learner.code, occupation.pk if occupation else None, data["admission_year"])
        first_row = self._seen_enrolments.setdefault(key, kwargs.get("row_number"))
        if first_row != kwargs.get("row_number"):
            fail("occupation_code", _("The same enrolment is already on row %(row)s.")
                 % {"row": first_row + 1})
        return data

    def before_save_instance(self, instance, row, **kwargs):
        instance._was_new = instance.pk is None

    def after_save_instance(self, instance, row, **kwargs):
        # Rolled back with the row's savepoint if a later step fails: the whole import
        # is refused anyway (all or nothing).
        self._pk_by_code[instance.code] = instance.pk
        if instance.national_id:
            self._code_by_national_id[instance.national_id] = instance.code
        data = instance._import_enrollment
        enrollment = None if instance._was_new else Enrollment.objects.filter(
            learner=instance, occupation=data["occupation"],
            admission_year=data["admission_year"],
        ).first()
        if enrollment is None:
            enrollment = Enrollment.objects.create(
                learner=instance, occupation=data["occupation"],
                level=data["occupation"].level, admission_year=data["admission_year"],
                mode=data["mode"], start_date=data["start_date"],
                expected_end_date=data["expected_end_date"], status=EnrollmentStatus.STUDYING,
                status_date=data["start_date"],
            )
            self._status(enrollment, "", EnrollmentStatus.STUDYING, data["start_date"],
                         data["decision_number"] if data["status"] == "studying" else "")
        else:
            enrollment.mode = data["mode"]
            enrollment.start_date = data["start_date"]
            enrollment.expected_end_date = data["expected_end_date"]
            enrollment.save(update_fields=["mode", "start_date", "expected_end_date"])
        if data["status"] != enrollment.status:
            self._status(enrollment, enrollment.status, data["status"], data["status_date"],
                         data["decision_number"])
            enrollment.status = data["status"]
            enrollment.status_date = data["status_date"]
            enrollment.save(update_fields=["status", "status_date"])

    def _status(self, enrollment, from_status, to_status, effective, decision_number):
        EnrollmentStatusChange.objects.create(
            enrollment=enrollment, from_status=from_status, to_status=to_status,
            effective_date=effective, decision_number=decision_number,
            reason=_("Imported from the previous system"), source=StatusSource.IMPORT,
            by=self.by,
        )
