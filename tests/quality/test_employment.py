"""Graduate tracking and the employment rate (issue #16): each graduate counts once per
checkpoint, a past cohort's figure does not move when another cohort is recorded, and the
figures equal a plain SQL recomputation from the raw rows."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test import Client

from degrees.models import Diploma
from degrees.services.register import diploma_revoke
from quality import selectors
from quality.employment import Answer, Graduate, employment_figures
from quality.models import TracerRecord
from quality.services import tracer_record_save
from tests.degrees.factories import finished_class, issued
from tests.enrollment.factories import occupation
from tests.enterprises.helpers import enterprise
from tests.factories import UserFactory
from vetschool.accounts import roles

pytestmark = pytest.mark.django_db

AFTER_A_YEAR = date(2027, 8, 1)


@pytest.fixture
def cohort():
    registrar = UserFactory(roles=[roles.REGISTRAR], is_staff=True)
    w = finished_class(5)
    issued(w, registrar)
    return [d.enrollment for d in Diploma.objects.select_related("enrollment").order_by("pk")]


def record(enrollment, checkpoint, status, **extra):
    values = {"source": "staff"} | extra
    if status in ("in_occupation", "outside") and "employer_name" not in values:
        values["employer_name"] = "Công ty TNHH Ví Dụ"
    return tracer_record_save(record=TracerRecord(
        enrollment=enrollment, checkpoint=checkpoint, status=status, **values),
        today=AFTER_A_YEAR)


# --- the pure figures, table-driven ---------------------------------------------------------

G = [Graduate(1, "6480201", "CNTT", "college", 2026),
     Graduate(2, "6480201", "CNTT", "college", 2026),
     Graduate(3, "6480201", "CNTT", "college", 2026),
     Graduate(4, "5520123", "Hàn", "intermediate", 2025)]


@pytest.mark.parametrize(("answers", "expected"), [
    # (employed, answered, employment rate, response rate) of 6480201/2026 at 6 months
    ([], (0, 0, None, Decimal("0.0"))),
    ([Answer(1, 6, "in_occupation")], (1, 1, Decimal("100.0"), Decimal("33.3"))),
    ([Answer(1, 6, "in_occupation"), Answer(2, 6, "not_employed")],
     (1, 2, Decimal("50.0"), Decimal("66.7"))),
    ([Answer(1, 6, "self_employed"), Answer(2, 6, "further_study"), Answer(3, 6, "outside")],
     (2, 3, Decimal("66.7"), Decimal("100.0"))),
    # a second answer of the same graduate at the same checkpoint counts once
    ([Answer(1, 6, "in_occupation"), Answer(1, 6, "not_employed")],
     (1, 1, Decimal("100.0"), Decimal("33.3"))),
    # an answer at 12 months or of another cohort does not count here
    ([Answer(1, 12, "in_occupation"), Answer(4, 6, "in_occupation"), Answer(99, 6, "outside")],
     (0, 0, None, Decimal("0.0"))),
])
def test_employment_figures(answers, expected):
    figure = next(f for f in employment_figures(G, answers)
                  if f.occupation_code == "6480201" and f.checkpoint == 6)
    assert (figure.employed, figure.answered, figure.employment_rate,
            figure.response_rate) == expected
    assert figure.graduates == 3


# --- records --------------------------------------------------------------------------------

def test_a_graduate_counts_once_per_checkpoint(cohort):
    record(cohort[0], 6, "in_occupation")
    with pytest.raises(ValidationError):
        record(cohort[0], 6, "not_employed")
    with pytest.raises(IntegrityError), transaction.atomic():
        TracerRecord.objects.create(enrollment=cohort[0], checkpoint=6, status="not_employed",
                                    source="staff")


@pytest.mark.parametrize(("changes", "field"), [
    ({"status": "in_occupation", "employer_name": ""}, "employer"),
    ({"status": "not_employed", "income_band": "5-8"}, "relatedness"),
])
def test_a_record_outside_its_rules_is_refused(cohort, changes, field):
    with pytest.raises(ValidationError) as refused:
        record(cohort[0], 6, **changes)
    assert field in refused.value.message_dict
    assert not TracerRecord.objects.exists()


def test_only_graduates_after_the_checkpoint_opens(cohort):
    with pytest.raises(ValidationError) as early:
        tracer_record_save(record=TracerRecord(enrollment=cohort[0], checkpoint=12,
                                               status="not_employed", source="staff"),
                           today=date(2026, 8, 1))
    assert "checkpoint" in early.value.message_dict
    diploma_revoke(diploma=Diploma.objects.get(enrollment=cohort[1]), reason="Gian lận",
                   decision_number="12/QĐ-CĐSH", decision_date=date(2026, 9, 1),
                   by=UserFactory(roles=[roles.REGISTRAR], is_staff=True))
    with pytest.raises(ValidationError) as revoked:
        record(cohort[1], 6, "not_employed")
    assert "enrollment" in revoked.value.message_dict


def test_a_past_cohort_does_not_move_when_another_is_recorded(cohort):
    record(cohort[0], 6, "in_occupation", employer=enterprise())
    record(cohort[1], 6, "not_employed")
    before = [f for f in selectors.employment() if f.graduation_year == 2026]
    assert before and all(f.occupation_code != "5520123" for f in before)
    other = finished_class(2, names=["Lý Thị Mơ", "Tạ Văn Tú"], occ=occupation("5520123", "Hàn"))
    issued(other, UserFactory(roles=[roles.REGISTRAR], is_staff=True), number="300/QĐ-CĐSH")
    record(other.enrollments[0], 6, "outside")
    figures = selectors.employment()
    after = [f for f in figures if f.graduation_year == 2026 and f.occupation_code != "5520123"]
    assert any(f.occupation_code == "5520123" and f.answered == 1 for f in figures)
    assert after == before


SQL = """
WITH grads AS (
  SELECT DISTINCT ON (enrollment_id) enrollment_id, occupation_code, level, graduation_year
  FROM degrees_diploma WHERE status = 'issued' ORDER BY enrollment_id, issue_date
)
SELECT g.occupation_code, g.level, g.graduation_year, cp.checkpoint,
       COUNT(*) AS graduates,
       COUNT(t.id) AS answered,
       COUNT(t.id) FILTER (WHERE t.status IN ('in_occupation','outside','self_employed')),
       COUNT(t.id) FILTER (WHERE t.status = 'in_occupation')
