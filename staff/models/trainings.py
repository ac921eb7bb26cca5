"""Training courses for staff and each participant's result, with its evidence."""

import uuid
from pathlib import Path

import pgtrigger
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from staff import indicators
from staff.models.people import CODE_VALIDATOR, StaffMember, tracked


class TrainingKind(models.TextChoices):
    DIGITAL_SKILLS = indicators.DIGITAL_SKILLS, _("Digital skills for teaching or management")
    COURSEWARE = indicators.COURSEWARE, _("Digital courseware development")
    OTHER = indicators.OTHER, _("Other")


class Delivery(models.TextChoices):
    ONLINE = "online", _("Online")
    OFFLINE = "offline", _("In person")
    BLENDED = "blended", _("Blended")


@tracked()
class TrainingCourse(models.Model):
    code = models.CharField(_("code"), max_length=30, unique=True, validators=[CODE_VALIDATOR])
    title = models.CharField(_("title"), max_length=300)
    provider = models.CharField(_("provider"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=TrainingKind.choices)
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=1)
    delivery = models.CharField(_("delivery"), max_length=10, choices=Delivery.choices)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    location = models.CharField(_("location"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-starts_on", "code"]
        verbose_name = _("training course")
        verbose_name_plural = _("training courses")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="training_course_dates_ordered",
                violation_error_message=_("A course cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(hours__gt=0), name="training_course_hours_positive",
                violation_error_message=_("A course lasts a positive number of hours."),
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.title}"


class ParticipationResult(models.TextChoices):
    REGISTERED = indicators.REGISTERED, _("Registered")
    COMPLETED = indicators.COMPLETED, _("Completed")
    FAILED = indicators.FAILED, _("Not completed")


def certificate_path(instance, filename: str) -> str:
    # A random name: the file name a user chose may carry personal data.
    suffix = Path(filename).suffix.lower()[:10]
    return f"staff/certificates/{uuid.uuid4().hex}{suffix}"


@tracked()
@pgtrigger.register(
    # A result is a record of fact: no path (admin, API, shell, raw SQL) deletes it, so a
    # course with results cannot be deleted either (its participations PROTECT it).
    pgtrigger.Protect(name="participation_result_not_deleted", operation=pgtrigger.Delete,
                      condition=pgtrigger.Q(old__result__in=[indicators.COMPLETED,
                                                             indicators.FAILED])),
)
class Participation(models.Model):
    """A staff member in a course. Completion is a fact with a date and evidence.

    The database refuses a completed participation without a completion date and an
    uploaded certificate file, and a completion date on any other result. The
    certificate number is recorded beside the file, never instead of it.
    """

    course = models.ForeignKey(TrainingCourse, on_delete=models.PROTECT,
                               related_name="participations", verbose_name=_("course"))
    staff = models.ForeignKey(StaffMember, on_delete=models.PROTECT,
                              related_name="participations", verbose_name=_("staff member"))
    result = models.CharField(_("result"), max_length=12, choices=ParticipationResult.choices,
                              default=ParticipationResult.REGISTERED)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    certificate = models.FileField(_("certificate file"), upload_to=certificate_path,
                                   blank=True, max_length=200)
    certificate_number = models.CharField(_("certificate number"), max_length=50, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["course", "staff__staff_code"]
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            models.UniqueConstraint(
                fields=["course", "staff"], name="participation_once_per_course",
                violation_error_message=_("This staff member is already registered for the "
                                          "course."),
            ),
            models.CheckConstraint(
                condition=(
                    Q(result=indicators.COMPLETED) & Q(completed_on__isnull=False)
                    & ~Q(certificate="")
                ) | (~Q(result=indicators.COMPLETED) & Q(completed_on__isnull=True)),
                name="participation_completion_has_date_and_evidence",
                violation_error_message=_(
                    "A completed training needs its completion date and evidence: the uploaded "
                    "certificate file. Other results have no completion date."
                ),
            ),
        ]
        indexes = [models.Index(fields=["staff", "result"])]

    def __str__(self):
        return f"{self.staff} · {self.course.code}"

    @property
    def has_evidence(self) -> bool:
        """The evidence of a completion is the uploaded certificate (a number alone is not)."""
        return bool(self.certificate)

    @property
    def is_result(self) -> bool:
        return self.result != indicators.REGISTERED
