"""Graduate tracking (khảo sát việc làm sau tốt nghiệp): one record per graduate and
checkpoint (6 and 12 months after graduation), with where the answer came from."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from enterprises.models import Enterprise
from vetschool.history import tracked


class Checkpoint(models.IntegerChoices):
    SIX_MONTHS = 6, _("6 months after graduation")
    TWELVE_MONTHS = 12, _("12 months after graduation")


class EmploymentStatus(models.TextChoices):
    IN_OCCUPATION = "in_occupation", _("Employed in the occupation trained")
    OUTSIDE = "outside", _("Employed outside the occupation")
    SELF_EMPLOYED = "self_employed", _("Self-employed")
    FURTHER_STUDY = "further_study", _("In further study")
    NOT_EMPLOYED = "not_employed", _("Not employed")


EMPLOYED = (EmploymentStatus.IN_OCCUPATION, EmploymentStatus.OUTSIDE,
            EmploymentStatus.SELF_EMPLOYED)


class JobRelatedness(models.TextChoices):
    RELATED = "related", _("Related to the occupation")
    PARTLY = "partly", _("Partly related")
    UNRELATED = "unrelated", _("Not related")


class IncomeBand(models.TextChoices):
    UNDER_5 = "lt5", _("Under 5 million VND")
    FROM_5 = "5-8", _("5–8 million VND")
    FROM_8 = "8-12", _("8–12 million VND")
    FROM_12 = "12-20", _("12–20 million VND")
    OVER_20 = "gt20", _("Over 20 million VND")


class TracerSource(models.TextChoices):
    SURVEY = "survey", _("Graduate survey")
    ENTERPRISE = "enterprise", _("Confirmed by the enterprise")
    STAFF = "staff", _("Entered by staff (phone call, visit)")


@tracked()
class TracerRecord(models.Model):
    enrollment = models.ForeignKey("enrollment.Enrollment", on_delete=models.PROTECT,
                                   related_name="tracer_records", verbose_name=_("graduate"))
    checkpoint = models.PositiveSmallIntegerField(_("checkpoint"), choices=Checkpoint.choices)
    status = models.CharField(_("employment status"), max_length=15,
                              choices=EmploymentStatus.choices)
    employer = models.ForeignKey(Enterprise, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="graduates", verbose_name=_("employer (partner)"))
    employer_name = models.CharField(_("employer (other)"), max_length=300, blank=True)
    relatedness = models.CharField(_("job related to the occupation"), max_length=10,
                                   choices=JobRelatedness.choices, blank=True)
    income_band = models.CharField(_("monthly income"), max_length=6,
                                   choices=IncomeBand.choices, blank=True)
    months_to_first_job = models.PositiveSmallIntegerField(
        _("months to the first job"), null=True, blank=True,
        validators=[MaxValueValidator(120)])
    source = models.CharField(_("source"), max_length=10, choices=TracerSource.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+",
                                    verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)

    class Meta:
        verbose_name = _("graduate tracking record")
        verbose_name_plural = _("graduate tracking records")
        ordering = ["enrollment", "checkpoint"]
        constraints = [
            # Each graduate counts once per checkpoint.
            models.UniqueConstraint(fields=["enrollment", "checkpoint"],
                                    name="tracer_once_per_checkpoint"),
            models.CheckConstraint(condition=Q(checkpoint__in=[6, 12]),
                                   name="tracer_checkpoint_6_or_12"),
            # Someone employed has an employer or works for themselves, and says how related.
            models.CheckConstraint(
                condition=~Q(status__in=["in_occupation", "outside"])
                | Q(employer__isnull=False) | ~Q(employer_name=""),
                name="tracer_employed_names_employer"),
            models.CheckConstraint(
                condition=Q(status__in=["in_occupation", "outside", "self_employed"])
                | (Q(relatedness="") & Q(income_band="")),
                name="tracer_job_facts_only_when_employed"),
        ]

    def __str__(self):
        return f"{self.enrollment_id} @ {self.checkpoint}"

    @property
    def employer_display(self) -> str:
        return self.employer.name if self.employer_id else self.employer_name