FROM grads g CROSS JOIN (VALUES (6), (12)) AS cp(checkpoint)
LEFT JOIN quality_tracerrecord t ON t.enrollment_id = g.enrollment_id
                                AND t.checkpoint = cp.checkpoint
GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
"""


def test_the_figures_equal_a_plain_sql_recomputation(cohort):
    record(cohort[0], 6, "in_occupation")
    record(cohort[1], 6, "self_employed")
    record(cohort[2], 6, "further_study")
    record(cohort[0], 12, "outside")
    record(cohort[3], 12, "not_employed")
    with connection.cursor() as cursor:
        cursor.execute(SQL)
        expected = cursor.fetchall()
    computed = sorted((f.occupation_code, f.level, f.graduation_year, f.checkpoint,
                       f.graduates, f.answered, f.employed, f.in_occupation)
                      for f in selectors.employment())
    assert computed == expected
    assert {row[3]: row[6] for row in expected} == {6: 2, 12: 1}


def test_the_page_shows_the_rate_and_its_records(cohort, django_assert_max_num_queries):
    record(cohort[0], 6, "in_occupation", employer=enterprise())
    record(cohort[1], 6, "not_employed")
    client = Client()
    client.force_login(UserFactory(roles=[roles.QA_OFFICER], is_staff=True))
    with django_assert_max_num_queries(6):
        page = client.get("/office/quality/employment/")
    assert page.status_code == 200
    figure = next(f for f in page.context["figures"] if f.checkpoint == 6)
    assert figure.employment_rate == Decimal("50.0")
    code = figure.occupation_code
    with django_assert_max_num_queries(6):
        records = client.get(f"/office/quality/employment/records/?occupation={code}"
                             f"&year={figure.graduation_year}&checkpoint=6&level={figure.level}")
    assert len(records.context["records"]) == 2
    assert cohort[0].learner.code in records.content.decode()
    teacher = Client()
    teacher.force_login(UserFactory(roles=[roles.TEACHER]))
    assert teacher.get("/office/quality/employment/").status_code == 403


def test_the_qa_queue_counts_graduates_to_contact(cohort):
    from quality.selectors import tracking_due_count

    # decided 10/07/2026: the 6-month checkpoint opens 10/12/2026, the 12-month 10/06/2027
    assert tracking_due_count(today=date(2026, 12, 9)) == 0
    assert tracking_due_count(today=date(2026, 12, 10)) == 5
    record(cohort[0], 6, "not_employed")
    assert tracking_due_count(today=AFTER_A_YEAR) == 4 + 5
    client = Client()
    client.force_login(UserFactory(roles=[roles.QA_OFFICER], is_staff=True))
    page = client.get("/office/")
    assert any(item.url == "/office/quality/employment/" and item.count is not None
               for _queue, lines in page.context["queues"] for item in lines)


def test_the_qa_office_records_through_the_api(cohort):
    import time_machine

    client = Client()
    officer = UserFactory(roles=[roles.QA_OFFICER], is_staff=True)
    client.force_login(officer)
    body = {"enrollment": cohort[0].pk, "checkpoint": 6, "status": "in_occupation",
            "source": "enterprise"}
    missing = client.post("/api/v1/tracer-records/", body, content_type="application/json")
    assert missing.status_code == 400 and "employer" in missing.json()["errors"]
    body |= {"employer_name": "Công ty A"}
    # The 6-month checkpoint of the decision of 10/07/2026 opens on 10/12/2026.
    # Days later a staff session has ended (STAFF_SESSION_IDLE_SECONDS): log in again then.
    with time_machine.travel(date(2026, 12, 9), tick=False):
        client.force_login(officer)
        early = client.post("/api/v1/tracer-records/", body, content_type="application/json")
    assert early.status_code == 400 and "checkpoint" in early.json()["errors"]
    with time_machine.travel(date(2026, 12, 10), tick=False):
        client.force_login(officer)
        ok = client.post("/api/v1/tracer-records/", body, content_type="application/json")
    assert ok.status_code == 201, ok.json()
    figures = client.get("/api/v1/employment-figures/").json()
    assert any(f["employed"] == 1 and f["checkpoint"] == 6 for f in figures)


def test_the_statistical_report_carries_the_employment_rate_frozen(
        cohort, django_capture_on_commit_callbacks):
    import io

    from openpyxl import load_workbook
    from pypdf import PdfReader

    from quality import reports
    from quality.models import StatisticalReport

    year = Diploma.objects.values_list("graduation_year", flat=True).first()
    record(cohort[0], 6, "in_occupation")
    record(cohort[1], 6, "not_employed")
    qa = UserFactory(roles=[roles.QA_OFFICER], is_staff=True)
    with django_capture_on_commit_callbacks(execute=True):
        report = reports.report_start(start=date(year, 1, 1), end=AFTER_A_YEAR, by=qa)
    report.refresh_from_db()
    rows = {row[3]: row for row in report.figures["employment"]}
    figure = next(f for f in selectors.employment() if f.checkpoint == 6)
    # [year, occupation, level, checkpoint, graduates, answered, response %, employed, rate %,
    #  in the occupation, further study], the same figure the employment page shows
    assert rows[6][0] == year and rows[6][3:] == [6, 5, 2, "40.0", 1, "50.0", 1, 0]
    assert rows[6][8] == str(figure.employment_rate)
    assert rows[12][5:] == [0, "0.0", 0, "", 0, 0]
    # a graduate of a year before the period counts nowhere
    assert reports.employment_rows(start=date(year + 2, 1, 1), end=date(year + 2, 12, 31)) == []

    record(cohort[2], 6, "in_occupation")  # after the report: a new one moves, this one not
    assert StatisticalReport.objects.get(pk=report.pk).figures["employment"] == \
        report.figures["employment"]
    again = reports.employment_rows(start=date(year, 1, 1), end=AFTER_A_YEAR)
    assert {row[3]: row[8] for row in again}[6] == "66.7"

    client = Client()
    client.force_login(qa)
    xlsx = client.get(f"/office/quality/reports/{report.pk}/xlsx/")
    book = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content)))
    sheet = book["Việc làm của người tốt nghiệp"]
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert values[0][:2] == ["Năm tốt nghiệp", "Ngành, nghề"] and values[1][3:6] == [6, 5, 2]
    page = client.get(f"/office/quality/reports/{report.pk}/")
    assert "40.0" in page.content.decode() and "50.0" in page.content.decode()
    pdf = client.get(f"/office/quality/reports/{report.pk}/pdf/")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Việc làm của người tốt nghiệp" in text and "50.0" in text
