"""Writes outside a role's remit are refused (issue #18): status, approver, learner identity,
authorship and the scores of a locked gradebook cannot be changed by PATCH/PUT, whatever
the body says — the request is refused or the field is ignored, and the row is unchanged."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

JSON = "application/json"


def send(client, method, url, data):
    return getattr(client, method)(url, data, content_type=JSON)


@pytest.mark.parametrize("method", ["patch", "put"])
@pytest.mark.parametrize("role", ["registrar", "qa", "learner"])
def test_no_role_rewrites_an_application_status_or_a_learner_identity(world, role, method):
    client = world.clients[role]
    application = world.application
    learner = world.enrollment_a.learner
    world.enrollment_a.refresh_from_db()
    status_before = world.enrollment_a.status
    response = send(client, method, f"/api/v1/applications/{application.pk}/",
                    {"status": "admitted", "full_name": "Kẻ Mạo Danh"})
    assert response.status_code in (403, 404, 405)
    response = send(client, method, f"/api/v1/learners/{learner.pk}/",
                    {"full_name": "Kẻ Mạo Danh", "national_id": "001206000001",
                     "date_of_birth": "2000-01-01"})
    assert response.status_code in (403, 404, 405)
    response = send(client, method, f"/api/v1/enrollments/{world.enrollment_a.pk}/",
                    {"status": "dropped_out", "learner": world.enrollment_b.learner_id})
    assert response.status_code in (403, 404, 405)
    application.refresh_from_db()
    learner.refresh_from_db()
    world.enrollment_a.refresh_from_db()
    assert application.status == "submitted" and application.full_name == "Đinh Thị Hoa"
    assert learner.full_name == "Trần Thị Ánh Dương"
    assert world.enrollment_a.status == status_before
    assert world.enrollment_a.learner_id == learner.pk


@pytest.mark.parametrize("method", ["patch", "put"])
def test_decisions_reviews_and_diplomas_are_never_edited_in_place(world, method):
    """Legal records: the registrar changes them only through their actions (replace,
    revoke, adjust), which keep the history; a PATCH of status or signer is refused."""
    client = world.clients["registrar"]
    decision, diploma, review = world.decision, world.diploma_a, world.review
    for url, body in [
        (f"/api/v1/graduation-decisions/{decision.pk}/",
         {"signer_name": "Người Khác", "recorded_by": world.user("qa").pk}),
        (f"/api/v1/graduation-reviews/{review.pk}/", {"status": "decided", "note": "x"}),
        (f"/api/v1/diplomas/{diploma.pk}/", {"status": "revoked", "holder_name": "Khác"}),
    ]:
        assert send(client, method, url, body).status_code == 405, url
    decision.refresh_from_db()
    diploma.refresh_from_db()
    assert decision.signer_name == "TS. Vũ Quang Minh"
    assert diploma.status == "issued" and diploma.holder_name == "Trần Thị Ánh Dương"


def test_a_new_decision_cannot_name_its_own_recorder(world):
    from degrees.api import GraduationDecisionSerializer

    fields = GraduationDecisionSerializer().get_fields()
    assert "recorded_by" not in fields or fields["recorded_by"].read_only
    assert fields["recorded_at"].read_only


def test_a_teacher_cannot_write_participations_or_results(world):
    client = world.clients["teacher"]
    response = send(client, "post", "/api/v1/staff-participations/",
                    {"course": world.participation_a.course_id, "staff": world.staff_b.pk})
    assert response.status_code == 403
    response = send(client, "patch",
                    f"/api/v1/staff-participations/{world.participation_a.pk}/result/",
                    {"result": "failed"})
    assert response.status_code == 403
    world.participation_a.refresh_from_db()
    assert world.participation_a.result == "completed"


def test_hr_registers_a_participation_without_its_result(world):
    """The result is recorded with its evidence through …/result/, never by the create."""
    from staff.models import Participation

    client = world.clients["hr"]
    course = world.participation_a.course
    from tests.staff import helpers

    other = helpers.staff("GVX03", full_name="Lý Văn Xuân")
    response = send(client, "post", "/api/v1/staff-participations/",
                    {"course": course.pk, "staff": other.pk, "result": "completed",
                     "certificate_number": "FAKE-1", "completed_on": "2024-03-31"})
    assert response.status_code == 201, response.content
    row = Participation.objects.get(course=course, staff=other)
    assert row.result != "completed" and row.certificate_number != "FAKE-1"


@pytest.mark.parametrize("method", ["patch", "put"])
def test_a_teacher_cannot_rewrite_their_own_staff_record(world, method):
    response = send(world.clients["teacher"], method, f"/api/v1/staff/{world.staff_a.pk}/",
                    {"full_name": "Khác", "national_id": "001085000001",
                     "employment_status": "retired"})
    assert response.status_code in (403, 405)
    world.staff_a.refresh_from_db()
    assert world.staff_a.full_name == "Nguyễn Văn Hùng"


def test_scores_of_an_approved_gradebook_cannot_be_written(world):
    from grading.models import Gradebook

    book = world.section_a.gradebook
    Gradebook.objects.filter(pk=book.pk).update(status="approved")
    client = world.clients["teacher"]
    url = f"/api/v1/sections/{world.section_a.pk}/gradebook/"
    sheet = client.get(url).json()
    learner_id = sheet["learners"][0]["id"]
    for method in ("patch", "put"):
        response = send(client, method, url, {"version": sheet["version"], "cells": [
            {"learner": learner_id, "column": "TX1", "value": "10"}]})
        assert response.status_code in (400, 403, 409), method
    after = client.get(url).json()
    assert after["version"] == sheet["version"] and after["learners"] == sheet["learners"]
    office = world.clients["registrar"]
    response = send(office, "patch", url, {"version": sheet["version"], "cells": [
        {"learner": learner_id, "column": "TX1", "value": "10"}]})
    assert response.status_code in (400, 403, 409)
