"""Teacher self-service pages, protected documents and the indicators page."""

from datetime import date
from io import BytesIO

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from staff import selectors, services
from staff.models import AssessmentPeriod, CompetencyFramework, Courseware
from tests.staff import helpers

pytestmark = pytest.mark.django_db

PROFILE_PAGES = ["/teacher/profile/", "/teacher/profile/trainings/",
                 "/teacher/profile/courseware/", "/teacher/profile/self-assessment/",
                 "/teacher/profile/courseware/new/"]


# --- Teacher self-service --------------------------------------------------------------------


def test_a_teacher_sees_their_own_profile_with_a_masked_personal_id(client, teacher,
                                                                     teacher_staff):
    client.force_login(teacher)
    response = client.get("/teacher/profile/")
    assert response.status_code == 200
    body = response.content.decode()
    assert teacher_staff.staff_code in body
    assert teacher_staff.national_id_masked in body
    assert teacher_staff.national_id not in body


@pytest.mark.parametrize("path", PROFILE_PAGES)
def test_profile_pages_are_for_teachers_only(client, learner, registrar, path):
    assert client.get(path).status_code == 302  # to the login page
    for user in (learner, registrar):
        client.force_login(user)
        assert client.get(path).status_code == 403


@pytest.mark.parametrize("path", PROFILE_PAGES)
def test_a_teacher_without_a_staff_record_is_told_to_ask_hr(client, teacher, path):
    client.force_login(teacher)
    response = client.get(path)
    assert response.status_code == 200
    assert "not linked to a staff record" in response.content.decode()


def test_the_navigation_offers_my_profile_to_teachers(client, teacher, teacher_staff):
    client.force_login(teacher)
    assert 'href="/teacher/profile/"' in client.get("/teacher/").content.decode()


def test_a_teacher_sees_only_their_own_trainings(client, teacher, teacher_staff, other_staff):
    mine = helpers.complete(teacher_staff, helpers.course("DS-MINE"))
    helpers.complete(other_staff, helpers.course("DS-OTHER"))
    client.force_login(teacher)
    body = client.get("/teacher/profile/trainings/").content.decode()
    assert "DS-MINE" in body and "DS-OTHER" not in body
    assert mine.completed_on.strftime("%d/%m/%Y") in body


def test_trainings_page_query_count_does_not_grow_with_trainings(
        client, teacher, teacher_staff, django_assert_max_num_queries):
    for _ in range(8):
        helpers.complete(teacher_staff, helpers.course(), certificate=helpers.pdf())
    client.force_login(teacher)
    with django_assert_max_num_queries(12):
        assert client.get("/teacher/profile/trainings/").status_code == 200


def test_certificates_are_served_to_their_owner_and_staff_readers_only(
        client, teacher, other_teacher, qa_officer, learner, teacher_staff, other_staff):
    participation = helpers.complete(teacher_staff, helpers.course(), certificate=helpers.pdf())
    url = f"/staff/certificates/{participation.pk}/"
    client.force_login(teacher)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert client.get(f"/media/{participation.certificate.name}").status_code == 404
    for user in (other_teacher, learner):
        client.force_login(user)
        assert client.get(url).status_code == 404
    client.force_login(qa_officer)
    assert client.get(url).status_code == 200
    client.logout()
    assert client.get(url).status_code == 302


def test_a_teacher_adds_and_edits_their_own_courseware(client, teacher, teacher_staff):
    client.force_login(teacher)
    response = client.post("/teacher/profile/courseware/new/", {
        "title": "Bài giảng điện tử: Mạng máy tính", "module_code": "MH 09",
        "module_name": "Mạng máy tính", "kind": "e_lecture", "status": "in_use",
        "link": "https://lms.example.edu.vn/mang", "description": "",
    })
    assert response.status_code == 302, response.content.decode()
    item = Courseware.objects.get()
    assert (item.author, item.module_code) == (teacher_staff, "MH 09")
    response = client.post(f"/teacher/profile/courseware/{item.pk}/edit/", {
        "title": item.title, "module_code": "MH 09", "module_name": "Mạng máy tính",
        "kind": "e_lecture", "status": "retired", "link": item.link,
    })
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == "retired"


def test_courseware_in_use_needs_content_and_uploads_are_checked(client, teacher,
                                                                  teacher_staff):
    client.force_login(teacher)
    data = {"title": "Video", "module_name": "An toàn điện", "kind": "video",
            "status": "in_use", "link": ""}
    response = client.post("/teacher/profile/courseware/new/", data)
    assert response.status_code == 200
    assert "needs a link or a file" in response.content.decode()
    from django.core.files.uploadedfile import SimpleUploadedFile

    data["file"] = SimpleUploadedFile("video.pdf", b"not really a pdf")
    response = client.post("/teacher/profile/courseware/new/", data)
    assert "not a PDF, JPEG or PNG" in response.content.decode()
    assert not Courseware.objects.exists()


