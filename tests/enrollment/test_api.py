"""The enrolment API: filters, accent-insensitive search, decisions, masked IDs with a
logged full read, and permissions by role (guessing other users' ids gets nothing)."""

from datetime import date

import pytest

from enrollment import services
from enrollment.models import Application, Learner
from tests.enrollment.factories import LearnerFactory, application, enrol, occupation, open_round
from vetschool.accounts.models import PersonalDataAccess

pytestmark = pytest.mark.django_db


@pytest.fixture
def it_college(db):
    return occupation("6480201", "Công nghệ thông tin")


@pytest.fixture
def welding(db):
    return occupation("5520123", "Hàn")


@pytest.fixture
def round_(it_college, welding):
    return open_round(year=2026, quotas={it_college: 5, welding: 5})


@pytest.fixture
def as_registrar(api_client, registrar):
    api_client.force_authenticate(registrar)
    return api_client


def test_applications_filter_by_round_status_occupation_level_and_year(
        as_registrar, round_, it_college, welding, registrar, django_assert_max_num_queries):
    college = application(round_, [it_college, welding], full_name="Nguyễn Văn An")
    intermediate = application(round_, [welding], full_name="Trần Thị Bình")
    services.application_admit(application=intermediate, by=registrar)
    older = open_round(year=2025, number=1, quotas={it_college: 5})
    application(older, [it_college])

    def ids(**params):
        response = as_registrar.get("/api/v1/applications/", params)
        assert response.status_code == 200, response.json()
        return {row["id"] for row in response.json()["results"]}

    assert ids(round=round_.pk) == {college.pk, intermediate.pk}
    assert ids(status="admitted") == {intermediate.pk}
    assert ids(occupation="6480201", admission_year=2026) == {college.pk}
    assert ids(level="intermediate") == {intermediate.pk}
    assert ids(search="nguyen van an") == {college.pk}
    for _ in range(20):
        application(round_, [it_college])
    with django_assert_max_num_queries(8):
        as_registrar.get("/api/v1/applications/", {"page_size": 100})


def test_applications_show_masked_ids(as_registrar, round_, it_college):
    app = application(round_, [it_college])
    row = as_registrar.get(f"/api/v1/applications/{app.pk}/").json()
    assert row["national_id"] == app.national_id_masked
    assert row["wishes"][0]["occupation_code"] == "6480201"


def test_decisions_and_enrolment_through_the_api(as_registrar, round_, it_college):
    app = application(round_, [it_college])
    response = as_registrar.post(f"/api/v1/applications/{app.pk}/request-changes/",
                                 {"message": "Bổ sung học bạ"})
    assert response.json()["status"] == "changes_requested"
    response = as_registrar.post(f"/api/v1/applications/{app.pk}/admit/",
                                 {"occupation": "6480201"})
    assert response.json()["status"] == "admitted"
    response = as_registrar.post(f"/api/v1/applications/{app.pk}/enrol/", {
        "decision_number": "5/QĐ", "decision_date": "2026-01-05"})
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["learner_code"] == "2662010001" and len(body["one_time_password"]) == 12
    assert response["Cache-Control"] == "no-store"


def test_a_refused_decision_has_the_one_error_shape(as_registrar, round_, it_college):
    app = application(round_, [it_college])
    response = as_registrar.post(f"/api/v1/applications/{app.pk}/reject/", {"reason": ""})
    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"status", "code", "detail", "errors"}
    assert body["errors"]["reason"]
    app.refresh_from_db()
    assert app.status == "submitted"


def test_learners_filter_and_search(as_registrar, it_college, welding):
    an = LearnerFactory(full_name="Nguyễn Văn An")
    enrol(an, it_college, year=2024)
    binh = LearnerFactory(full_name="Lê Thị Bình")
    enrol(binh, welding, year=2025)

    def codes(**params):
        return {r["code"] for r in as_registrar.get("/api/v1/learners/", params).json()[
            "results"]}

    assert codes(search="NGUYEN van an") == {an.code}
    assert codes(occupation="5520123") == {binh.code}
    assert codes(level="college", admission_year=2024) == {an.code}
    assert codes(status="studying") == {an.code, binh.code}
    rows = as_registrar.get("/api/v1/learners/").json()["results"]
    assert {r["national_id"] for r in rows} == {an.national_id_masked, binh.national_id_masked}


def test_the_full_personal_id_is_a_logged_read(as_registrar, registrar):
    learner = LearnerFactory()
    url = f"/api/v1/learners/{learner.pk}/national-id/"
    assert as_registrar.get(url).status_code == 405  # never a GET
    assert as_registrar.post(url, {}, format="json").status_code == 400  # no reason
    assert PersonalDataAccess.objects.count() == 0
    response = as_registrar.post(url, {"reason": "Đối chiếu hồ sơ BHYT"}, format="json")
    assert response.json() == {"national_id": learner.national_id}
    log = PersonalDataAccess.objects.get()
    assert (log.user, log.subject_id, log.reason) == (registrar, str(learner.pk),
                                                      "Đối chiếu hồ sơ BHYT")


