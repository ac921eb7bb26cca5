"""seed_demo's quality part: a 14/2024 cycle in progress with two enterprise
representatives and evidence, a closed anonymous survey with its ballots, a frozen report
of last year — idempotent."""

import pytest
from django.utils import timezone

from quality import selectors_accreditation as selectors
from quality.models import (
    Ballot,
    CouncilMember,
    Cycle,
    EvidenceItem,
    PendingBallot,
    StatisticalReport,
    Survey,
)
from vetschool import demo

pytestmark = pytest.mark.django_db


def counts():
    return (Cycle.objects.count(), CouncilMember.objects.count(), EvidenceItem.objects.count(),
            Survey.objects.count(), Ballot.objects.count(), StatisticalReport.objects.count())


def test_seed_demo_quality_part():
    demo.seed_all()
    cycle = Cycle.objects.get(framework__code="TT14/2024")
    assert cycle.state == "draft" and cycle.assessment_year == timezone.localdate().year
    representatives = cycle.council.filter(enterprise_representative=True)
    assert representatives.count() == 2 and all(m.enterprise_id for m in representatives)
    assert selectors.council_warnings(cycle) == []
    described = cycle.assessments.exclude(current_state="")
    assert described.count() == 3
    assert not selectors.standards_without_evidence(cycle).filter(
        pk__in=described.values("pk")).exists()
    assert EvidenceItem.objects.filter(agreement__isnull=False).count() == 1
    assert selectors.cycle_result(cycle).total == 6  # three standards met, 2 points each

    survey = Survey.objects.get(anonymous=True)
    assert survey.state == "closed" and survey.closed_on == timezone.localdate()
    answered = survey.invitations.filter(answered=True).count()
    assert answered == survey.invitations.count() - survey.sections.count() >= 15
    assert Ballot.objects.filter(survey=survey).count() == answered
    assert not PendingBallot.objects.exists()

    year = timezone.localdate().year - 1
    report = StatisticalReport.objects.get(period_start__year=year, period_end__month=12)
    assert (report.period_start.year, report.period_end.year, report.status) == (
        year, year, "done")
    assert report.figures and report.file

    before = counts()
    demo.seed_all()
    assert counts() == before
