"""Enrolments and their append-only status history: only the right service may write
a status (`graduated` by degrees, `dismissed` by grading's standing), and the database
checks it (pgtrigger and check constraints)."""

import pghistory
import pgtrigger
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from enrollment.models.applications import Application
from enrollment.models.learners import Learner
from vetschool.reference.models import Level, Occupation


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