def test_a_teacher_cannot_open_someone_elses_courseware(client, teacher, teacher_staff,
                                                         other_staff):
    theirs = services.courseware_save(item=Courseware(
        author=other_staff, title="Của người khác", module_name="Điện", kind="video",
        status="draft"))
    client.force_login(teacher)
    assert client.get(f"/teacher/profile/courseware/{theirs.pk}/edit/").status_code == 404
    response = client.post(f"/teacher/profile/courseware/{theirs.pk}/edit/", {
        "title": "Đổi tên", "module_name": "Điện", "kind": "video", "status": "draft"})
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.title == "Của người khác"
    assert client.get(f"/staff/courseware/{theirs.pk}/file/").status_code == 404


@pytest.fixture
def period(db):
    today = timezone.localdate()
    framework = CompetencyFramework.objects.get(is_active=True)
    return services.period_save(period=AssessmentPeriod(
        framework=framework, name=f"Năm {today.year}", starts_on=today.replace(month=1, day=1),
        ends_on=today.replace(month=12, day=31)))


def test_a_teacher_self_assesses_in_the_portal(client, teacher, teacher_staff, period):
    areas = list(period.framework.areas.order_by("number"))
    b1 = period.framework.levels.get(code="B1")
    client.force_login(teacher)
    form = client.get("/teacher/profile/self-assessment/").content.decode()
    assert all(area.name in form for area in areas)
    response = client.post("/teacher/profile/self-assessment/",
                           {f"area_{area.pk}": b1.pk for area in areas})
    assert response.status_code == 302
    assessment = teacher_staff.assessments.get(period=period)
    assert assessment.status == "self_assessed"
    assert {r.self_level.code for r in assessment.ratings.all()} == {"B1"}
    body = client.get("/teacher/profile/").content.decode()
    assert "B1" in body


def test_a_missing_area_is_an_error_next_to_it(client, teacher, teacher_staff, period):
    areas = list(period.framework.areas.order_by("number"))
    b1 = period.framework.levels.get(code="B1")
    client.force_login(teacher)
    response = client.post("/teacher/profile/self-assessment/",
                           {f"area_{area.pk}": b1.pk for area in areas[:-1]})
    assert response.status_code == 200
    assert "This field is required" in response.content.decode() or \
        "Trường này là bắt buộc" in response.content.decode()
    assert not teacher_staff.assessments.exists()


def test_without_an_open_period_the_page_says_so(client, teacher, teacher_staff):
    client.force_login(teacher)
    body = client.get("/teacher/profile/self-assessment/").content.decode()
    assert "No assessment period is open now" in body


# --- Indicators page -----------------------------------------------------------------------------


@pytest.fixture
def college(cntt, ck):
    """Four people on 31/12/2025: CNTT 1/2 trained; CK 0/1; one who left in 2024."""
    ds = helpers.course("DS-1", starts=date(2023, 3, 1), ends=date(2023, 3, 31))
    cw = helpers.course("CW-1", kind="courseware", starts=date(2024, 3, 1),
                        ends=date(2024, 3, 31))
    trained = helpers.staff("A1", dept=cntt, full_name="Trần Đã Học")
    helpers.complete(trained, ds)
    helpers.complete(trained, cw)
    untrained = helpers.staff("A2", dept=cntt, full_name="Lê Chưa Học")
    late = helpers.staff("A3", dept=ck, full_name="Phạm Học Muộn", manager=True)
    helpers.complete(late, helpers.course("DS-2", starts=date(2026, 1, 5),
                                          ends=date(2026, 1, 30)))
    gone = helpers.staff("A4", dept=ck, full_name="Vũ Đã Nghỉ", hired=date(2015, 1, 1))
    helpers.complete(gone, ds)
    helpers.move(gone, date(2024, 6, 30), status="left")
    return {"trained": trained, "untrained": untrained, "late": late, "gone": gone}


@pytest.mark.parametrize("persona", ["hr_officer", "qa_officer", "registrar", "superuser"])
def test_staff_readers_see_the_indicators(request, client, college, persona):
    client.force_login(request.getfixturevalue(persona))
    response = client.get("/staff/indicators/?as_of=2025-12-31")
    assert response.status_code == 200
    body = response.content.decode()
    assert "<svg" in body and "Lê Chưa Học" in body and "Phạm Học Muộn" in body
    assert "Vũ Đã Nghỉ" not in body  # left before the date: not counted, not missing


def test_teachers_and_learners_cannot_see_the_indicators(client, teacher, learner):
    assert client.get("/staff/indicators/").status_code == 302
    for user in (teacher, learner):
        client.force_login(user)
        assert client.get("/staff/indicators/").status_code == 403


