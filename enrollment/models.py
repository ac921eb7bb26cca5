"""Admission rounds, online applications, learners, enrolments and their status history.

The database enforces what it can: one application per personal ID per round, one quota
row per round × occupation, collision-free learner codes, status changes that only the
right service may write (`graduated` by degrees, `dismissed` by grading's standing), and
append-only status and application logs (pgtrigger).
"""

import secrets

import pghistory
import pgtrigger
from django.conf import settings
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from vetschool.imports import ImportJob
from vetschool.reference.models import EthnicGroup, Gender, Level, Occupation, Province
from vetschool.reference.national_id import mask_national_id

from .search import ImmutableUnaccent

NATIONAL_ID_FORMAT = RegexValidator(
    r"^[0-9]{12}$", _("The personal ID number must be exactly 12 digits (0-9).")
)
NATIONALITY_FORMAT = RegexValidator(
    r"^[A-Z]{2}$", _("Use the two-letter country code (ISO 3166-1), e.g. VN.")
)


def _name_search_index(name: str) -> GinIndex:
    # Accent-insensitive search ("nguyen van an" finds "Nguyễn Văn An") uses this
    # expression; selectors filter on exactly the same one so the index applies.
    return GinIndex(
        OpClass(ImmutableUnaccent(Lower("full_name")), name="gin_trgm_ops"), name=name
    )


# =============================================================================
# Admission rounds
# =============================================================================


@pghistory.track()
class AdmissionRound(models.Model):
    """One admission round (đợt tuyển sinh) of a year, with its quotas per occupation."""

    year = models.PositiveSmallIntegerField(
        _("admission year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    number = models.PositiveSmallIntegerField(
        _("round number"), validators=[MinValueValidator(1)],
        help_text=_("1 for the first round of the year, 2 for the second, ..."),
    )
    name = models.CharField(_("name"), max_length=200)
    opens_on = models.DateField(_("applications open on"))
    closes_on = models.DateField(_("applications close on"))
    classes_start_on = models.DateField(
        _("classes start on"), null=True, blank=True,
        help_text=_("Proposed as the start date of the enrolments of this round."),
    )
    is_published = models.BooleanField(
        _("published"), default=True,
        help_text=_("Only published rounds are shown on the public admissions page."),
    )
    notes = models.TextField(_("information for applicants"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-year", "-number"]
        verbose_name = _("admission round")
        verbose_name_plural = _("admission rounds")
        constraints = [
            models.UniqueConstraint(fields=["year", "number"], name="admission_round_unique"),
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")),
                name="admission_round_closes_after_opening",
            ),
        ]

    def __str__(self):
        return self.name or f"{self.year} / {self.number}"

    def is_open_on(self, day) -> bool:
        return self.is_published and self.opens_on <= day <= self.closes_on


@pghistory.track()
class RoundQuota(models.Model):
    """Places of one occupation (at its level) in a round. Locked FOR UPDATE on admission."""

    round = models.ForeignKey(
        AdmissionRound, on_delete=models.CASCADE, related_name="quotas",
        verbose_name=_("admission round"),
    )
    occupation = models.ForeignKey(
        Occupation, on_delete=models.PROTECT, related_name="+", verbose_name=_("occupation")
    )
    places = models.PositiveIntegerField(_("places"))

    class Meta:
        ordering = ["round", "occupation__code"]
        verbose_name = _("quota")
        verbose_name_plural = _("quotas")
        constraints = [
            models.UniqueConstraint(fields=["round", "occupation"], name="round_quota_unique"),
        ]

    def __str__(self):
        return f"{self.occupation} — {self.places}"


# =============================================================================
# Applications
# =============================================================================


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    WAITLISTED = "waitlisted", _("Waitlisted")
    ADMITTED = "admitted", _("Admitted")
    REJECTED = "rejected", _("Not admitted")
    ENROLLED = "enrolled", _("Enrolled")


class EducationLevel(models.TextChoices):
    LOWER_SECONDARY = "lower_secondary", _("Lower secondary school graduate (THCS)")
    UPPER_SECONDARY = "upper_secondary", _("Upper secondary school graduate (THPT)")
    UPPER_SECONDARY_UNFINISHED = (
        "upper_secondary_unfinished", _("Studied upper secondary, not graduated"),
    )
    VOCATIONAL = "vocational", _("Intermediate or college graduate")
    HIGHER = "higher", _("University graduate")


TRACKING_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I look-alikes
TRACKING_RANDOM_LENGTH = 8


def new_tracking_code(year: int) -> str:
    return f"{year}-" + "".join(
        secrets.choice(TRACKING_ALPHABET) for _ in range(TRACKING_RANDOM_LENGTH)
    )


@pghistory.track()
class Application(models.Model):
    """An applicant's online application to a round, with up to three ranked wishes."""

    round = models.ForeignKey(
        AdmissionRound, on_delete=models.PROTECT, related_name="applications",
        verbose_name=_("admission round"),
    )
    tracking_code = models.CharField(_("tracking code"), max_length=20, unique=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ApplicationStatus.choices,
        default=ApplicationStatus.SUBMITTED, db_index=True,
    )
    # Personal data, as the applicant typed it (names NFC, spaces collapsed).
    full_name = models.CharField(_("full name"), max_length=100)
    date_of_birth = models.DateField(_("date of birth"))
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices)
    national_id = models.CharField(
        _("personal ID number"), max_length=12, validators=[NATIONAL_ID_FORMAT]
    )
    ethnic_group = models.ForeignKey(
        EthnicGroup, on_delete=models.PROTECT, related_name="+", verbose_name=_("ethnic group")
    )
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("province of permanent residence"),
    )
    address = models.CharField(_("address"), max_length=300)
    phone = models.CharField(_("phone"), max_length=20)
    email = models.EmailField(_("e-mail"), blank=True)
    # Education background.
    education_level = models.CharField(
        _("education"), max_length=30, choices=EducationLevel.choices
    )
    school_name = models.CharField(_("school"), max_length=200)
    graduation_year = models.PositiveSmallIntegerField(
        _("year of graduation"), null=True, blank=True,
        validators=[MinValueValidator(1950), MaxValueValidator(2100)],
    )
    # Decision.
    admitted_occupation = models.ForeignKey(
        Occupation, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("admitted to"),
    )
    decision_reason = models.TextField(_("reason of the decision"), blank=True)
    changes_requested = models.TextField(_("changes requested"), blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("decided by"),
    )
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [
            # Re-submitting the same personal ID in the same round never makes a second record.
            models.UniqueConstraint(
                fields=["round", "national_id"], name="application_one_per_id_per_round"
            ),
            models.CheckConstraint(
                condition=Q(national_id__regex=r"^[0-9]{12}$"),
                name="application_national_id_12_digits",
            ),
            models.CheckConstraint(
                condition=(
                    Q(status__in=[ApplicationStatus.ADMITTED, ApplicationStatus.ENROLLED],
                      admitted_occupation__isnull=False)
                    | (~Q(status__in=[ApplicationStatus.ADMITTED, ApplicationStatus.ENROLLED])
                       & Q(admitted_occupation__isnull=True))
                ),
                name="application_admitted_has_occupation",
            ),
        ]
        indexes = [
            _name_search_index("application_name_trgm"),
            models.Index(fields=["round", "status"], name="application_round_status"),
            models.Index(fields=["national_id"], name="application_national_id"),
        ]

    def __str__(self):
        return f"{self.tracking_code} {self.full_name}"

    @property
    def national_id_masked(self) -> str:
        return mask_national_id(self.national_id)

    @property
    def level(self) -> str | None:
        occupation = self.admitted_occupation
        return occupation.level if occupation else None