def test_a_learner_reads_only_their_own_record(api_client, learner, other_learner):
    mine = LearnerFactory(user=learner)
    enrol(mine)
    theirs = LearnerFactory(user=other_learner, date_of_birth=date(2006, 8, 8))
    their_enrolment = enrol(theirs)
    api_client.force_authenticate(learner)

    rows = api_client.get("/api/v1/learners/").json()["results"]
    assert [r["code"] for r in rows] == [mine.code]
    assert rows[0]["national_id"] == mine.national_id  # their own, in full
    assert api_client.get(f"/api/v1/learners/{theirs.pk}/").status_code == 404
    assert api_client.post(f"/api/v1/learners/{theirs.pk}/national-id/",
                           {"reason": "Xem thử"}, format="json").status_code == 404
    own = api_client.post(f"/api/v1/learners/{mine.pk}/national-id/", {}, format="json")
    assert own.json() == {"national_id": mine.national_id}  # one's own: no reason, no log
    assert api_client.get(f"/api/v1/enrollments/{their_enrolment.pk}/").status_code == 404
    assert api_client.get("/api/v1/applications/").status_code == 403
    assert PersonalDataAccess.objects.count() == 0


@pytest.mark.parametrize("persona", ["teacher", "hr_officer"])
def test_other_roles_get_nothing(api_client, request, persona, round_, it_college):
    api_client.force_authenticate(request.getfixturevalue(persona))
    learner = LearnerFactory()
    for url in ("/api/v1/applications/", "/api/v1/learners/", "/api/v1/enrollments/",
                f"/api/v1/learners/{learner.pk}/"):
        assert api_client.get(url).status_code == 403, url


def test_the_qa_officer_reads_but_does_not_decide(api_client, qa_officer, round_, it_college):
    api_client.force_authenticate(qa_officer)
    app = application(round_, [it_college])
    assert api_client.get("/api/v1/applications/").status_code == 200
    assert api_client.post(f"/api/v1/applications/{app.pk}/admit/", {}).status_code == 403
    enrollment = enrol()
    response = api_client.post(f"/api/v1/enrollments/{enrollment.pk}/status/", {
        "status": "reserved", "decision_number": "1", "decision_date": "2025-10-01",
        "reason": "x"})
    assert response.status_code == 403
    assert Application.objects.get(pk=app.pk).status == "submitted"


def test_status_decisions_through_the_api(as_registrar):
    enrollment = enrol()
    url = f"/api/v1/enrollments/{enrollment.pk}/status/"
    response = as_registrar.post(url, {"status": "graduated", "decision_number": "1",
                                       "decision_date": "2025-10-01", "reason": "x"})
    assert response.status_code == 400
    assert "degrees" in response.json()["detail"] or "tốt nghiệp" in response.json()["detail"]
    response = as_registrar.post(url, {"status": "reserved", "decision_number": "12/QĐ",
                                       "decision_date": "2025-10-01", "reason": "Ốm dài ngày"})
    assert response.status_code == 201
    history = as_registrar.get(url).json()
    assert [h["to_status"] for h in history] == ["studying", "reserved"]
    enrollments = as_registrar.get("/api/v1/enrollments/", {"status": "reserved"}).json()
    assert [e["id"] for e in enrollments["results"]] == [enrollment.pk]


def test_the_schema_documents_the_enrolment_endpoints(as_registrar):
    schema = as_registrar.get("/api/schema/", {"format": "json"}).json()
    paths = schema["paths"]
    for expected in ("/api/v1/applications/", "/api/v1/applications/{id}/admit/",
                     "/api/v1/learners/{id}/national-id/", "/api/v1/enrollments/{id}/status/"):
        assert expected in paths
    names = {p["name"] for p in paths["/api/v1/learners/"]["get"]["parameters"]}
    assert {"search", "occupation", "level", "admission_year", "status"} <= names
    assert Learner.objects.count() == 0


def test_the_schema_builds_without_warnings():
    from django.core.management import call_command

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null")


