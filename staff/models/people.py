"""Departments, staff members and their dated employment history."""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from staff import indicators
from vetschool.history import tracked
from vetschool.imports import ImportJob
from vetschool.jobs import job_file_path
from vetschool.reference.models import Gender, Province
from vetschool.reference.national_id import (
    has_national_id_format,
    mask_national_id,
    national_id_error_message,
    validate_national_id,
)
from vetschool.spreadsheets import no_formula_start

CODE_VALIDATOR = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9._-]*$",
    _("Use letters, digits, dots, dashes or underscores (no spaces)."),
)


class DepartmentKind(models.TextChoices):
    FACULTY = "faculty", _("Faculty")
    OFFICE = "office", _("Office")


@tracked()
class Department(models.Model):
    """A faculty (khoa) or an office (phòng) of the college."""

    code = models.CharField(_("code"), max_length=20, unique=True, validators=[CODE_VALIDATOR])
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=DepartmentKind.choices)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self):
        return self.name


class EmploymentStatus(models.TextChoices):
    ACTIVE = indicators.ACTIVE, _("Active")
    ON_LEAVE = indicators.ON_LEAVE, _("On leave")
    LEFT = indicators.LEFT, _("Left")


class Qualification(models.TextChoices):
    DOCTORATE = "doctorate", _("Doctorate")
    MASTER = "master", _("Master")
    UNIVERSITY = "university", _("University degree")
    COLLEGE = "college", _("College diploma")
    INTERMEDIATE = "intermediate", _("Intermediate diploma")
    OTHER = "other", _("Other")


class PedagogicalCertificate(models.TextChoices):
    TEACHER_TRAINING_DEGREE = "teacher_training_degree", _("Teacher-training degree")
    VET_COLLEGE = "vet_college", _("Pedagogy certificate for college-level VET teachers")
    VET_INTERMEDIATE = "vet_intermediate", _(
        "Pedagogy certificate for intermediate-level VET teachers"
    )
    VET_ELEMENTARY = "vet_elementary", _("Pedagogy certificate for elementary-level VET teachers")
    HIGHER_EDUCATION = "higher_education", _("Pedagogy certificate for university lecturers")
    OTHER = "other", _("Other")


class VocationalCertificate(models.TextChoices):
    NATIONAL_1 = "national_1", _("National vocational skill certificate, level 1")
    NATIONAL_2 = "national_2", _("National vocational skill certificate, level 2")
    NATIONAL_3 = "national_3", _("National vocational skill certificate, level 3")
    NATIONAL_4 = "national_4", _("National vocational skill certificate, level 4")
    NATIONAL_5 = "national_5", _("National vocational skill certificate, level 5")
    PRACTICE_COLLEGE = "practice_college", _("Practical skill certificate, college level")
    PRACTICE_INTERMEDIATE = "practice_intermediate", _(
        "Practical skill certificate, intermediate level"
    )
    OTHER = "other", _("Other")


