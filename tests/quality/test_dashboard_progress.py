"""The 2222 dashboard's d2 progress ratios, d5, d6 and d1: each tile equals a plain SQL
recomputation from the raw rows, and its drill-down lists exactly the records counted."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from grading.models import ModuleResult
from quality import indicator_selectors, indicators
from quality.models import StatisticalReport
from tests.factories import UserFactory
from tests.grading.factories import section, semester, world
from vetschool.accounts import roles
from vetschool.jobs import JobStatus
from vetschool.sync.models import Record

pytestmark = pytest.mark.django_db

AS_OF = date(2026, 12, 1)


def acknowledge(record_type: str, pk: int, *, sent: bool) -> None:
    Record.objects.update_or_create(
        type=record_type, object_pk=str(pk),
        defaults={"key": {"pk": pk}, "key_text": f"{record_type}-{pk}", "version": 3,
                  "data_hash": "x", "sent_version": 3 if sent else 2})


@pytest.fixture
def college():
    w = world(3, year=2025)
    # semester 1 of 2025-26 ended in January 2026: results are due; semester 2 of 2026-27
    # has not ended on AS_OF: nothing due from it
    ended = section(w, "MH01", sem=semester(2025, 1))
    section(w, "MH08", sem=semester(2026, 2))
    first, second, third = w.enrollments
    for enrollment in (first, second):
        result = ModuleResult.objects.create(
            enrollment=enrollment, module=ended.module, score_10="7.5", letter="B",
            score_4="3.0", passed=True, attempts=1, status="passed", credits=4,
            counts_in_gpa=True)
        acknowledge("module_result", result.pk, sent=enrollment == first)
    acknowledge("enrollment", first.pk, sent=True)
    acknowledge("enrollment", second.pk, sent=False)
    online = section(w, "MĐ07", sem=semester(2026, 1))
    online.delivery_form = "blended"
    online.save(update_fields=["delivery_form"])
    qa = UserFactory(roles=[roles.QA_OFFICER], is_staff=True)
    # periodic reports due from 01/12/2025 to AS_OF: 31/12/2025 and 30/06/2026; only the
    # half-year one was produced (a failed try of the annual one does not count)
    for start, end, status in ((date(2026, 1, 1), date(2026, 6, 30), JobStatus.DONE),
                               (date(2025, 1, 1), date(2025, 12, 31), JobStatus.FAILED),
                               (date(2026, 1, 1), date(2026, 3, 31), JobStatus.DONE)):
        StatisticalReport.objects.create(period_start=start, period_end=end, status=status,
                                         total=2, done=2, created_by=qa)
    return w, qa


def sql(query: str, params=()):
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchone()


def test_the_new_tiles_equal_plain_sql(college):
    tiles = {t.code: t for t in indicators.dashboard(AS_OF)}
    assert {"d2-learners", "d2-results", "d5", "d6", "d1"} <= set(tiles)

    assert (tiles["d2-learners"].numerator, tiles["d2-learners"].denominator) == sql("""
        SELECT count(*) FILTER (WHERE EXISTS (
                 SELECT 1 FROM sync_record r WHERE r.type = 'enrollment'
                   AND r.object_pk = e.id::text AND r.sent_version >= r.version)), count(*)
        FROM enrollment_enrollment e WHERE e.status = 'studying'""") == (1, 3)

    assert (tiles["d2-results"].numerator, tiles["d2-results"].denominator) == sql("""
        SELECT count(*) FILTER (WHERE EXISTS (
                 SELECT 1 FROM training_moduleresult m JOIN sync_record r
                   ON r.type = 'module_result' AND r.object_pk = m.id::text
                  AND r.sent_version >= r.version
                 WHERE m.enrollment_id = sl.enrollment_id AND m.module_id = sl.module_id)),
               count(*)
        FROM training_sectionlearner sl
        JOIN training_section s ON s.id = sl.section_id
        JOIN training_semester sem ON sem.id = s.semester_id
        WHERE sl.removed_at IS NULL AND sem.ends_on <= %s""", [AS_OF]) == (1, 3)

    assert (tiles["d5"].numerator, tiles["d5"].denominator) == (1, 2)
    assert (tiles["d5"].numerator,) == sql("""
        SELECT count(DISTINCT (period_start, period_end)) FROM quality_statisticalreport
        WHERE status = 'done' AND period_start = make_date(extract(year FROM period_end)::int,
                                                           1, 1)
          AND to_char(period_end, 'MM-DD') IN ('06-30', '12-31')
          AND period_end > %s::date - interval '12 months' AND period_end <= %s""",
        [AS_OF, AS_OF])
    # the trend: in 2025 nothing was produced of the two due
    assert [(p.year, p.numerator, p.denominator) for p in tiles["d5"].trend][-2:] == [
        (2025, 0, 2), (2026, 1, 2)]

    # d6: the college is not a high-quality institution by default: shown, not counted
    assert (tiles["d6"].numerator, tiles["d6"].denominator) == (1, 0)
    assert tiles["d1"].numerator == tiles["d1"].denominator == 3


def test_d6_counts_for_a_high_quality_institution(college, settings):
    settings.QUALITY_HIGH_QUALITY_INSTITUTION = True
    assert (indicators.online_tile(AS_OF).numerator,
            indicators.online_tile(AS_OF).denominator) == (1, 1)
    # in the school year 2024-25 no section was taught online
    assert indicators.online_tile(date(2025, 3, 1)).numerator == 0


@pytest.mark.parametrize(("indicator", "expected_rows", "needle"), [
    ("d2-learners", 3, "Có"),
    ("d2-results", 3, "MH01"),
    ("d5", 2, "30/06/2026"),
    ("d6", 1, "Kết hợp"),
    ("d1", 3, "/verify/"),
])
def test_each_drill_down_lists_what_its_tile_counts(college, indicator, expected_rows, needle,
                                                    django_assert_max_num_queries):
    _w, qa = college
    client = Client()
    client.force_login(qa)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("quality:dashboard-records"),
                          {"indicator": indicator, "as_of": AS_OF.isoformat()})
    assert page.status_code == 200
    assert len(page.context["rows"]) == expected_rows
    assert needle in page.content.decode()
    dashboard = client.get(reverse("quality:dashboard"), {"as_of": AS_OF.isoformat()})
    assert f"indicator={indicator}" in dashboard.content.decode()


def test_reports_due_follow_the_setting(settings):
    settings.QUALITY_PERIODIC_REPORT_ENDS = [(12, 31)]
    assert indicator_selectors.reports_due(as_of=date(2026, 12, 31)) == [
        (date(2026, 1, 1), date(2026, 12, 31))]
    assert indicator_selectors.reports_due(as_of=date(2026, 12, 30)) == [
        (date(2025, 1, 1), date(2025, 12, 31))]


def test_the_indicators_api_gives_the_dashboards_tiles(college, api_client):
    _w, qa = college
    api_client.force_authenticate(qa)
    response = api_client.get("/api/v1/indicators/", {"as_of": AS_OF.isoformat()})
    assert response.status_code == 200
    by_code = {row["code"]: row for row in response.json()}
    tiles = {t.code: t for t in indicators.dashboard(AS_OF)}
    assert set(by_code) == set(tiles)
    assert (by_code["d2-results"]["numerator"], by_code["d2-results"]["denominator"]) == (1, 3)
    assert [p["year"] for p in by_code["d5"]["trend"]][-1] == 2026
    assert api_client.get("/api/v1/indicators/", {"as_of": "31/12"}).status_code == 400
    learner = UserFactory(roles=[roles.LEARNER])
    api_client.force_authenticate(learner)
    assert api_client.get("/api/v1/indicators/").status_code == 403


def test_each_trend_is_drawn_as_a_chart(college):
    import re

    _w, qa = college
    client = Client()
    client.force_login(qa)
    body = client.get(reverse("quality:dashboard"), {"as_of": AS_OF.isoformat()}) \
        .content.decode()
    row = body.split('data-indicator="d5"', 1)[1].split("</tr>", 1)[0]
    assert '<svg class="trend-chart"' in row
    # 2025: nothing produced of two due (0 %); 2026: one of two (50 % of 40 px = 20)
    heights = re.findall(r'<rect [^>]*height="(\d+)"', row)
    assert heights[-2:] == ["0", "20"]
