"""Admission rounds and their quota per occupation (one quota row per round × occupation)."""

import pghistory
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vetschool.reference.models import Occupation


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
