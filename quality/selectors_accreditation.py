"""Reads of the accreditation self-assessment: a cycle's totals against its framework's
thresholds (quality/accreditation.py computes them), council warnings, and the evidence
library's unused / expired / missing evidence."""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Prefetch
from django.utils import timezone

from quality import accreditation as rules
from quality.models import (
    Criterion,
    Cycle,
    EvidenceItem,
    StandardAssessment,
    YearRating,
)


def thresholds(framework) -> rules.Thresholds:
    def ratio(percent):
        return None if percent is None else Decimal(percent) / 100

    return rules.Thresholds(
        points_per_standard=framework.points_per_standard,
        pass_total=framework.pass_total,
        min_criterion_ratio=ratio(framework.min_criterion_percent),
        key_criteria=framework.key_criteria_numbers,
        key_criterion_ratio=ratio(framework.key_criterion_percent))


def cycle_assessments(cycle: Cycle):
    """The cycle's assessments with standard, criterion, ratings and evidence, in order."""
    return (StandardAssessment.objects.filter(cycle=cycle)
            .select_related("standard__criterion")
            .prefetch_related(Prefetch("ratings", queryset=YearRating.objects.order_by("year")),
                              Prefetch("evidence", queryset=EvidenceItem.objects.order_by("code")))
            .order_by("standard__criterion__number", "standard__number"))


def cycle_result(cycle: Cycle, assessments=None) -> rules.Result:
    """Totals of the cycle; every criterion of the framework counts, even without standards."""
    assessments = cycle_assessments(cycle) if assessments is None else assessments
    met_by_criterion: dict[int, list] = defaultdict(list)
    for assessment in assessments:
        ratings = {r.year: r.met for r in assessment.ratings.all()}
        met_by_criterion[assessment.standard.criterion.number].append(
            rules.standard_met(ratings, cycle.years))
    criteria = Criterion.objects.filter(framework=cycle.framework).order_by("number")
    return rules.evaluate(thresholds(cycle.framework), [
        rules.CriterionInput(c.number, c.benchmark_points, tuple(met_by_criterion[c.number]))
        for c in criteria])


def council_warnings(cycle: Cycle) -> list[str]:
    return rules.council_warnings(cycle.council.values_list("role", "enterprise_representative"))


def evidence_unused():
    """Evidence items linked to no standard of any cycle."""
    return (EvidenceItem.objects.annotate(uses=Count("assessments")).filter(uses=0)
            .order_by("code"))


def evidence_expired(on: datetime.date | None = None):
    on = on or timezone.localdate()
    return EvidenceItem.objects.filter(valid_until__lt=on).order_by("code")


def standards_without_evidence(cycle: Cycle):
    """The cycle's assessments that cite no evidence."""
    return (StandardAssessment.objects.filter(cycle=cycle, evidence__isnull=True)
            .select_related("standard__criterion")
            .order_by("standard__criterion__number", "standard__number"))
