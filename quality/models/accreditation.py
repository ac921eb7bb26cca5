"""Accreditation self-assessment (tự đánh giá kiểm định chất lượng, REGULATIONS §8).

Frameworks (Circular 14/2024, 15/2017) → criteria → standards are data, loaded from
quality/data by migration 0002 and edited in the admin; thresholds left empty are unknown.
A self-assessment cycle rates every standard of its framework per year of the compliance
window; once approved it is frozen (database triggers, migration 0002): a correction is a
new cycle that names the one it revises. Evidence items are reusable across standards and
cycles.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from enterprises.models import Agreement, Enterprise


class Framework(models.Model):
    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=300)
    points_per_standard = models.DecimalField(_("points per standard met"), max_digits=4,
                                              decimal_places=1)
    pass_total = models.DecimalField(
        _("total points to pass"), max_digits=5, decimal_places=1, null=True, blank=True,
        help_text=_("Leave empty while the threshold is unknown."))
    min_criterion_percent = models.PositiveSmallIntegerField(
        _("every criterion at least (percent of the benchmark)"), null=True, blank=True,
        validators=[MaxValueValidator(100)])
    key_criteria = models.CharField(
        _("key criteria"), max_length=40, blank=True,
        help_text=_("Numbers separated by commas, e.g. 2,3,4,5."))
    key_criterion_percent = models.PositiveSmallIntegerField(
        _("key criteria at least (percent of the benchmark)"), null=True, blank=True,
        validators=[MaxValueValidator(100)])
    years_college = models.PositiveSmallIntegerField(
        _("compliance years (college)"), default=1, validators=[MinValueValidator(1)])
    years_intermediate = models.PositiveSmallIntegerField(
        _("compliance years (intermediate school)"), default=1,
        validators=[MinValueValidator(1)])
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("accreditation framework")
        verbose_name_plural = _("accreditation frameworks")
        ordering = ["code"]

    def __str__(self):
        return self.code

    @property
    def key_criteria_numbers(self) -> frozenset[int]:
        return frozenset(int(n) for n in self.key_criteria.replace(" ", "").split(",") if n)


class Criterion(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="criteria",
                                  verbose_name=_("framework"))
    number = models.PositiveSmallIntegerField(_("number"))
    name = models.CharField(_("name"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    benchmark_points = models.DecimalField(
        _("benchmark points"), max_digits=5, decimal_places=1, null=True, blank=True,
        help_text=_("Leave empty while unknown."))

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["framework", "number"]
        constraints = [models.UniqueConstraint(fields=["framework", "number"],
                                               name="quality_criterion_unique_number")]

    def __str__(self):
        return f"{self.framework.code} – {self.number}. {self.name}"


class Standard(models.Model):
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="standards",
                                  verbose_name=_("criterion"))
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("text"), blank=True)
    text_en = models.TextField(_("text (English)"), blank=True)
    source = models.TextField(_("source"), blank=True)

    class Meta:
        verbose_name = _("standard")
        verbose_name_plural = _("standards")
        ordering = ["criterion__framework", "criterion__number", "number"]
        constraints = [models.UniqueConstraint(fields=["criterion", "number"],
                                               name="quality_standard_unique_number")]

    def __str__(self):
        return f"{self.criterion.framework.code} {self.code}"

    @property
    def code(self) -> str:
        return f"{self.criterion.number}.{self.number}"


def evidence_path(instance, filename: str) -> str:
    suffix = Path(filename).suffix.lower()[:10]
    return f"quality/evidence/{uuid.uuid4().hex}{suffix}"


class EvidenceItem(models.Model):
    code = models.CharField(_("code"), max_length=20, unique=True,
                            help_text=_("[criterion.standard.sequence] of the first standard "
                                        "it was filed under."))
    first_standard = models.ForeignKey(Standard, on_delete=models.PROTECT, related_name="+",
                                       verbose_name=_("filed under standard"))
    title = models.CharField(_("title"), max_length=300)
    issuer = models.CharField(_("issuer"), max_length=200, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    file = models.FileField(_("file"), upload_to=evidence_path, blank=True, max_length=200,
                            help_text=_("PDF or image, at most 5 MB."))
    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="evidence_items",
                                  verbose_name=_("enterprise agreement"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("evidence item")
        verbose_name_plural = _("evidence items")
        ordering = ["code"]

    def __str__(self):
        return f"[{self.code}] {self.title}"


class CycleState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    REVIEW = "review", _("Under review")
    APPROVED = "approved", _("Approved")


class SchoolLevel(models.TextChoices):
    COLLEGE = "college", _("College")
    INTERMEDIATE = "intermediate", _("Intermediate school")


class Cycle(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="cycles",
                                  verbose_name=_("framework"))
    title = models.CharField(_("title"), max_length=200)
    level = models.CharField(_("school level"), max_length=12, choices=SchoolLevel.choices,
                             default=SchoolLevel.COLLEGE)
    assessment_year = models.PositiveSmallIntegerField(
        _("assessment year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    window_years = models.PositiveSmallIntegerField(
        _("years in the compliance window"), validators=[MinValueValidator(1)],
        help_text=_("Set from the framework and level when the cycle is created."))
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    report_due = models.DateField(_("report due"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=CycleState.choices,
                             default=CycleState.DRAFT)
    revises = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="revisions", verbose_name=_("revises"))
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)

    class Meta:
        verbose_name = _("self-assessment cycle")
        verbose_name_plural = _("self-assessment cycles")
        ordering = ["-assessment_year", "-id"]

    def __str__(self):
        return f"{self.title} ({self.assessment_year})"

    @property
    def years(self) -> list[int]:
        return list(range(self.assessment_year - self.window_years + 1,
                          self.assessment_year + 1))

    @property
    def is_frozen(self) -> bool:
        return self.state == CycleState.APPROVED


class CouncilRole(models.TextChoices):
    CHAIR = "chair", _("Chair")
    VICE_CHAIR = "vice_chair", _("Vice chair")
    SECRETARY = "secretary", _("Secretary")
    MEMBER = "member", _("Member")


class CouncilMember(models.Model):
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="council",
                              verbose_name=_("cycle"))
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role"), max_length=12, choices=CouncilRole.choices,
                            default=CouncilRole.MEMBER)
    enterprise_representative = models.BooleanField(_("enterprise representative"),
                                                    default=False)
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("enterprise"))

    class Meta:
        verbose_name = _("council member")
        verbose_name_plural = _("council members")
        ordering = ["cycle", "id"]

    def __str__(self):
        return self.name


class WorkingGroup(models.Model):
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="working_groups",
                              verbose_name=_("cycle"))
    name = models.CharField(_("name"), max_length=200)
    leader = models.CharField(_("leader"), max_length=200, blank=True)
    standards = models.ManyToManyField(Standard, blank=True, related_name="+",
                                       verbose_name=_("standards"))

    class Meta:
        verbose_name = _("working group")
        verbose_name_plural = _("working groups")
        ordering = ["cycle", "name"]

    def __str__(self):
        return self.name


class StandardAssessment(models.Model):
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="assessments",
                              verbose_name=_("cycle"))
    standard = models.ForeignKey(Standard, on_delete=models.PROTECT, related_name="assessments",
                                 verbose_name=_("standard"))
    current_state = models.TextField(_("current state"), blank=True)
    strengths = models.TextField(_("strengths"), blank=True)
    weaknesses = models.TextField(_("weaknesses"), blank=True)
    improvement_plan = models.TextField(_("improvement plan"), blank=True)
    evidence = models.ManyToManyField(EvidenceItem, blank=True, related_name="assessments",
                                      verbose_name=_("evidence"))

    class Meta:
        verbose_name = _("standard self-assessment")
        verbose_name_plural = _("standard self-assessments")
        ordering = ["cycle", "standard__criterion__number", "standard__number"]
        constraints = [models.UniqueConstraint(fields=["cycle", "standard"],
                                               name="quality_assessment_unique_standard")]

    def __str__(self):
        return f"{self.cycle} – {self.standard.code}"


class YearRating(models.Model):
    assessment = models.ForeignKey(StandardAssessment, on_delete=models.CASCADE,
                                   related_name="ratings", verbose_name=_("standard"))
    year = models.PositiveSmallIntegerField(_("year"))
    met = models.BooleanField(_("complied with"))

    class Meta:
        verbose_name = _("self-rating")
        verbose_name_plural = _("self-ratings")
        ordering = ["assessment", "year"]
        constraints = [models.UniqueConstraint(fields=["assessment", "year"],
                                               name="quality_rating_unique_year")]

    def __str__(self):
        return f"{self.year}: {'✓' if self.met else '✗'}"