@tracked()
class StaffMember(models.Model):
    """A member of staff: teacher, manager, both, or neither (other staff).

    `department`, `is_teacher`, `is_manager`, `employment_status` and `position_since`
    mirror the latest EmploymentRecord; only staff.services writes them.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="staff_member", verbose_name=_("user account"),
        help_text=_("The login of this person; teachers log in with the teacher role."),
    )
    staff_code = models.CharField(_("staff code"), max_length=20, unique=True,
                                  validators=[CODE_VALIDATOR])
    full_name = models.CharField(_("full name"), max_length=150,
                                 validators=[no_formula_start])
    national_id = models.CharField(
        _("personal ID number"), max_length=12, blank=True,
        help_text=_("12-digit personal identification number (CCCD)."),
    )
    date_of_birth = models.DateField(_("date of birth"))
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)

    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="staff",
                                   verbose_name=_("department"))
    is_teacher = models.BooleanField(_("teacher"), default=False)
    is_manager = models.BooleanField(_("manager"), default=False)
    employment_status = models.CharField(_("employment status"), max_length=10,
                                         choices=EmploymentStatus.choices)
    position_since = models.DateField(
        _("current position since"),
        help_text=_("Effective date of the latest employment record."),
    )

    highest_qualification = models.CharField(_("highest qualification"), max_length=20,
                                             choices=Qualification.choices, blank=True)
    qualification_major = models.CharField(_("major"), max_length=200, blank=True)
    pedagogical_certificate_type = models.CharField(
        _("pedagogical certificate"), max_length=30, choices=PedagogicalCertificate.choices,
        blank=True,
    )
    pedagogical_certificate_number = models.CharField(
        _("pedagogical certificate number"), max_length=50, blank=True)
    pedagogical_certificate_date = models.DateField(
        _("pedagogical certificate date"), null=True, blank=True)
    vocational_certificate_type = models.CharField(
        _("vocational skill certificate"), max_length=30, choices=VocationalCertificate.choices,
        blank=True,
    )
    vocational_certificate_occupation = models.CharField(
        _("vocational skill certificate occupation"), max_length=200, blank=True)
    vocational_certificate_number = models.CharField(
        _("vocational skill certificate number"), max_length=50, blank=True)
    vocational_certificate_date = models.DateField(
        _("vocational skill certificate date"), null=True, blank=True)

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["staff_code"]
        verbose_name = _("staff member")
        verbose_name_plural = _("staff members")
        permissions = [("export_staffmember", _("Can export staff members"))]
        constraints = [
            models.UniqueConstraint(
                fields=["national_id"], condition=~Q(national_id=""),
                name="staff_national_id_unique",
                # code "unique" on a one-field constraint: Django reports it on the field.
                violation_error_code="unique",
                violation_error_message=_("Another staff member has this personal ID number."),
            ),
            models.CheckConstraint(
                condition=Q(national_id="") | Q(national_id__regex=r"^[0-9]{12}$"),
                name="staff_national_id_12_digits",
                violation_error_message=_("The personal ID number must be exactly 12 digits."),
            ),
            models.CheckConstraint(
                condition=Q(date_of_birth__gte=date(1900, 1, 1)),
                name="staff_birth_date_plausible",
                violation_error_message=_("The date of birth is not plausible."),
            ),
            models.CheckConstraint(
                condition=~Q(pedagogical_certificate_type="")
                | (Q(pedagogical_certificate_number="")
                   & Q(pedagogical_certificate_date__isnull=True)),
                name="staff_pedagogical_certificate_has_type",
            ),
            models.CheckConstraint(
                condition=~Q(vocational_certificate_type="")
                | (Q(vocational_certificate_number="")
                   & Q(vocational_certificate_occupation="")
                   & Q(vocational_certificate_date__isnull=True)),
                name="staff_vocational_certificate_has_type",
            ),
        ]
        indexes = [models.Index(fields=["department", "employment_status"])]

    def __str__(self):
        return f"{self.staff_code} {self.full_name}"

    @property
    def national_id_masked(self) -> str:
        return mask_national_id(self.national_id) if self.national_id else ""

    @property
    def roles_display(self) -> str:
        return roles_label(self.is_teacher, self.is_manager)

    def validate_constraints(self, exclude=None):
        # A malformed number is reported on the field by clean(); the constraints on the
        # field would only repeat it without saying which field.
        if self.national_id and not has_national_id_format(self.national_id):
            exclude = {*(exclude or ()), "national_id"}
        super().validate_constraints(exclude=exclude)

    def clean(self):
        super().clean()
        errors = {}
        if self.national_id and self.date_of_birth and self.gender in Gender.values:
            codes = validate_national_id(
                self.national_id,
                birth_date_or_year=self.date_of_birth,
                gender=self.gender,
                province_codes=set(Province.objects.values_list("id_code", flat=True)),
            )
            if codes:
                errors["national_id"] = [
                    national_id_error_message(code, self.national_id,
                                              birth_date_or_year=self.date_of_birth)
                    for code in codes
                ]
        if (self.pedagogical_certificate_number or self.pedagogical_certificate_date) and \
                not self.pedagogical_certificate_type:
            errors["pedagogical_certificate_type"] = [
                _("Choose the type of the pedagogical certificate.")]
        if (self.vocational_certificate_number or self.vocational_certificate_date
                or self.vocational_certificate_occupation) and \
                not self.vocational_certificate_type:
            errors["vocational_certificate_type"] = [
                _("Choose the type of the vocational skill certificate.")]
        if errors:
            raise ValidationError(errors)


def roles_label(is_teacher: bool, is_manager: bool) -> str:
    if is_teacher and is_manager:
        return str(_("Teacher and manager"))
    if is_teacher:
        return str(_("Teacher"))
    if is_manager:
        return str(_("Manager"))
    return str(_("Other staff"))


@tracked()
class EmploymentRecord(models.Model):
    """From `effective_date` on, the staff member has this status, department and roles.

    The records of one person form a dated timeline; the one in force on a day is the
    latest dated on or before it (staff.indicators.position_on).
    """

    staff = models.ForeignKey(StaffMember, on_delete=models.CASCADE,
                              related_name="employment_records", verbose_name=_("staff member"))
    effective_date = models.DateField(_("effective date"))
    status = models.CharField(_("employment status"), max_length=10,
                              choices=EmploymentStatus.choices)
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("department"))
    is_teacher = models.BooleanField(_("teacher"), default=False)
    is_manager = models.BooleanField(_("manager"), default=False)
    decision_number = models.CharField(_("decision number"), max_length=50, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["staff", "effective_date"]
        verbose_name = _("employment record")
        verbose_name_plural = _("employment history")
        constraints = [
            models.UniqueConstraint(
                fields=["staff", "effective_date"], name="employment_record_one_per_day",
                violation_error_message=_("This staff member already has an employment record "
                                          "on that date."),
            ),
        ]

    def __str__(self):
        return f"{self.effective_date:%d/%m/%Y} {self.get_status_display()}"

    @property
    def roles_display(self) -> str:
        return roles_label(self.is_teacher, self.is_manager)


class StaffImport(ImportJob):
    """A large staff list is imported by a worker (vetschool.imports.ImportJob): above
    `IMPORT_QUEUE_ROWS` rows or `IMPORT_QUEUE_BYTES` the admin page queues it and follows
    it; a smaller file is imported in the request as before. `file` is the upload,
    deleted once nothing of it was imported."""

    file_folder = "imports/staff"
    file = models.FileField(_("file"), upload_to=job_file_path, max_length=200)

    class Meta(ImportJob.Meta):
        verbose_name = _("staff import")
        verbose_name_plural = _("staff imports")
