"""A cooperation agreement (thỏa thuận hợp tác) between the college and an enterprise."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from pathlib import Path

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from enterprises.models.enterprises import Enterprise
from vetschool.history import tracked


class AgreementScope(models.TextChoices):
    """What an agreement covers; the field names of `Agreement`'s scope flags."""

    INTERNSHIPS = "internships", _("Internships and practice at the enterprise")
    CO_TEACHING = "co_teaching", _("Co-teaching")
    EQUIPMENT = "equipment", _("Equipment")
    RECRUITMENT = "recruitment", _("Recruitment of graduates")
    COUNCIL = "council", _("Council membership (accreditation)")


def agreement_path(instance, filename: str) -> str:
    suffix = Path(filename).suffix.lower()[:10]
    return f"enterprises/agreements/{uuid.uuid4().hex}{suffix}"


class ExpiryState(models.TextChoices):
    NOT_STARTED = "not_started", _("Not yet in force")
    ACTIVE = "active", _("In force")
    EXPIRING = "expiring", _("Expiring soon")
    EXPIRED = "expired", _("Expired")


@tracked()
class Agreement(models.Model):
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT,
                                   related_name="agreements", verbose_name=_("enterprise"))
    number = models.CharField(_("agreement number"), max_length=60)
    signed_on = models.DateField(_("signed on"))
    starts_on = models.DateField(_("in force from"))
    ends_on = models.DateField(_("in force until"), null=True, blank=True,
                               help_text=_("Leave empty for an agreement without an end date."))
    internships = models.BooleanField(AgreementScope.INTERNSHIPS.label, default=False)
    co_teaching = models.BooleanField(AgreementScope.CO_TEACHING.label, default=False)
    equipment = models.BooleanField(AgreementScope.EQUIPMENT.label, default=False)
    recruitment = models.BooleanField(AgreementScope.RECRUITMENT.label, default=False)
    council = models.BooleanField(AgreementScope.COUNCIL.label, default=False)
    summary = models.TextField(_("summary"), blank=True)
    file = models.FileField(_("signed copy"), upload_to=agreement_path, blank=True,
                            max_length=200, help_text=_("PDF or image, at most 5 MB."))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+",
                                    verbose_name=_("recorded by"))
    reminded_at = models.DateTimeField(_("expiry reminder sent"), null=True, blank=True,
                                       editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("cooperation agreement")
        verbose_name_plural = _("cooperation agreements")
        ordering = ["-starts_on", "number"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "number"],
                                    name="agreement_number_unique_per_enterprise"),
            models.CheckConstraint(condition=Q(ends_on__isnull=True)
                                   | Q(ends_on__gte=models.F("starts_on")),
                                   name="agreement_ends_after_start"),
            models.CheckConstraint(condition=Q(internships=True) | Q(co_teaching=True)
                                   | Q(equipment=True) | Q(recruitment=True) | Q(council=True),
                                   name="agreement_has_a_scope"),
        ]

    def __str__(self):
        return f"{self.number} — {self.enterprise.name}"

    @property
    def scopes(self) -> list[str]:
        return [scope.value for scope in AgreementScope if getattr(self, scope.value)]

    @property
    def scope_labels(self) -> list[str]:
        return [str(scope.label) for scope in AgreementScope if getattr(self, scope.value)]

    def expiry_state(self, today: date, reminder_days: int) -> str:
        if self.starts_on > today:
            return ExpiryState.NOT_STARTED
        if self.ends_on is None:
            return ExpiryState.ACTIVE
        if self.ends_on < today:
            return ExpiryState.EXPIRED
        if self.ends_on <= today + timedelta(days=reminder_days):
            return ExpiryState.EXPIRING
        return ExpiryState.ACTIVE

    def in_force_on(self, day: date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or day <= self.ends_on)
