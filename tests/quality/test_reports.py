"""Statistical reports: produced by a worker (eager in tests), frozen with their parameters,
figures recomputed independently with plain SQL, exported as XLSX and PDF."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from enrollment.models import AdmissionRound, RoundQuota
from enrollment.services.learners.status import (
    enrollment_change_status,
    enrollment_status_revert,
)
from quality.models import StatisticalReport
from tests.enrollment.factories import application, enrol, occupation
from tests.factories import UserFactory
from tests.staff import helpers as st
from vetschool.accounts import roles
from vetschool.jobs import JobStatus

pytestmark = pytest.mark.django_db

START, END = date(2025, 1, 1), date(2025, 12, 31)


def drop(enrollment, when, registrar):
    return enrollment_change_status(enrollment=enrollment, status="dropped_out",
                                    decision_number="88/QĐ-CĐSH", decision_date=when,
                                    reason="Xin thôi học", by=registrar, effective_date=when)


@pytest.fixture
def records():
    registrar = UserFactory(roles=[roles.REGISTRAR], is_staff=True)
    it, acc = occupation(), occupation("6340301", "Kế toán")
    old = [enrol(occ=it, year=2024) for _ in range(2)]
    new = [enrol(occ=it, year=2025), enrol(occ=acc, year=2025), enrol(occ=acc, year=2025)]
    enrol(occ=acc, year=2026)  # after the period: counted nowhere
    drop(old[0], date(2025, 10, 1), registrar)
    drop(new[1], date(2025, 11, 1), registrar)
    enrollment_status_revert(enrollment=new[1], decision_number="90/QĐ-CĐSH",
                             decision_date=date(2025, 11, 20), reason="Nhầm",
                             by=registrar, effective_date=date(2025, 11, 20))
    round_ = AdmissionRound.objects.create(year=2025, number=1, name="Tuyển sinh năm 2025",
                                           opens_on=date(2025, 5, 1), closes_on=date(2025, 8, 1))
    for occ, places in ((it, 30), (acc, 2)):
        RoundQuota.objects.create(round=round_, occupation=occ, places=places)
    application(round_, [acc], status="admitted", admitted=acc)
    application(round_, [acc, it], status="enrolled", admitted=acc)
    application(round_, [it], status="rejected")
    st.staff("T1", highest_qualification="master")
    st.staff("M1", teacher=False, manager=True, highest_qualification="university")
    gone = st.staff("L1")
    st.move(gone, date(2025, 6, 1), status="left")
    return registrar, new


def sql_rows(query, params):
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchall()


def sql_by_occupation(start, end):
    """The learner figures by occupation, from the raw tables only."""
    rows = sql_rows("""
      WITH ch AS (
        SELECT c.* FROM enrollment_enrollmentstatuschange c
        WHERE c.source <> 'correction' AND c.effective_date <= %(end)s
          AND NOT EXISTS (SELECT 1 FROM enrollment_enrollmentstatuschange r
                          WHERE r.reverts_id = c.id)),
      last AS (SELECT DISTINCT ON (enrollment_id) enrollment_id, to_status FROM ch
               ORDER BY enrollment_id, effective_date DESC, at DESC, id DESC)
      SELECT o.code || ' ' || o.name_vi,
        count(*) FILTER (WHERE e.start_date BETWEEN %(start)s AND %(end)s),
        count(*) FILTER (WHERE coalesce(last.to_status, e.status) = 'studying'),
        count(*) FILTER (WHERE EXISTS (SELECT 1 FROM ch WHERE ch.enrollment_id = e.id
          AND ch.to_status = 'graduated' AND ch.effective_date >= %(start)s)),
        count(*) FILTER (WHERE EXISTS (SELECT 1 FROM ch WHERE ch.enrollment_id = e.id
          AND ch.to_status = 'dropped_out' AND ch.effective_date >= %(start)s))
      FROM enrollment_enrollment e
      JOIN reference_occupation o ON o.id = e.occupation_id
      LEFT JOIN last ON last.enrollment_id = e.id
      WHERE e.start_date <= %(end)s GROUP BY 1 ORDER BY 1""", {"start": start, "end": end})
    return [list(r) for r in rows if any(r[1:])]


def produce(client, capture, start=START, end=END):
    with capture(execute=True):
        response = client.post(reverse("quality:reports"),
                               {"period_start": start.isoformat(),
                                "period_end": end.isoformat()})
    assert response.status_code == 302
    return StatisticalReport.objects.latest("pk")


def test_report_figures_recomputed_frozen_and_exported(records, django_assert_max_num_queries,
                                                       django_capture_on_commit_callbacks):
    registrar, new = records
    qa = UserFactory(roles=[roles.QA_OFFICER], is_staff=True)
    client = Client()
    client.force_login(qa)
    report = produce(client, django_capture_on_commit_callbacks)
    assert report.status == JobStatus.DONE, report.error
    learners = report.figures["learners"]
    assert learners["occupation"] == sql_by_occupation(START, END)
    # 3 started in 2025; 5 started by the end, 1 dropped out (the other drop was reverted)
    assert learners["total"] == [3, 4, 0, 1]
    assert sum(row[1] for row in learners["gender"]) == 3
    # L1 left in June: neither counted by role nor by qualification
    assert report.figures["staff"]["role"] == [["Cán bộ quản lý", 1], ["Nhà giáo", 1]]
    assert sum(n for _label, n in report.figures["staff"]["qualification"]) == 2

    assert report.figures["admissions"] == [
        [round_name, f"{code} {name}", places, taken, first] for round_name, code, name,
        places, taken, first in sql_rows("""
          SELECT r.name, o.code, o.name_vi, q.places,
            (SELECT count(*) FROM enrollment_application a WHERE a.round_id = r.id
               AND a.admitted_occupation_id = o.id AND a.status IN ('admitted', 'enrolled')),
            (SELECT count(*) FROM enrollment_applicationwish w
               JOIN enrollment_application a ON a.id = w.application_id
               WHERE a.round_id = r.id AND w.occupation_id = o.id AND w.rank = 1)
          FROM enrollment_roundquota q JOIN enrollment_admissionround r ON r.id = q.round_id
          JOIN reference_occupation o ON o.id = q.occupation_id
          WHERE r.closes_on BETWEEN %s AND %s ORDER BY r.closes_on, o.level, o.code""",
                                                  [START, END])]
    # accounting: 2 places, 2 holding one, 2 first wishes; IT: 30 places, 0, 1
    assert [row[2:] for row in report.figures["admissions"]] == [[2, 2, 2], [30, 0, 1]]

    # frozen: a later drop-out dated in the period changes a new report, not this one
    drop(new[0], date(2025, 12, 1), registrar)
    frozen = StatisticalReport.objects.get(pk=report.pk)
    assert frozen.figures["learners"]["total"] == [3, 4, 0, 1]
    again = produce(client, django_capture_on_commit_callbacks)
    assert again.figures["learners"]["total"] == [3, 3, 0, 2]
    assert again.figures["learners"]["occupation"] == sql_by_occupation(START, END)

    with django_assert_max_num_queries(10):
        page = client.get(reverse("quality:report", args=[report.pk]))
    assert page.status_code == 200
    progress = client.get(reverse("quality:report", args=[report.pk]), {"format": "json"})
    assert progress.json()["status"] == "done"

    xlsx = client.get(reverse("quality:report-xlsx", args=[report.pk]))
    sheet = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).worksheets[0]
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert ["Tổng", 3, 4, 0, 1] in values

    pdf = client.get(reverse("quality:report-pdf", args=[report.pk]))
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Báo cáo thống kê" in text and "Kế toán" in text


def test_a_period_that_ends_before_it_starts_is_refused(records):
    client = Client()
    client.force_login(UserFactory(roles=[roles.QA_OFFICER], is_staff=True))
    response = client.post(reverse("quality:reports"),
                           {"period_start": "2025-12-31", "period_end": "2025-01-01"})
    assert response.status_code == 200 and not StatisticalReport.objects.exists()
