"""Issue #15, "Done when", in a real browser: the QA officer works a self-assessment cycle
with evidence to approved and exports the report (the PDF read back); a learner answers an
anonymous survey in the portal and the QA office's results show the count but nobody's
identity; a dashboard figure drills down to the list of records behind it."""

from io import BytesIO

import pytest
from pypdf import PdfReader

from quality import services_accreditation as accreditation
from quality import surveys as survey_service
from quality.models import Ballot, Cycle, CycleState, Framework
from tests.browser.conftest import log_in
from tests.quality.test_dashboard import college  # noqa: F401 (fixture)
from tests.quality.test_surveys import module_survey, two_sections  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def run_action(page, live_server, cycle, action: str) -> None:
    page.goto(f"{live_server.url}/admin/quality/cycle/")
    page.check(f"input[name=_selected_action][value='{cycle.pk}']")
    page.select_option("select[name=action]", action)
    page.click("button[name=index]")
    page.wait_for_load_state("networkidle")


def test_qa_officer_runs_a_cycle_to_approved_and_exports_the_report(page, live_server,
                                                                    qa_officer):
    cycle = accreditation.cycle_create(framework=Framework.objects.get(code="TT14/2024"),
                                       title="Tự đánh giá 2026 (trình duyệt)",
                                       assessment_year=2026)
    first = cycle.assessments.select_related("standard__criterion").first()
    item = accreditation.evidence_create(standard=first.standard,
                                         title="Quyết định thành lập trường", issuer="UBND")
    accreditation.evidence_link(first, item)

    log_in(page, live_server, qa_officer.username)
    page.goto(f"{live_server.url}/admin/quality/standardassessment/{first.pk}/change/")
    page.fill("#id_current_state", "Trường có quyết định thành lập và quy chế tổ chức")
    page.fill("#id_strengths", "Mục tiêu được công bố công khai trên cổng thông tin")
    page.locator("#ratings-group .add-row a").click()  # the admin's "add another" row
    for row, year in enumerate(cycle.years):  # 14/2024: three years for a college
        if row:
            page.locator("#ratings-group .add-row a").click()
        page.fill(f"#id_ratings-{row}-year", str(year))
        page.check(f"#id_ratings-{row}-met")
    page.click("input[name=_save]")
    page.wait_for_url("**/admin/quality/standardassessment/**")
    assert [r.met for r in first.ratings.all()] == [True, True, True]

    run_action(page, live_server, cycle, "submit")
    run_action(page, live_server, cycle, "approve")
    cycle.refresh_from_db()
    assert cycle.state == CycleState.APPROVED

    page.goto(f"{live_server.url}/admin/quality/cycle/{cycle.pk}/change/")
    assert page.locator("input[name=_save]").count() == 0  # frozen: read only
    link = page.get_by_role("link", name="Báo cáo (PDF)")
    response = page.request.get(live_server.url + link.get_attribute("href"))
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(BytesIO(response.body())).pages)
    assert "Tự đánh giá 2026 (trình duyệt)" in text
    assert "Mục tiêu được công bố công khai trên cổng thông tin" in text
    assert "[1.01.01] Quyết định thành lập trường" in text
    assert "Đã phê duyệt" in text
    # the total (one standard met, 2 points), in Vietnamese number format, wrapped in its cell
    assert f"2,0 / {2 * cycle.assessments.count()},0" in " ".join(text.split())
    assert Cycle.objects.get(pk=cycle.pk).state == CycleState.APPROVED


def test_learner_answers_an_anonymous_survey_and_qa_sees_only_counts(
        browser, live_server, qa_officer, two_sections):  # noqa: F811
    section = two_sections["a"]
    survey = module_survey([section])
    survey.title = "Đánh giá mô-đun (ẩn danh)"
    survey.save()
    survey_service.survey_open(survey=survey)
    users = two_sections["users"][:6]  # section A's learners
    me = users[0]

    context = browser.new_context(locale="vi-VN", viewport={"width": 375, "height": 800})
    page = context.new_page()
    page.set_default_timeout(15_000)
    log_in(page, live_server, me.username)
    page.goto(f"{live_server.url}/my/surveys/")
    page.get_by_role("link", name="Đánh giá mô-đun (ẩn danh)").click()
    questions = {q.position: q.pk for q in survey.questions.all()}
    page.check(f"input[name=q{questions[1]}][value='4']")
    page.check(f"input[name=q{questions[2]}][value='Đủ']")
    page.fill(f"textarea[name=q{questions[4]}]", "Cần thêm bài thực hành")
    page.get_by_role("button", name="Gửi câu trả lời").click()
    page.wait_for_load_state("networkidle")
    page.goto(f"{live_server.url}/my/surveys/")
    assert "Đã trả lời" in page.inner_text("main")
    context.close()

    for user in users[1:5]:  # four more: the batch of five is written as ballots
        invitation = survey.invitations.get(user=user)
        survey_service.submit(invitation_id=invitation.pk, raw={
            str(questions[1]): "5", str(questions[2]): "Thiếu"})
    assert Ballot.objects.filter(survey=survey).count() == 5

    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    log_in(page, live_server, qa_officer.username)
    page.goto(f"{live_server.url}/office/quality/surveys/{survey.pk}/")
    main = page.inner_text("main")
    assert "Đã trả lời: 5" in main
    assert "Cần thêm bài thực hành" in main  # the text answer, with no name beside it
    for user in users:
        for fact in (user.username, user.learner.full_name, user.learner.code):
            assert fact not in page.content()
    context.close()


def test_dashboard_figure_drills_down_to_its_records(page, live_server, college):  # noqa: F811
    from tests.factories import UserFactory
    from vetschool.accounts import roles

    qa = UserFactory(roles=[roles.QA_OFFICER], is_staff=True)
    log_in(page, live_server, qa.username)
    page.goto(f"{live_server.url}/office/quality/dashboard/?as_of=2026-12-01")
    row = page.locator("tr[data-indicator=d2]")
    assert "2 / 4" in row.inner_text()
    row.locator("a").click()
    page.wait_for_url("**/office/quality/dashboard/records/**")
    listed = page.locator("main table.data tbody tr")
    assert listed.count() == 4
    acknowledged = [listed.nth(i).locator("td").last.inner_text() for i in range(4)]
    assert acknowledged.count("Có") == 2
