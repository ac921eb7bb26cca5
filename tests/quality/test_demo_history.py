"""seed_demo's quality history: a finished 15/2017 self-assessment (approved, frozen, with
council, ratings and evidence) and the past years' periodic reports produced on time, so
the dashboard's d5 trend is alive — idempotent."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import DatabaseError, transaction

from quality import indicators
from quality.models import Cycle, CycleState, StatisticalReport
from quality.selectors_accreditation import cycle_result
from vetschool import demo
from vetschool.jobs import JobStatus

pytestmark = pytest.mark.django_db


@time_machine.travel(datetime(2026, 12, 7, 9, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")), tick=False)
def test_demo_has_a_finished_cycle_and_past_reports():
    demo.seed_all()
    cycle = Cycle.objects.get(framework__code="TT15/2017")
    assert cycle.state == CycleState.APPROVED and cycle.approved_at.year == 2022
    assert cycle.council.filter(enterprise_representative=True).count() == 2
    assert cycle.assessments.filter(evidence__isnull=False).exists()
    result = cycle_result(cycle)
    step = cycle.framework.points_per_standard
    # three standards not met; the rest met in every year of the window: the cycle passes
    assert result.total == result.maximum - 3 * step and result.passed is True
    with pytest.raises(DatabaseError), transaction.atomic():  # frozen by the database
        cycle.assessments.update(strengths="sửa")

    reports = StatisticalReport.objects.filter(period_start__year__in=[2024, 2025])
    assert reports.count() == 4 and set(reports.values_list("status", flat=True)) == {
        JobStatus.DONE}
    trend = {p.year: (p.numerator, p.denominator) for p in indicators.reports_tile(
        date(2026, 12, 7)).trend}
    assert trend[2024] == (2, 2) and trend[2025] == (2, 2)

    demo.seed_all()
    assert Cycle.objects.filter(framework__code="TT15/2017").count() == 1
    assert StatisticalReport.objects.filter(period_start__year__in=[2024, 2025]).count() == 4
