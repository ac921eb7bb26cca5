"""The staff API under /api/v1/: permissions by role, scoping, and the one error shape."""

from datetime import date

import pytest

from staff.models import Courseware, Participation, StaffMember, TrainingCourse
from tests.staff import helpers
from vetschool.accounts.models import PersonalDataAccess

pytestmark = pytest.mark.django_db

ERROR_KEYS = {"status", "code", "detail", "errors"}


def results(response):
    return response.json()["results"]


@pytest.mark.parametrize("url", ["/api/v1/staff/", "/api/v1/staff-trainings/",
                                 "/api/v1/staff-participations/", "/api/v1/staff-courseware/",
                                 "/api/v1/staff-departments/", "/api/v1/staff-indicators/"])
def test_learners_and_visitors_get_nothing(api_client, learner, url):
    anonymous = api_client.get(url)
    assert anonymous.status_code == 401
    assert anonymous["WWW-Authenticate"].startswith("Token")
    api_client.force_authenticate(learner)
    response = api_client.get(url)
    assert response.status_code == 403
    assert set(response.json()) == ERROR_KEYS


def test_readers_list_staff_with_masked_ids_and_flat_query_count(
        api_client, qa_officer, cntt, django_assert_max_num_queries):
    members = [helpers.staff(dept=cntt) for _ in range(8)]
    api_client.force_authenticate(qa_officer)
    with django_assert_max_num_queries(6):
        response = api_client.get("/api/v1/staff/?department=CNTT")
    assert response.status_code == 200
    body = response.content.decode()
    assert all(m.national_id not in body for m in members)
    assert {row["national_id_masked"] for row in results(response)} == {
        m.national_id_masked for m in members}


def test_a_teacher_sees_only_their_own_staff_record(api_client, teacher, teacher_staff,
                                                    other_staff):
    api_client.force_authenticate(teacher)
    assert [row["id"] for row in results(api_client.get("/api/v1/staff/"))] == [
        teacher_staff.pk]
    # Guessing another person's id finds nothing.
    response = api_client.get(f"/api/v1/staff/{other_staff.pk}/")
    assert response.status_code == 404
    assert set(response.json()) == ERROR_KEYS
    assert api_client.get(f"/api/v1/staff/{other_staff.pk}/position/").status_code == 404


def test_a_teacher_sees_only_their_own_participations(api_client, teacher, teacher_staff,
                                                      other_staff):
    training = helpers.course()
    mine = helpers.complete(teacher_staff, training)
    theirs = helpers.complete(other_staff, training)
    api_client.force_authenticate(teacher)
    assert [row["id"] for row in results(api_client.get("/api/v1/staff-participations/"))] == [
        mine.pk]
    assert api_client.get(f"/api/v1/staff-participations/{theirs.pk}/").status_code == 404
    assert [row["code"] for row in results(api_client.get("/api/v1/staff-trainings/"))] == [
        training.code]


def test_hr_creates_a_staff_member_and_records_a_position_change(api_client, hr_officer, cntt,
                                                                  ck):
    api_client.force_authenticate(hr_officer)
    payload = {
        "staff_code": "GV0500", "full_name": "Ngô Minh Quân",
        "national_id": helpers.national_id(date(1987, 7, 7)), "date_of_birth": "1987-07-07",
        "gender": "male", "department": "CNTT", "is_teacher": True, "is_manager": False,
        "employment_status": "active", "effective_date": "2019-09-01",
    }
    response = api_client.post("/api/v1/staff/", payload, format="json")
    assert response.status_code == 201, response.json()
    assert "national_id" not in response.json()
    member = StaffMember.objects.get(staff_code="GV0500")
    response = api_client.post(f"/api/v1/staff/{member.pk}/position/", {
        "effective_date": "2024-09-01", "department": "CK", "is_teacher": True,
        "is_manager": True, "employment_status": "active"}, format="json")
    assert response.status_code == 201, response.json()
    member.refresh_from_db()
    assert (member.department, member.is_manager) == (ck, True)
    history = api_client.get(f"/api/v1/staff/{member.pk}/position/").json()
    assert [row["effective_date"] for row in history] == ["2024-09-01", "2019-09-01"]


