"""The QA officer's API (quality/api_assurance.py): statistical reports, surveys with
response counts and never a respondent, self-assessment cycles with their totals. Only
the QA officer (and superusers) may use it."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.urls import reverse

from quality import services_accreditation as accreditation
from quality import surveys as survey_service
from quality.models import CouncilMember, Framework, StatisticalReport
from tests.quality.test_surveys import module_survey, two_sections  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def cycle_with_one_met_standard():
    cycle = accreditation.cycle_create(framework=Framework.objects.get(code="TT15/2017"),
                                       title="TĐG API", assessment_year=2026)
    CouncilMember.objects.create(cycle=cycle, name="Chủ tịch HĐ", role="chair")
    first = cycle.assessments.first()
    accreditation.rate(first, year=2026, met=True)
    return cycle


@pytest.mark.parametrize("persona", ["registrar", "teacher", "learner", "hr_officer"])
@pytest.mark.parametrize("route", ["statistical-report-list", "survey-list",
                                   "self-assessment-cycle-list"])
def test_other_roles_are_refused(api_client, request, persona, route):
    api_client.force_authenticate(request.getfixturevalue(persona))
    assert api_client.get(reverse(route)).status_code == 403
    assert api_client.post(reverse("statistical-report-list"), {
        "period_start": "2026-01-01", "period_end": "2026-06-30"}).status_code == 403
    assert not StatisticalReport.objects.exists()


def test_anonymous_is_refused(api_client):
    assert api_client.get(reverse("survey-list")).status_code == 401


def test_statistical_reports_list_detail_and_download_links(
        api_client, qa_officer, django_capture_on_commit_callbacks):
    api_client.force_authenticate(qa_officer)
    with django_capture_on_commit_callbacks(execute=True):
        made = api_client.post(reverse("statistical-report-list"), {
            "period_start": "2026-01-01", "period_end": "2026-06-30"})
    assert made.status_code == 201, made.content
    report = StatisticalReport.objects.get()
    assert report.created_by == qa_officer and report.status == "done"  # eager
    listed = api_client.get(reverse("statistical-report-list")).json()["results"]
    assert [r["id"] for r in listed] == [report.pk] and "figures" not in listed[0]
    detail = api_client.get(reverse("statistical-report-detail", args=[report.pk])).json()
    assert detail["figures"] == json.loads(json.dumps(report.figures))
    assert detail["xlsx_url"].endswith(reverse("quality:report-xlsx", args=[report.pk]))
    api_client.force_login(qa_officer)  # the links are the office pages (a session)
    pdf = api_client.get(detail["pdf_url"])
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    bad = api_client.post(reverse("statistical-report-list"), {
        "period_start": "2026-06-30", "period_end": "2026-01-01"})
    assert bad.status_code == 400 and StatisticalReport.objects.count() == 1


def test_survey_list_counts_responses_and_names_nobody(api_client, qa_officer, two_sections,  # noqa: F811
                                                       django_assert_max_num_queries):
    survey = module_survey([two_sections["a"], two_sections["b"]])
    survey_service.survey_open(survey=survey)
    invitations = list(survey.invitations.order_by("pk")[:3])
    for invitation in invitations:
        answers = {str(q.pk): "3" if q.kind == "scale" else "Đủ"
                   for q in survey.questions.filter(required=True)}
        survey_service.submit(invitation_id=invitation.pk, raw=answers)
    module_survey([two_sections["a"]])  # a second, draft survey
    api_client.force_authenticate(qa_officer)
    with django_assert_max_num_queries(6):
        response = api_client.get(reverse("survey-list"))
    rows = {r["id"]: r for r in response.json()["results"]}
    assert len(rows) == 2
    assert {k: rows[survey.pk][k] for k in ("invited", "answered", "response_rate",
                                            "anonymous", "state")} == {
        "invited": 10, "answered": 3, "response_rate": 30, "anonymous": True, "state": "open"}
    body = response.content.decode()
    for user in two_sections["users"]:
        for fact in (user.username, user.learner.code, user.learner.full_name):
            assert fact not in body
    detail = api_client.get(reverse("survey-detail", args=[survey.pk])).json()
    assert set(detail) == set(rows[survey.pk])
    assert api_client.patch(reverse("survey-detail", args=[survey.pk]),
                            {"title": "x"}).status_code == 405


def test_cycles_with_totals(api_client, qa_officer, django_assert_max_num_queries):
    cycle = cycle_with_one_met_standard()
    accreditation.cycle_create(framework=Framework.objects.get(code="TT14/2024"),
                               title="TĐG 14", assessment_year=2026)
    api_client.force_authenticate(qa_officer)
    with django_assert_max_num_queries(12):
        listed = api_client.get(reverse("self-assessment-cycle-list")).json()["results"]
    row = next(r for r in listed if r["id"] == cycle.pk)
    assert row["framework"] == "TT15/2017"
    totals = row["totals"]
    assert (totals["total"], totals["maximum"], totals["pass_total"]) == ("1.0", "100.0", "80.0")
    assert totals["passed"] is None   # 99 standards still unrated
    assert totals["missing"][0] == {"criterion": None, "points": "1.0", "required": "80.0"}
    assert [c["points"] for c in totals["criteria"]][:2] == ["1.0", "0.0"]
    detail = api_client.get(reverse("self-assessment-cycle-detail", args=[cycle.pk])).json()
    assert detail["totals"] == totals
    assert detail["council_warnings"] == ["few_enterprise_representatives"]
    assert date.fromisoformat(str(detail["assessment_year"]) + "-01-01").year == 2026