class ApplicationWish(models.Model):
    """One ranked wish (nguyện vọng): an occupation at its level."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="wishes",
        verbose_name=_("application"),
    )
    rank = models.PositiveSmallIntegerField(
        _("rank"), validators=[MinValueValidator(1), MaxValueValidator(3)]
    )
    occupation = models.ForeignKey(
        Occupation, on_delete=models.PROTECT, related_name="+", verbose_name=_("occupation")
    )

    class Meta:
        ordering = ["application", "rank"]
        verbose_name = _("wish")
        verbose_name_plural = _("wishes")
        constraints = [
            models.UniqueConstraint(fields=["application", "rank"], name="wish_rank_unique"),
            models.UniqueConstraint(
                fields=["application", "occupation"], name="wish_occupation_unique"
            ),
            models.CheckConstraint(condition=Q(rank__gte=1, rank__lte=3), name="wish_rank_1_3"),
        ]
        indexes = [models.Index(fields=["occupation", "rank"], name="wish_occupation_rank")]

    def __str__(self):
        return f"{self.rank}. {self.occupation}"


class DocumentKind(models.TextChoices):
    ID_CARD = "id_card", _("Personal ID card (both sides)")
    CERTIFICATE = "certificate", _("Diploma, graduation certificate or school record")
    PHOTO = "photo", _("Portrait photo")
    OTHER = "other", _("Other document (priority, health ...)")


def document_upload_to(instance, filename: str) -> str:
    # Random names: a guessed URL never reaches someone else's documents.
    suffix = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}.get(
        instance.content_type, ""
    )
    return f"applications/{instance.application.round_id}/{secrets.token_hex(16)}{suffix}"


class ApplicationDocument(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="documents",
        verbose_name=_("application"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind.choices)
    file = models.FileField(_("file"), upload_to=document_upload_to, max_length=200)
    original_name = models.CharField(_("original file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=50)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["application", "uploaded_at", "id"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self):
        return f"{self.get_kind_display()} ({self.original_name})"


@pgtrigger.register(
    pgtrigger.Protect(name="application_log_append_only", operation=pgtrigger.Update),
)
class ApplicationLog(models.Model):
    """The human-readable log of an application (STYLE #21), shown to staff and applicant."""

    SUBMITTED = "enrollment.application.submitted"
    CHANGES_REQUESTED = "enrollment.application.changes_requested"
    RESUBMITTED = "enrollment.application.resubmitted"
    ADMITTED = "enrollment.application.admitted"
    WAITLISTED = "enrollment.application.waitlisted"
    REJECTED = "enrollment.application.rejected"
    ENROLLED = "enrollment.application.enrolled"
    ACTIONS = {
        SUBMITTED: _("Application submitted"),
        CHANGES_REQUESTED: _("Changes requested"),
        RESUBMITTED: _("Changes sent by the applicant"),
        ADMITTED: _("Admitted"),
        WAITLISTED: _("Put on the waiting list"),
        REJECTED: _("Not admitted"),
        ENROLLED: _("Enrolled"),
    }

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="log",
        verbose_name=_("application"),
    )
    action = models.CharField(_("action"), max_length=60)
    message = models.TextField(_("message"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("by"),
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["application", "at", "id"]
        verbose_name = _("application event")
        verbose_name_plural = _("application events")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"

    @property
    def label(self) -> str:
        return str(self.ACTIONS.get(self.action, self.action))


# =============================================================================
# Learners and enrolments
# =============================================================================


@pghistory.track()
class Learner(models.Model):
    """A learner's personal record; one per person, whatever the number of enrolments."""

    code = models.CharField(
        _("learner code"), max_length=20, unique=True,
        help_text=_("Generated on enrolment (see docs/enrollment.md) or kept from the "
                    "previous system on import."),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="learner", verbose_name=_("login"),
    )
    full_name = models.CharField(_("full name"), max_length=100)
    date_of_birth = models.DateField(_("date of birth"))
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices)
    national_id = models.CharField(
        _("personal ID number"), max_length=12, null=True, blank=True, unique=True,
        validators=[NATIONAL_ID_FORMAT],
        help_text=_("Required for Vietnamese citizens."),
    )
    ethnic_group = models.ForeignKey(
        EthnicGroup, on_delete=models.PROTECT, related_name="+", verbose_name=_("ethnic group")
    )
    nationality = models.CharField(
        _("nationality"), max_length=2, default="VN", validators=[NATIONALITY_FORMAT]
    )
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("province of permanent residence"),
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("learner")
        verbose_name_plural = _("learners")
        constraints = [
            models.CheckConstraint(
                condition=Q(national_id__isnull=True) | Q(national_id__regex=r"^[0-9]{12}$"),
                name="learner_national_id_12_digits",
            ),
            models.CheckConstraint(
                condition=~Q(nationality="VN") | Q(national_id__isnull=False),
                name="learner_vietnamese_has_national_id",
            ),
            models.CheckConstraint(
                condition=Q(nationality__regex=r"^[A-Z]{2}$"), name="learner_nationality_iso2"
            ),
        ]
        indexes = [_name_search_index("learner_name_trgm")]

    def __str__(self):
        return f"{self.code} {self.full_name}"

    @property
    def national_id_masked(self) -> str:
        return mask_national_id(self.national_id) if self.national_id else ""


class StudyMode(models.TextChoices):
    FULL_TIME = "full_time", _("Full-time")
    PART_TIME = "part_time", _("Part-time")
    CONTINUING = "continuing", _("Continuing education")


class EnrollmentStatus(models.TextChoices):
    STUDYING = "studying", _("Studying")
    RESERVED = "reserved", _("Reserved (bảo lưu)")
    SUSPENDED = "suspended", _("Suspended")
    DROPPED_OUT = "dropped_out", _("Dropped out")
    DISMISSED = "dismissed", _("Dismissed for academic results")
    EXPELLED = "expelled", _("Expelled (disciplinary)")
    TRANSFERRED = "transferred", _("Transferred to another school")
    GRADUATED = "graduated", _("Graduated")


@pghistory.track()
class Enrollment(models.Model):
    """A learner's enrolment in one occupation at one level from one admission year.

    Class assignment belongs to training (its program versions and classes).
    `status` and `status_date` mirror the latest EnrollmentStatusChange.
    """

    learner = models.ForeignKey(
        Learner, on_delete=models.PROTECT, related_name="enrollments", verbose_name=_("learner")
    )
    occupation = models.ForeignKey(
        Occupation, on_delete=models.PROTECT, related_name="+", verbose_name=_("occupation")
    )
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    admission_year = models.PositiveSmallIntegerField(
        _("admission year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    mode = models.CharField(_("mode"), max_length=20, choices=StudyMode.choices,
                            default=StudyMode.FULL_TIME)
    start_date = models.DateField(_("start date"))
    expected_end_date = models.DateField(_("expected end date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=EnrollmentStatus.choices,
                              default=EnrollmentStatus.STUDYING, db_index=True)
    status_date = models.DateField(_("status since"))
    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, null=True, blank=True,
        related_name="enrollment", verbose_name=_("application"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["learner", "-admission_year"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            # The national key: personal ID × occupation × level × admission year.
            models.UniqueConstraint(
                fields=["learner", "occupation", "admission_year"], name="enrollment_unique"
            ),
            models.CheckConstraint(
                condition=Q(expected_end_date__isnull=True)
                | Q(expected_end_date__gt=models.F("start_date")),
                name="enrollment_ends_after_start",
            ),
            models.CheckConstraint(
                condition=(Q(level=Level.INTERMEDIATE) | Q(level=Level.COLLEGE)),
                name="enrollment_level_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["admission_year", "level"], name="enrollment_year_level"),
            models.Index(fields=["occupation", "status"], name="enrollment_occupation_status"),
        ]

    def __str__(self):
        return f"{self.learner.code} · {self.occupation.code} · {self.admission_year}"


class StatusSource(models.TextChoices):
    ADMISSION = "admission", _("Enrolment of an admitted applicant")
    IMPORT = "import", _("Import from the previous system")
    REGISTRAR = "registrar", _("Training office decision")
    CORRECTION = "correction", _("Correction of an earlier change")
    STANDING = "standing", _("Academic standing (grading)")
    DEGREES = "degrees", _("Graduation decision (degrees)")


@pgtrigger.register(
    pgtrigger.Protect(name="status_change_append_only",
                      operation=pgtrigger.Update | pgtrigger.Delete),
)
class EnrollmentStatusChange(models.Model):
    """One status decision on an enrolment. Append-only: a mistake is corrected by a new
    change of source `correction` that points at the one it reverts."""

    enrollment = models.ForeignKey(
        Enrollment, on_delete=models.PROTECT, related_name="status_changes",
        verbose_name=_("enrolment"),
    )
    from_status = models.CharField(
        _("from"), max_length=20, choices=EnrollmentStatus.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=20, choices=EnrollmentStatus.choices)
    decision_number = models.CharField(_("decision number"), max_length=50, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    effective_date = models.DateField(_("effective from"))
    reason = models.TextField(_("reason"), blank=True)
    source = models.CharField(_("source"), max_length=20, choices=StatusSource.choices)
    reverts = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="reverted_by",
        verbose_name=_("reverts"),
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("recorded by"),
    )
    at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["enrollment", "at", "id"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_status=models.F("to_status")),
                name="status_change_changes_status",
            ),
            # Only degrees graduates; only grading's standing dismisses (or a legacy import).
            models.CheckConstraint(
                condition=~Q(to_status=EnrollmentStatus.GRADUATED)
                | Q(source__in=[StatusSource.DEGREES, StatusSource.IMPORT]),
                name="status_change_graduated_by_degrees",
            ),
            models.CheckConstraint(
                condition=~Q(to_status=EnrollmentStatus.DISMISSED)
                | Q(source__in=[StatusSource.STANDING, StatusSource.IMPORT]),
                name="status_change_dismissed_by_standing",
            ),
            models.CheckConstraint(
                condition=~Q(source=StatusSource.REGISTRAR) | ~Q(decision_number=""),
                name="status_change_registrar_has_decision",
            ),
            # A decision says why (imported rows keep what the previous system had).
            models.CheckConstraint(
                condition=Q(source__in=[StatusSource.ADMISSION, StatusSource.IMPORT])
                | ~Q(reason=""),
                name="status_change_decision_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.enrollment} {self.from_status or '∅'} → {self.to_status}"


class LearnerCodeCounter(models.Model):
    """The last sequence used for one learner-code prefix; locked FOR UPDATE to allocate."""

    prefix = models.CharField(_("prefix"), max_length=10, unique=True)
    last_value = models.PositiveIntegerField(_("last value"), default=0)

    class Meta:
        verbose_name = _("learner code counter")
        verbose_name_plural = _("learner code counters")

    def __str__(self):
        return f"{self.prefix}: {self.last_value}"


class LearnerImport(ImportJob):
    """One upload of the learner import: its file, how it went, and its row report.

    The import runs as a background job (vetschool.imports.ImportJob on vetschool.jobs):
    a large file never ties up a web request; the page shows the result when the job is
    done. `file` is the upload, deleted once nothing of it was imported.
    """

    file = models.FileField(_("file"), upload_to="imports/learners/%Y/", max_length=200)

    class Meta(ImportJob.Meta):
        verbose_name = _("learner import")
        verbose_name_plural = _("learner imports")
