"""Internships at enterprises (thực tập doanh nghiệp): a learner of an internship section
placed at a partner enterprise, the enterprise mentor's one-time evaluation link, and the
evaluation the mentor gave. The mentor's scores are written into the section's gradebook by
the gradebook's own services (grading.services.internships), so they are reviewed,
submitted, approved, amended, kept in history and synced like every other score."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enterprises.models import Agreement, Contact, Enterprise
from staff.models import StaffMember
from training.models import SectionLearner


class Placement(models.Model):
    section_learner = models.OneToOneField(
        SectionLearner, on_delete=models.PROTECT, related_name="placement",
        verbose_name=_("learner in the section"))
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT,
                                   related_name="placements", verbose_name=_("enterprise"))
    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="placements",
                                  verbose_name=_("cooperation agreement"))
    mentor = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="interns",
                               verbose_name=_("enterprise mentor"))
    supervisor = models.ForeignKey(StaffMember, on_delete=models.PROTECT,
                                   related_name="interns", verbose_name=_("college supervisor"))
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("placed by"))
    created_at = models.DateTimeField(_("placed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("internship placement")
        verbose_name_plural = _("internship placements")
        ordering = ["enterprise", "section_learner"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")),
                                   name="placement_ends_after_start"),
        ]

    def __str__(self):
        return f"{self.section_learner} @ {self.enterprise.name}"


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class MentorLink(models.Model):
    """A one-time, expiring link for the mentor of one placement. Only the token's digest is
    stored; the link itself carries no personal data."""

    placement = models.ForeignKey(Placement, on_delete=models.PROTECT, related_name="links",
                                  verbose_name=_("placement"))
    digest = models.CharField(max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("mentor evaluation link")
        verbose_name_plural = _("mentor evaluation links")
        ordering = ["-created_at"]
        constraints = [
            # At most one usable link per placement: a new one revokes the old.
            models.UniqueConstraint(fields=["placement"],
                                    condition=Q(used_at__isnull=True, revoked_at__isnull=True),
                                    name="mentor_link_one_open_per_placement"),
        ]

    def __str__(self):
        return f"#{self.pk} ({self.placement})"

    @property
    def usable(self) -> bool:
        return (self.used_at is None and self.revoked_at is None
                and self.expires_at > timezone.now())


class MentorEvaluation(models.Model):
    """What the mentor gave through a link: the scores per column of the assessment plan
    (as entered, exact decimals as text) and a comment. The gradebook holds the scores."""

    placement = models.OneToOneField(Placement, on_delete=models.PROTECT,
                                     related_name="evaluation", verbose_name=_("placement"))
    link = models.OneToOneField(MentorLink, on_delete=models.PROTECT, related_name="evaluation",
                                verbose_name=_("link"))
    scores = models.JSONField(_("scores"))
    comment = models.TextField(_("mentor's comment"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("mentor evaluation")
        verbose_name_plural = _("mentor evaluations")

    def __str__(self):
        return str(self.placement)
