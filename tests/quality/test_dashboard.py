"""The Decision 2222 dashboard: each tile equals a plain SQL recomputation from the raw rows,
equals the figure of the page it links to, and the page's query count is bounded."""

from __future__ import annotations

from datetime import date

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse

from degrees.models import Diploma
from quality import indicators
from quality.models import TracerRecord
from quality.services import tracer_record_save
from staff import indicators as staff_indicators
from staff import selectors as staff_selectors
from tests.degrees.factories import finished_class, issued
from tests.enrollment.factories import occupation
from tests.factories import UserFactory
from tests.staff import helpers as st
from tests.training.factories import program
from vetschool.accounts import roles
from vetschool.reference.models import Occupation
from vetschool.sync.models import Record

pytestmark = pytest.mark.django_db

AS_OF = date(2026, 12, 1)


@pytest.fixture
def college():
    registrar = UserFactory(roles=[roles.REGISTRAR], is_staff=True)
    # staff: a1 counts teachers and managers, a2 teachers only
    digital = st.course(kind="digital_skills", starts=date(2024, 3, 1), ends=date(2024, 3, 31))
    late = st.course(kind="digital_skills", starts=date(2026, 3, 1), ends=date(2026, 3, 31))
    courseware = st.course(kind="courseware", starts=date(2025, 5, 1), ends=date(2025, 5, 30))
    t1, t2, t3 = st.staff("T1"), st.staff("T2"), st.staff("T3")
    manager = st.staff("M1", teacher=False, manager=True)
    st.staff("X1", teacher=False)  # neither: counted nowhere
    gone = st.staff("L1")
    st.move(gone, date(2025, 6, 1), status="left")
    st.complete(t1, digital)
    st.complete(t2, late)  # counts in 2026, not in 2025
    st.complete(manager, digital)
    st.complete(t3, courseware)
    st.complete(gone, digital)  # left: counted nowhere after June 2025
    # programs: the class's IT program (no digital outcome) and one with
    w = finished_class(4)
    program(occupation("6340301", "Kế toán"), digital=True, short_code="KT")
    issued(w, registrar)
    diplomas = list(Diploma.objects.order_by("pk"))
    for n, diploma in enumerate(diplomas[:3]):  # the ministry acknowledged 2 of 3 sent
        Record.objects.update_or_create(
            type="diploma", object_pk=str(diploma.pk),
            defaults={"key": {"n": n}, "key_text": f"k{n}", "version": 5, "data_hash": "x",
                      "sent_version": 5 if n < 2 else 4})
    # employment 12 months after: 2 employed, 1 not, of 4 graduates of 2026
    for enrollment, status in zip([d.enrollment for d in diplomas],
                                  ["in_occupation", "self_employed", "not_employed"],
                                  strict=False):
        values = {"employer_name": "Công ty TNHH Ví Dụ"} if status == "in_occupation" else {}
        tracer_record_save(record=TracerRecord(enrollment=enrollment, checkpoint=12,
                                               status=status, source="staff", **values),
                           today=date(2027, 8, 1))
    return registrar


def sql(query: str, params=()):
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchone()


def staff_sql(as_of: date, kind: str, managers: bool):
    return sql(f"""
        WITH pos AS (
          SELECT DISTINCT ON (staff_id) staff_id, status, is_teacher, is_manager
          FROM staff_employmentrecord WHERE effective_date <= %s
          ORDER BY staff_id, effective_date DESC, id DESC)
        SELECT count(*) FILTER (WHERE EXISTS (
                 SELECT 1 FROM staff_participation p
                 JOIN staff_trainingcourse c ON c.id = p.course_id
                 WHERE p.staff_id = pos.staff_id AND p.result = 'completed'
                   AND c.kind = %s AND p.completed_on <= %s AND p.certificate <> '')),
               count(*)
        FROM pos WHERE status IN ('active', 'on_leave')
          AND (is_teacher {"OR is_manager" if managers else ""})""", [as_of, kind, as_of])