def test_validation_errors_come_back_in_the_one_shape(api_client, hr_officer, cntt):
    api_client.force_authenticate(hr_officer)
    response = api_client.post("/api/v1/staff/", {
        "staff_code": "GV0501", "full_name": "X", "national_id": "123",
        "date_of_birth": "1987-07-07", "gender": "male", "department": "CNTT",
        "is_teacher": True, "is_manager": False, "employment_status": "active",
        "effective_date": "2019-09-01"}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert set(body) == ERROR_KEYS
    assert "national_id" in body["errors"]
    assert not StaffMember.objects.filter(staff_code="GV0501").exists()


@pytest.mark.parametrize("persona", ["qa_officer", "registrar", "teacher"])
def test_only_hr_writes_staff_records(request, api_client, cntt, persona):
    member = helpers.staff(dept=cntt)
    api_client.force_authenticate(request.getfixturevalue(persona))
    assert api_client.patch(f"/api/v1/staff/{member.pk}/", {"phone": "1"},
                            format="json").status_code in (403, 404)
    assert api_client.post("/api/v1/staff-trainings/", {}, format="json").status_code == 403
    member.refresh_from_db()
    assert member.phone == ""


def test_the_full_personal_id_is_for_hr_and_every_read_is_logged(api_client, hr_officer,
                                                                 qa_officer, cntt):
    member = helpers.staff(dept=cntt)
    api_client.force_authenticate(qa_officer)
    url = f"/api/v1/staff/{member.pk}/national-id/"
    assert api_client.post(url, {"reason": "Hợp đồng"}, format="json").status_code == 403
    assert not PersonalDataAccess.objects.exists()
    api_client.force_authenticate(hr_officer)
    assert api_client.get(url).status_code == 405  # never a GET: a reason is asked
    no_reason = api_client.post(url, {}, format="json")
    assert no_reason.status_code == 400 and "reason" in no_reason.json()["errors"]
    assert not PersonalDataAccess.objects.exists()
    response = api_client.post(url, {"reason": "Lập hợp đồng lao động"}, format="json")
    assert response.json()["national_id"] == member.national_id
    assert response["Cache-Control"] == "no-store"
    log = PersonalDataAccess.objects.get()
    assert (log.path, log.reason) == (url, "Lập hợp đồng lao động")


def test_deleting_a_course_with_results_is_a_409_in_the_one_shape(api_client, hr_officer,
                                                                  cntt):
    training = helpers.course("DS-409")
    helpers.complete(helpers.staff(dept=cntt), training)
    api_client.force_authenticate(hr_officer)
    response = api_client.delete(f"/api/v1/staff-trainings/{training.pk}/")
    assert response.status_code == 409
    body = response.json()
    assert set(body) == ERROR_KEYS
    assert body["code"] == "course_has_results" and "DS-409" in body["detail"]
    assert TrainingCourse.objects.filter(pk=training.pk).exists()
    empty = helpers.course()
    assert api_client.delete(f"/api/v1/staff-trainings/{empty.pk}/").status_code == 204


def test_hr_registers_and_records_a_result_with_a_certificate_file(api_client, hr_officer,
                                                                   cntt):
    member, training = helpers.staff(dept=cntt), helpers.course()
    api_client.force_authenticate(hr_officer)
    response = api_client.post("/api/v1/staff-participations/",
                               {"course": training.pk, "staff": member.pk}, format="json")
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    no_evidence = api_client.patch(f"/api/v1/staff-participations/{pk}/result/", {
        "result": "completed", "completed_on": "2024-03-31"}, format="json")
    assert no_evidence.status_code == 400
    assert "certificate" in no_evidence.json()["errors"]
    number_only = api_client.patch(f"/api/v1/staff-participations/{pk}/result/", {
        "result": "completed", "completed_on": "2024-03-31", "certificate_number": "CC-1"},
        format="json")
    assert number_only.status_code == 400
    assert set(number_only.json()["errors"]) == {"certificate"}
    response = api_client.patch(f"/api/v1/staff-participations/{pk}/result/", {
        "result": "completed", "completed_on": "2024-03-31", "certificate": helpers.pdf()},
        format="multipart")
    assert response.status_code == 200, response.json()
    assert response.json()["certificate_url"] == f"/staff/certificates/{pk}/"
    withdraw = api_client.delete(f"/api/v1/staff-participations/{pk}/")
    assert withdraw.status_code == 409
    assert Participation.objects.filter(pk=pk).exists()


def test_bulk_registration_through_the_api(api_client, hr_officer, cntt):
    helpers.staff(dept=cntt)
    helpers.staff(dept=cntt, teacher=False, manager=True)
    training = helpers.course(kind="courseware")
    api_client.force_authenticate(hr_officer)
    response = api_client.post(f"/api/v1/staff-trainings/{training.pk}/register-department/",
                               {"department": "CNTT", "teachers_only": True}, format="json")
    assert response.json() == {"registered": 1}


def test_a_teacher_keeps_their_own_courseware_only(api_client, teacher, teacher_staff,
                                                   other_staff):
    api_client.force_authenticate(teacher)
    response = api_client.post("/api/v1/staff-courseware/", {
        "title": "Mô phỏng mạch điện", "module_code": "MĐ 20", "module_name": "Trang bị điện",
        "kind": "simulation", "status": "in_use", "link": "https://lms.example.edu.vn/mp",
        "author": other_staff.pk}, format="json")
    assert response.status_code == 201, response.json()
    item = Courseware.objects.get()
    assert item.author == teacher_staff  # the author is the teacher, whatever was sent
    theirs = Courseware.objects.create(author=other_staff, title="Của người khác",
                                       module_name="Điện", kind="video")
    response = api_client.patch(f"/api/v1/staff-courseware/{theirs.pk}/", {"title": "Đổi"},
                                format="json")
    assert response.status_code == 404
    assert api_client.delete(f"/api/v1/staff-courseware/{theirs.pk}/").status_code == 404
    assert [row["id"] for row in results(api_client.get("/api/v1/staff-courseware/"))] == [
        item.pk]


def test_indicators_endpoint_for_readers(api_client, registrar, teacher, cntt):
    member = helpers.staff(dept=cntt)
    helpers.complete(member, helpers.course(starts=date(2024, 3, 1), ends=date(2024, 3, 31)))
    helpers.staff(dept=cntt)
    api_client.force_authenticate(teacher)
    assert api_client.get("/api/v1/staff-indicators/").status_code == 403
    api_client.force_authenticate(registrar)
    body = api_client.get("/api/v1/staff-indicators/?as_of=2024-12-31").json()
    a1 = next(i for i in body["indicators"] if i["code"] == "a1")
    assert (a1["overall"]["counted"], a1["overall"]["completed"]) == (2, 1)
    assert a1["overall"]["percent"] == "50.0"
    assert a1["overall"]["targets"][0] == {"year": 2025, "share": "0.50", "met": True, "gap": 0}
    earlier = api_client.get("/api/v1/staff-indicators/?as_of=2024-01-01").json()
    assert earlier["indicators"][0]["overall"]["completed"] == 0
    bad = api_client.get("/api/v1/staff-indicators/?as_of=31-12-2024")
    assert bad.status_code == 400 and set(bad.json()) == ERROR_KEYS


def test_a_teacher_guessing_ids_reads_and_writes_nothing_of_others(api_client, teacher,
                                                                   teacher_staff, other_staff):
    """Permission boundary: every id of someone else is 404 (not found) and every write of
    HR's is 403, including on the teacher's own rows (no self-recorded completion)."""
    theirs_course = helpers.course("DS-OTHER")
    theirs = helpers.complete(other_staff, theirs_course)
    mine = services_register(helpers.course("DS-MINE"), teacher_staff)
    their_item = Courseware.objects.create(author=other_staff, title="Bài giảng của Lan",
                                           module_name="Mạng máy tính", kind="e_lecture")
    api_client.force_authenticate(teacher)
    for url in (f"/api/v1/staff/{other_staff.pk}/",
                f"/api/v1/staff/{other_staff.pk}/position/",
                f"/api/v1/staff-participations/{theirs.pk}/",
                f"/api/v1/staff-trainings/{theirs_course.pk}/",  # a course they do not attend
                f"/api/v1/staff-courseware/{their_item.pk}/"):
        response = api_client.get(url)
        assert response.status_code == 404, url
        assert set(response.json()) == ERROR_KEYS
    listed = api_client.get(f"/api/v1/staff-participations/?staff={other_staff.pk}")
    assert results(listed) == []
    assert results(api_client.get(f"/api/v1/staff-courseware/?author={other_staff.pk}")) == []
    # Not even their own full personal ID (HR only) and no HR writes on their own rows.
    assert api_client.post(f"/api/v1/staff/{teacher_staff.pk}/national-id/",
                           {"reason": "Xem số"}, format="json").status_code == 403
    assert api_client.patch(f"/api/v1/staff-participations/{mine.pk}/result/", {
        "result": "completed", "completed_on": "2024-03-31", "certificate": helpers.pdf()},
        format="multipart").status_code == 403
    assert api_client.post("/api/v1/staff-participations/", {
        "course": theirs_course.pk, "staff": teacher_staff.pk}, format="json").status_code == 403
    assert api_client.post(f"/api/v1/staff/{teacher_staff.pk}/position/", {
        "effective_date": "2024-09-01", "department": "CNTT", "is_teacher": True,
        "is_manager": True, "employment_status": "active"}, format="json").status_code == 403
    assert api_client.delete(f"/api/v1/staff-trainings/{theirs_course.pk}/").status_code == 403
    mine.refresh_from_db()
    assert mine.result == "registered"
    assert not PersonalDataAccess.objects.exists()
    assert TrainingCourse.objects.filter(pk=theirs_course.pk).exists()


@pytest.mark.parametrize("persona", ["qa_officer", "registrar"])
def test_readers_read_everything_but_write_nothing(request, api_client, cntt, persona):
    member = helpers.staff(dept=cntt)
    training = helpers.course()
    done = helpers.complete(member, training)
    api_client.force_authenticate(request.getfixturevalue(persona))
    assert api_client.get(f"/api/v1/staff/{member.pk}/").status_code == 200
    assert api_client.get(f"/api/v1/staff-participations/{done.pk}/").status_code == 200
    assert api_client.get(f"/api/v1/staff-trainings/{training.pk}/").status_code == 200
    assert api_client.patch(f"/api/v1/staff-participations/{done.pk}/result/", {
        "result": "failed"}, format="json").status_code == 403
    assert api_client.post(f"/api/v1/staff-trainings/{training.pk}/register-department/", {
        "department": "CNTT"}, format="json").status_code == 403
    assert api_client.delete(f"/api/v1/staff-trainings/{training.pk}/").status_code == 403
    done.refresh_from_db()
    assert done.result == "completed"


def services_register(training, member):
    from staff import services

    return services.participant_register(course=training, staff=member)