def test_the_as_of_date_and_department_filter(client, hr_officer, college):
    client.force_login(hr_officer)
    report_2025 = client.get("/staff/indicators/?as_of=2025-12-31").context["report"]
    a1 = report_2025.result("a1")
    assert (a1.overall.completed, a1.overall.counted) == (1, 3)
    report_2026 = client.get("/staff/indicators/?as_of=2026-02-01").context["report"]
    assert report_2026.result("a1").overall.completed == 2
    ck_only = client.get("/staff/indicators/?as_of=2026-02-01&department=CK").context["report"]
    assert (ck_only.result("a1").overall.completed, ck_only.result("a1").overall.counted) == (
        1, 1)
    bad = client.get("/staff/indicators/?as_of=not-a-date")
    assert bad.status_code == 200
    assert bad.context["form"].errors


def test_indicators_page_query_count_does_not_grow_with_staff(
        client, hr_officer, cntt, django_assert_max_num_queries):
    training = helpers.course()
    for index in range(15):
        member = helpers.staff(dept=cntt)
        if index % 2:
            helpers.complete(member, training)
    client.force_login(hr_officer)
    with django_assert_max_num_queries(12):
        assert client.get("/staff/indicators/").status_code == 200


def test_the_xlsx_export_has_the_summary_and_who_is_missing(client, qa_officer, college):
    client.force_login(qa_officer)
    response = client.get("/staff/indicators/?as_of=2025-12-31&format=xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert "staff-indicators-2025-12-31.xlsx" in response["Content-Disposition"]
    workbook = load_workbook(BytesIO(response.content))
    summary, missing_a1, missing_a2 = workbook.worksheets
    rows = list(summary.iter_rows(values_only=True))
    overall_a1 = next(row for row in rows if row[0] and str(row[0]).startswith("a1")
                      and row[1] in ("Overall", "Toàn trường"))
    assert overall_a1[2:4] == (3, 1)
    names = [row[1] for row in missing_a1.iter_rows(min_row=3, values_only=True)]
    assert sorted(names) == ["Lê Chưa Học", "Phạm Học Muộn"]
    # Sorted by department (CK before CNTT); the CK manager also teaches, so counts for a2.
    assert [row[1] for row in missing_a2.iter_rows(min_row=3, values_only=True)] == [
        "Phạm Học Muộn", "Lê Chưa Học"]
    cells = " ".join(str(c) for row in workbook.worksheets[1].iter_rows(values_only=True)
                     for c in row)
    assert college["untrained"].national_id not in cells


def test_current_level_per_area_and_overall_with_its_history(client, teacher, teacher_staff,
                                                             other_staff, hr_officer, period):
    """The latest confirmed assessment is the current level; older ones stay as history;
    an unconfirmed self-assessment is shown but is not the current level."""
    framework = period.framework
    areas = list(framework.areas.order_by("number"))
    level = {code: framework.levels.get(code=code) for code in ("A2", "B1", "B2", "C1")}
    year = timezone.localdate().year
    older, last = (services.period_save(period=AssessmentPeriod(
        framework=framework, name=f"Năm {y}", starts_on=date(y, 1, 1), ends_on=date(y, 12, 31),
        self_assessment_open=False)) for y in (year - 2, year - 1))
    for when, codes in ((older, ["A2"] * 6), (last, ["B2", "B2", "B1", "B1", "B2", "B1"])):
        started = services.assessment_start(staff=teacher_staff, period=when)  # HR starts it
        services.assessment_confirm(assessment=started, by=hr_officer, levels={
            area.pk: level[code] for area, code in zip(areas, codes, strict=True)})
    services.self_assessment_submit(staff=teacher_staff, period=period, by=teacher,
                                    levels={area.pk: level["C1"] for area in areas})
    theirs = services.assessment_start(staff=other_staff, period=last)
    services.assessment_confirm(assessment=theirs, by=hr_officer,
                                levels={area.pk: level["C1"] for area in areas})

    history = selectors.assessment_history(staff=teacher_staff)
    assert [view.assessment.period for view in history] == [period, last, older]
    current = selectors.current_competency(history)
    assert current.assessment.period == last
    assert [row.level.code for row in current.rows] == ["B2", "B2", "B1", "B1", "B2", "B1"]
    assert current.overall.code == "B1"  # mean rank 3.5, rounded down
    assert history[0].self_overall.code == "C1" and history[0].overall is None

    client.force_login(teacher)
    response = client.get("/teacher/profile/")
    assert response.context["current"].assessment.period == last
    body = response.content.decode()
    for name in (period.name, last.name, older.name):
        assert name in body
    assert body.count("C1 —") == 7  # only their own self-assessment (6 areas + overall)
    assert f"Năm {year - 1} — Confirmed" in body
    client.force_login(hr_officer)
    admin_page = client.get(f"/admin/staff/staffmember/{teacher_staff.pk}/change/")
    admin_body = admin_page.content.decode()
    assert all(name in admin_body for name in (period.name, last.name, older.name))