def test_every_tile_equals_plain_sql(college):
    tiles = {t.code: t for t in indicators.dashboard(AS_OF)}
    assert set(tiles) == {"a1", "a2", "b1", "b2", "c2", "d2", "d2-learners", "d2-results", "d5",
                          "d6", "d1", "employment"}  # the last five: test_dashboard_progress

    assert (tiles["a1"].numerator, tiles["a1"].denominator) == staff_sql(
        AS_OF, "digital_skills", True) == (3, 4)
    assert (tiles["a2"].numerator, tiles["a2"].denominator) == staff_sql(
        AS_OF, "courseware", False) == (1, 3)
    # the trend: on 31 Dec 2025 T2 had not yet been trained, L1 had left
    a1_2025 = next(p for p in tiles["a1"].trend if p.year == 2025)
    assert (a1_2025.numerator, a1_2025.denominator) == staff_sql(
        date(2025, 12, 31), "digital_skills", True) == (2, 4)
    a1_2024 = next(p for p in tiles["a1"].trend if p.year == 2024)
    assert (a1_2024.numerator, a1_2024.denominator) == staff_sql(
        date(2024, 12, 31), "digital_skills", True) == (3, 5)
    assert tiles["a1"].percent == 75 and tiles["a1"].target_2025 == 50
    assert tiles["a1"].target_2030 == 100

    assert (tiles["b1"].numerator, tiles["b1"].denominator) == sql("""
        SELECT count(*) FILTER (WHERE EXISTS (SELECT 1 FROM training_learningoutcome o
                                 WHERE o.program_id = p.id AND o.is_digital_capability)),
               count(*)
        FROM training_program p WHERE p.status = 'active'""") == (1, 2)
    prefixes = list(settings.TRAINING_IT_OCCUPATION_PREFIXES)
    years = settings.TRAINING_PROGRAM_UPDATE_YEARS
    assert (tiles["b2"].numerator, tiles["b2"].denominator) == sql(f"""
        WITH cur AS (
          SELECT DISTINCT ON (p.occupation_id) p.effective_year, o.code
          FROM training_program p JOIN {Occupation._meta.db_table} o ON o.id = p.occupation_id
          WHERE p.status = 'active'
          ORDER BY p.occupation_id, p.effective_year DESC, p.revision DESC)
        SELECT count(*) FILTER (WHERE effective_year > %s), count(*)
        FROM cur WHERE substring(code from 2) LIKE ANY (%s)""",
        [AS_OF.year - years, [p + "%" for p in prefixes]]) == (1, 1)

    assert (tiles["d2"].numerator, tiles["d2"].denominator) == sql("""
        SELECT count(*) FILTER (WHERE EXISTS (
                 SELECT 1 FROM sync_record r WHERE r.type = 'diploma'
                   AND r.object_pk = d.id::text AND r.sent_version >= r.version)),
               count(*)
        FROM degrees_diploma d WHERE d.status = 'issued' AND d.issue_date <= %s""",
        [AS_OF]) == (2, 4)
    # before the diplomas were issued, nothing is counted
    assert {t.code: t.denominator for t in indicators.dashboard(date(2026, 7, 1))}["d2"] == 0

    assert (tiles["c2"].numerator, tiles["c2"].denominator) == (0, 1)  # no nightly run

    employed = next(p for p in indicators.employment_tile(date(2027, 9, 1)).trend
                    if p.year == 2026)
    assert (employed.numerator, employed.denominator) == sql("""
        SELECT count(*) FILTER (WHERE t.status IN ('in_occupation', 'outside',
                                                   'self_employed')), count(*)
        FROM quality_tracerrecord t WHERE t.checkpoint = 12 AND t.enrollment_id IN (
          SELECT enrollment_id FROM degrees_diploma
          WHERE status = 'issued' AND graduation_year = 2026)""") == (2, 3)


def test_tiles_equal_the_pages_they_link_to(college):
    """a1/a2 come from the staff selectors the staff indicators page uses."""
    report = staff_indicators.compute(staff_selectors.indicator_facts(as_of=AS_OF), as_of=AS_OF)
    tiles = {t.code: t for t in indicators.staff_tiles(AS_OF)}
    for code in ("a1", "a2"):
        overall = report.result(code).overall
        assert (tiles[code].numerator, tiles[code].denominator) == (overall.completed,
                                                                    overall.counted)
        assert tiles[code].url == reverse("staff:indicators") + "?as_of=2026-12-01"


def test_dashboard_page_and_drill_down(college, django_assert_max_num_queries):
    qa = UserFactory(roles=[roles.QA_OFFICER], is_staff=True)
    client = Client()
    client.force_login(qa)
    with django_assert_max_num_queries(30):
        page = client.get(reverse("quality:dashboard"), {"as_of": "2026-12-01"})
    assert page.status_code == 200
    body = page.content.decode()
    assert 'data-indicator="d2"' in body and "2 / 4" in body and "3 / 4" in body
    with django_assert_max_num_queries(12):
        rows = client.get(reverse("quality:dashboard-records"),
                          {"indicator": "d2", "as_of": "2026-12-01"})
    assert rows.status_code == 200
    listed = list(rows.context["rows"])
    assert len(listed) == 4 and sum(r.acknowledged for r in listed) == 2
    assert client.get(reverse("quality:dashboard-records"),
                      {"indicator": "zz"}).status_code == 404
    # a bad date falls back to today rather than failing
    assert client.get(reverse("quality:dashboard"), {"as_of": "31/12"}).status_code == 200


def test_dashboard_query_count_does_not_grow_with_staff(college, django_assert_max_num_queries):
    for n in range(10):
        st.staff(f"N{n}")
    qa = UserFactory(roles=[roles.QA_OFFICER], is_staff=True)
    client = Client()
    client.force_login(qa)
    with django_assert_max_num_queries(30):
        assert client.get(reverse("quality:dashboard")).status_code == 200
