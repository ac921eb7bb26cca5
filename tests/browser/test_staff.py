"""Staff pages in a real browser: a teacher self-assesses; HR reads the indicators chart.
Both pages have no serious or critical accessibility violation (axe-core)."""

from datetime import date

import pytest
from django.utils import timezone

from staff import services
from staff.models import AssessmentPeriod, CompetencyFramework
from tests.browser.conftest import log_in, serious_accessibility_violations
from tests.staff import helpers

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def framework():
    """Transactional tests flush the data migrations' rows: load the default framework again."""
    from importlib import import_module

    from django.apps import apps

    import_module("staff.migrations.0002_digcompedu_framework").load(apps, None)
    return CompetencyFramework.objects.get(is_active=True)


def test_a_teacher_self_assesses_in_the_portal(page, live_server, teacher, framework):
    department = helpers.department("CNTT", "Khoa Công nghệ thông tin")
    # No personal ID: the flushed database has no province codes to check it against.
    member = helpers.staff("GV0001", dept=department, user=teacher, with_id=False)
    today = timezone.localdate()
    services.period_save(period=AssessmentPeriod(
        framework=framework, name=f"Năm {today.year}", starts_on=today.replace(month=1, day=1),
        ends_on=today.replace(month=12, day=31)))
    log_in(page, live_server, teacher.username)
    page.goto(f"{live_server.url}/teacher/profile/self-assessment/")
    assert serious_accessibility_violations(page) == []
    for fieldset in page.locator("fieldset").all():
        fieldset.locator("input[type=radio]").nth(2).check()  # B1 in every area
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state("networkidle")
    assert page.locator(".message").first.is_visible()
    assert member.assessments.get().ratings.filter(self_level__code="B1").count() == 6
    page.goto(f"{live_server.url}/teacher/profile/")
    assert serious_accessibility_violations(page) == []


def test_hr_reads_the_indicators_chart(page, live_server, hr_officer):
    department = helpers.department("CNTT", "Khoa Công nghệ thông tin")
    training = helpers.course(starts=date(2024, 3, 1), ends=date(2024, 3, 31))
    helpers.complete(helpers.staff(dept=department, with_id=False), training)
    helpers.staff(dept=department, with_id=False)
    log_in(page, live_server, hr_officer.username)
    page.goto(f"{live_server.url}/staff/indicators/?as_of=2024-12-31")
    chart = page.locator("svg.chart")
    assert chart.is_visible()
    assert chart.locator("rect").count() >= 2
    assert "50" in page.locator("table.data").first.inner_text()
    assert serious_accessibility_violations(page) == []
