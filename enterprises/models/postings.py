"""A job posting (tin tuyển dụng): entered by staff, or submitted by an enterprise through
the public form and published once staff approve it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from enterprises.models.enterprises import TAX_CODE_PATTERN, Enterprise
from vetschool.history import tracked
from vetschool.reference.models import Occupation, ProvincialUnit
from vetschool.spreadsheets import no_formula_start


class SalaryBand(models.TextChoices):
    """Monthly gross salary, in million VND."""

    UNDER_5 = "lt5", _("Under 5 million VND")
    FROM_5 = "5-8", _("5–8 million VND")
    FROM_8 = "8-12", _("8–12 million VND")
    FROM_12 = "12-20", _("12–20 million VND")
    OVER_20 = "gt20", _("Over 20 million VND")
    NEGOTIABLE = "negotiable", _("Negotiable")


@tracked()
class JobPosting(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        OPEN = "open", _("Published")
        REJECTED = "rejected", _("Rejected")
        CLOSED = "closed", _("Closed")

    class Source(models.TextChoices):
        STAFF = "staff", _("Entered by staff")
        PUBLIC = "public", _("Submitted by the enterprise")

    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, null=True, blank=True, related_name="postings",
        verbose_name=_("enterprise"),
        help_text=_("A partner enterprise; a submission from an unknown enterprise carries its "
                    "name and tax code until staff link it."))
    enterprise_name = models.CharField(_("enterprise name (as submitted)"), max_length=300,
                                       blank=True, validators=[no_formula_start])
    tax_code = models.CharField(_("tax code (as submitted)"), max_length=14, blank=True)
    title = models.CharField(_("job title"), max_length=200, validators=[no_formula_start])
    occupation = models.ForeignKey(Occupation, on_delete=models.PROTECT, related_name="postings",
                                   verbose_name=_("occupation"))
    province = models.ForeignKey(ProvincialUnit, on_delete=models.PROTECT,
                                 related_name="postings", verbose_name=_("work place"))
    salary_band = models.CharField(_("salary"), max_length=12, choices=SalaryBand.choices)
    openings = models.PositiveSmallIntegerField(_("openings"), default=1)
    description = models.TextField(_("description and requirements"))
    deadline = models.DateField(_("application deadline"))
    contact_name = models.CharField(_("contact person"), max_length=150,
                                    validators=[no_formula_start])
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices,
                              default=Source.STAFF)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reject_reason = models.CharField(_("reason for rejection"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("job posting")
        verbose_name_plural = _("job postings")
        ordering = ["deadline", "title"]
        constraints = [
            models.CheckConstraint(condition=Q(openings__gte=1), name="posting_has_openings"),
            # Who posts: a partner, or a name and a well-formed tax code as submitted.
            models.CheckConstraint(
                condition=Q(enterprise__isnull=False)
                | (~Q(enterprise_name="") & Q(tax_code__regex=TAX_CODE_PATTERN)),
                name="posting_names_its_enterprise"),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(reject_reason=""),
                name="posting_rejection_has_reason"),
        ]
        indexes = [models.Index(fields=["status", "occupation", "deadline"],
                                name="posting_open_by_occupation")]

    def __str__(self):
        return self.title

    @property
    def employer_name(self) -> str:
        return self.enterprise.name if self.enterprise_id else self.enterprise_name
