"""Digital-competency framework, assessment periods, self-assessments and confirmations."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from staff.models.people import CODE_VALIDATOR, StaffMember, tracked


@tracked()
class CompetencyFramework(models.Model):
    """A competency framework: its areas are each assessed on its ranked levels."""

    code = models.CharField(_("code"), max_length=30, unique=True, validators=[CODE_VALIDATOR])
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(
        _("in use"), default=False,
        help_text=_("The framework new assessment periods use. Only one can be in use."),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("competency framework")
        verbose_name_plural = _("competency frameworks")
        constraints = [
            models.UniqueConstraint(
                fields=["is_active"], condition=Q(is_active=True),
                name="competency_framework_one_active",
                violation_error_message=_("Only one competency framework can be in use."),
            ),
        ]

    def __str__(self):
        return self.name


@tracked()
class CompetencyArea(models.Model):
    framework = models.ForeignKey(CompetencyFramework, on_delete=models.CASCADE,
                                  related_name="areas", verbose_name=_("framework"))
    number = models.PositiveSmallIntegerField(_("number"))
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["framework", "number"]
        verbose_name = _("competency area")
        verbose_name_plural = _("competency areas")
        constraints = [
            models.UniqueConstraint(fields=["framework", "number"],
                                    name="competency_area_number_unique"),
        ]

    def __str__(self):
        return f"{self.number}. {self.name}"


@tracked()
class CompetencyLevel(models.Model):
    """A proficiency level of a framework; `rank` orders them (1 = lowest)."""

    framework = models.ForeignKey(CompetencyFramework, on_delete=models.CASCADE,
                                  related_name="levels", verbose_name=_("framework"))
    code = models.CharField(_("code"), max_length=10)
    rank = models.PositiveSmallIntegerField(_("rank"))
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["framework", "rank"]
        verbose_name = _("competency level")
        verbose_name_plural = _("competency levels")
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"],
                                    name="competency_level_code_unique"),
            models.UniqueConstraint(fields=["framework", "rank"],
                                    name="competency_level_rank_unique"),
            models.CheckConstraint(condition=Q(rank__gte=1), name="competency_level_rank_positive"),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"


@tracked()
class AssessmentPeriod(models.Model):
    """A period (usually a year) in which staff self-assess and assessors confirm."""

    framework = models.ForeignKey(CompetencyFramework, on_delete=models.PROTECT,
                                  related_name="periods", verbose_name=_("framework"))
    name = models.CharField(_("name"), max_length=100)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    self_assessment_open = models.BooleanField(
        _("open for self-assessment"), default=True,
        help_text=_("While open and current, staff can self-assess in the portal."),
    )

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = _("assessment period")
        verbose_name_plural = _("assessment periods")
        constraints = [
            models.UniqueConstraint(fields=["framework", "name"],
                                    name="assessment_period_name_unique"),
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="assessment_period_dates_ordered",
                violation_error_message=_("A period cannot end before it starts."),
            ),
        ]

    def __str__(self):
        return self.name


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", _("Not yet self-assessed")
    SELF_ASSESSED = "self_assessed", _("Self-assessed, awaiting confirmation")
    CONFIRMED = "confirmed", _("Confirmed")


@tracked()
class CompetencyAssessment(models.Model):
    """One staff member's assessment in one period: self levels, then confirmed levels."""

    staff = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="assessments",
                              verbose_name=_("staff member"))
    period = models.ForeignKey(AssessmentPeriod, on_delete=models.PROTECT,
                               related_name="assessments", verbose_name=_("period"))
    status = models.CharField(_("status"), max_length=20, choices=AssessmentStatus.choices,
                              default=AssessmentStatus.DRAFT)
    self_assessed_at = models.DateTimeField(_("self-assessed at"), null=True, blank=True)
    assessor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 null=True, blank=True, related_name="+",
                                 verbose_name=_("assessor"))
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    assessor_note = models.TextField(_("assessor's note"), blank=True)

    class Meta:
        ordering = ["-period__starts_on", "staff"]
        verbose_name = _("competency assessment")
        verbose_name_plural = _("competency assessments")
        constraints = [
            models.UniqueConstraint(
                fields=["staff", "period"], name="competency_assessment_one_per_period",
                violation_error_message=_("This staff member already has an assessment in "
                                          "that period."),
            ),
            models.CheckConstraint(
                condition=~Q(status=AssessmentStatus.CONFIRMED)
                | (Q(assessor__isnull=False) & Q(confirmed_at__isnull=False)),
                name="competency_assessment_confirmed_by_assessor",
            ),
        ]

    def __str__(self):
        return f"{self.staff} · {self.period}"


@tracked()
class CompetencyRating(models.Model):
    """The level of one area in one assessment: as self-assessed and as confirmed."""

    assessment = models.ForeignKey(CompetencyAssessment, on_delete=models.CASCADE,
                                   related_name="ratings", verbose_name=_("assessment"))
    area = models.ForeignKey(CompetencyArea, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("area"))
    self_level = models.ForeignKey(CompetencyLevel, on_delete=models.PROTECT, null=True,
                                   blank=True, related_name="+",
                                   verbose_name=_("self-assessed level"))
    level = models.ForeignKey(CompetencyLevel, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+", verbose_name=_("confirmed level"))

    class Meta:
        ordering = ["assessment", "area__number"]
        verbose_name = _("competency rating")
        verbose_name_plural = _("competency ratings")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "area"],
                                    name="competency_rating_one_per_area"),
        ]

    def __str__(self):
        return f"{self.area}: {self.level or self.self_level or '-'}"
