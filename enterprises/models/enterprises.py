"""A partner enterprise (doanh nghiệp) and its contact people."""

from __future__ import annotations

import re

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from vetschool.history import tracked
from vetschool.reference.models import Occupation, ProvincialUnit
from vetschool.search import ImmutableUnaccent
from vetschool.spreadsheets import no_formula_start

# A tax code (mã số thuế) has 10 digits; a dependent unit (branch) adds "-" and 3 digits
# (Circular 105/2020/TT-BTC, Art. 5).
TAX_CODE_PATTERN = r"^\d{10}(-\d{3})?$"
TAX_CODE_VALIDATOR = RegexValidator(
    TAX_CODE_PATTERN,
    _("A tax code has 10 digits, or 10 digits, a dash and 3 digits for a branch "
      "(e.g. 0101234567 or 0101234567-001)."),
    code="tax_code")


def normalize_tax_code(value: str) -> str:
    """The tax code as stored: spaces and dots typed between the digits removed, a branch
    separated by one dash."""
    text = re.sub(r"[\s.]", "", value or "")
    return re.sub(r"[–—_/]", "-", text)


class Sector(models.TextChoices):
    """Sections of the Vietnam Standard Industrial Classification (VSIC 2018, level 1)."""

    AGRICULTURE = "A", _("Agriculture, forestry and fishing")
    MINING = "B", _("Mining and quarrying")
    MANUFACTURING = "C", _("Manufacturing")
    ENERGY = "D", _("Electricity, gas, steam and air conditioning supply")
    WATER = "E", _("Water supply, sewerage and waste management")
    CONSTRUCTION = "F", _("Construction")
    TRADE = "G", _("Wholesale and retail trade; repair of motor vehicles")
    TRANSPORT = "H", _("Transportation and storage")
    HOSPITALITY = "I", _("Accommodation and food service activities")
    INFORMATION = "J", _("Information and communication")
    FINANCE = "K", _("Financial, banking and insurance activities")
    REAL_ESTATE = "L", _("Real estate activities")
    PROFESSIONAL = "M", _("Professional, scientific and technical activities")
    ADMINISTRATIVE = "N", _("Administrative and support service activities")
    PUBLIC = "O", _("Public administration and defence")
    EDUCATION = "P", _("Education and training")
    HEALTH = "Q", _("Human health and social work activities")
    ARTS = "R", _("Arts, entertainment and recreation")
    OTHER = "S", _("Other service activities")


@tracked()
class Enterprise(models.Model):
    tax_code = models.CharField(
        _("tax code"), max_length=14, unique=True, validators=[TAX_CODE_VALIDATOR],
        help_text=_("10 digits, or 10 digits-3 digits for a branch."))
    name = models.CharField(_("name"), max_length=300, validators=[no_formula_start])
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    sector = models.CharField(_("sector"), max_length=1, choices=Sector.choices)
    province = models.ForeignKey(ProvincialUnit, on_delete=models.PROTECT,
                                 related_name="enterprises", verbose_name=_("province/city"))
    address = models.CharField(_("address"), max_length=300)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    occupations = models.ManyToManyField(
        Occupation, blank=True, related_name="enterprises", verbose_name=_("occupations taken"),
        help_text=_("The occupations whose learners and graduates the enterprise takes."))
    is_active = models.BooleanField(_("active partner"), default=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("partner enterprise")
        verbose_name_plural = _("partner enterprises")
        ordering = ["name", "tax_code"]
        constraints = [
            models.CheckConstraint(condition=Q(tax_code__regex=TAX_CODE_PATTERN),
                                   name="enterprise_tax_code_format"),
        ]
        indexes = [
            GinIndex(OpClass(ImmutableUnaccent(Lower("name")), name="gin_trgm_ops"),
                     name="enterprise_name_trgm"),
        ]

    def __str__(self):
        return f"{self.name} ({self.tax_code})"

    def save(self, *args, **kwargs):
        self.tax_code = normalize_tax_code(self.tax_code)
        super().save(*args, **kwargs)


class Contact(models.Model):
    """A contact person of an enterprise; a mentor guides interns (placements, in grading)."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="contacts",
                                   verbose_name=_("enterprise"))
    full_name = models.CharField(_("full name"), max_length=150,
                                 validators=[no_formula_start])
    position = models.CharField(_("position"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    is_mentor = models.BooleanField(_("mentors interns"), default=False)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("contact person")
        verbose_name_plural = _("contact people")
        ordering = ["enterprise", "full_name"]

    def __str__(self):
        return self.full_name