def test_learners_and_enrolments_filter_by_round_and_every_enrolment_field(
        as_registrar, round_, it_college, welding, registrar):
    admitted = services.application_admit(
        application=application(round_, [it_college], full_name="Phan Thị Hoa"), by=registrar)
    enrolled = services.application_enroll(application=admitted, by=registrar,
                                           decision_number="3/QĐ",
                                           decision_date=date(2026, 1, 5),
                                           mode="part_time")
    older = LearnerFactory(full_name="Võ Văn Kiên")
    older_enrolment = enrol(older, welding, year=2024)

    def learner_codes(**params):
        response = as_registrar.get("/api/v1/learners/", params)
        assert response.status_code == 200, response.json()
        return {r["code"] for r in response.json()["results"]}

    def enrolment_ids(**params):
        response = as_registrar.get("/api/v1/enrollments/", params)
        assert response.status_code == 200, response.json()
        return {r["id"] for r in response.json()["results"]}

    new = enrolled.learner.code
    assert learner_codes(round=round_.pk) == {new}
    assert learner_codes(admission_year=2024) == {older.code}
    assert learner_codes(search="vo van kien") == {older.code}
    assert learner_codes(search=new) == {new}
    mine = enrolled.enrollment.pk
    assert enrolment_ids(round=round_.pk) == {mine}
    assert enrolment_ids(occupation="5520123") == {older_enrolment.pk}
    assert enrolment_ids(level="college") == {mine}
    assert enrolment_ids(admission_year=2026) == {mine}
    assert enrolment_ids(mode="part_time") == {mine}
    assert enrolment_ids(status="studying") == {mine, older_enrolment.pk}
    assert enrolment_ids(search="phan thi hoa") == {mine}
    assert as_registrar.get("/api/v1/enrollments/", {"status": "nonsense"}).status_code == 400


def test_the_learner_list_query_count_does_not_grow_with_rows(
        as_registrar, it_college, django_assert_max_num_queries):
    for i in range(30):
        enrol(LearnerFactory(full_name=f"Hà Văn Số {i}"), it_college)
    with django_assert_max_num_queries(6):
        response = as_registrar.get("/api/v1/learners/", {"page_size": 100})
    assert response.json()["count"] == 30
    with django_assert_max_num_queries(6):
        response = as_registrar.get("/api/v1/enrollments/", {"page_size": 100})
    assert response.json()["count"] == 30


def test_a_learner_guessing_other_ids_gets_nothing(api_client, learner, other_learner,
                                                   round_, it_college):
    mine = LearnerFactory(user=learner)
    my_enrolment = enrol(mine)
    theirs = LearnerFactory(user=other_learner, date_of_birth=date(2006, 8, 8))
    their_enrolment = enrol(theirs)
    their_application = application(round_, [it_college])
    api_client.force_authenticate(learner)

    for url in (f"/api/v1/learners/{theirs.pk}/history/",
                f"/api/v1/enrollments/{their_enrolment.pk}/status/",
                f"/api/v1/learners/{theirs.pk + 1000}/",
                f"/api/v1/enrollments/{their_enrolment.pk + 1000}/"):
        assert api_client.get(url).status_code == 404, url
    assert api_client.get(f"/api/v1/applications/{their_application.pk}/").status_code == 403
    assert [e["id"] for e in api_client.get("/api/v1/enrollments/").json()["results"]] == [
        my_enrolment.pk]
    # Nor may a learner decide anything, on their own record or another's.
    for enrolment in (my_enrolment, their_enrolment):
        response = api_client.post(f"/api/v1/enrollments/{enrolment.pk}/status/", {
            "status": "reserved", "decision_number": "1", "decision_date": "2025-10-01",
            "reason": "x"})
        assert response.status_code in (403, 404)
    assert api_client.post(f"/api/v1/applications/{their_application.pk}/admit/",
                           {}).status_code == 403
    assert api_client.get(f"/api/v1/learners/{mine.pk}/history/").status_code == 200
    assert my_enrolment.status_changes.count() == 1
    assert their_enrolment.status_changes.count() == 1


def test_the_registrar_guessing_an_id_or_an_occupation_gets_a_clear_answer(
        as_registrar, round_, it_college):
    app = application(round_, [it_college])
    assert as_registrar.post("/api/v1/applications/999999/admit/", {}).status_code == 404
    response = as_registrar.post(f"/api/v1/applications/{app.pk}/admit/",
                                 {"occupation": "9999999"})
    assert response.status_code == 400
    assert "9999999" in response.json()["errors"]["occupation"][0]
    app.refresh_from_db()
    assert app.status == "submitted"


def test_a_malformed_occupation_is_a_400_not_a_500(as_registrar, round_, it_college):
    # An occupation is a 7-digit code or an id: anything else was an id the database
    # refused (a 500) in every list filter and in admit.
    for url in ("/api/v1/applications/", "/api/v1/learners/", "/api/v1/enrollments/"):
        response = as_registrar.get(url, {"occupation": "AAA"})
        assert response.status_code == 400, (url, response.content)
        assert list(response.json()["errors"]) == ["occupation"]
        assert "AAA" in response.json()["detail"]
        # An id out of the database's range names no occupation either.
        response = as_registrar.get(url, {"occupation": "9" * 30})
        assert response.status_code == 200, (url, response.content)
        assert response.json()["results"] == []
    app = application(round_, [it_college])
    response = as_registrar.post(f"/api/v1/applications/{app.pk}/admit/", {"occupation": "AAA"})
    assert response.status_code == 400
    assert "AAA" in response.json()["errors"]["occupation"][0]
    app.refresh_from_db()
    assert app.status == "submitted"
