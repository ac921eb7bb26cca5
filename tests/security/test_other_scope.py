"""Another scope's ids (issue #18): teacher A on teacher B's section, gradebook, attendance,
learners and staff records; learner A on learner B's record, transcript, diplomas and
credential; lists, searches, exports and counts that never carry the other scope's rows.

The world (tests/security/world.py): learners A and B, teachers A and B; section A holds
learners A and B, section B learners B and C — C's name is on no page of teacher A's.
"""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.security.world import ONLY_B_LEARNER

pytestmark = pytest.mark.django_db


def refused(response) -> bool:
    return response.status_code in (401, 403, 404)


def xlsx_text(response) -> str:
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)
                                    if response.streaming else response.content))
    return "\n".join(str(cell) for sheet in book.worksheets
                     for row in sheet.iter_rows(values_only=True) for cell in row
                     if cell is not None)


# --- teacher A on teacher B's section ------------------------------------------------------

TEACHER_SECTION_PAGES = [
    "/teacher/sections/{pk}/", "/teacher/sections/{pk}/learners.xlsx",
    "/teacher/sections/{pk}/gradebook/", "/teacher/sections/{pk}/gradebook/review/",
    "/teacher/sections/{pk}/gradebook.xlsx", "/teacher/sections/{pk}/gradebook/import/",
    "/teacher/sections/{pk}/attendance/", "/api/v1/sections/{pk}/gradebook/",
]


@pytest.mark.parametrize("url", TEACHER_SECTION_PAGES)
def test_teacher_a_cannot_open_teacher_b_section(world, url):
    client = world.clients["teacher"]
    own = client.get(url.format(pk=world.section_a.pk))
    assert own.status_code == 200, url  # the same page on one's own section works
    assert refused(client.get(url.format(pk=world.section_b.pk)))


@pytest.mark.parametrize("method", ["patch", "put"])
def test_teacher_a_cannot_write_teacher_b_gradebook(world, method):
    client = world.clients["teacher"]
    response = getattr(client, method)(
        f"/api/v1/sections/{world.section_b.pk}/gradebook/",
        {"version": 0, "cells": []}, content_type="application/json")
    assert refused(response)
    response = client.post(f"/api/v1/sections/{world.section_b.pk}/gradebook/submit/",
                           {"version": 0}, content_type="application/json")
    assert refused(response)
    response = client.post(f"/teacher/sections/{world.section_b.pk}/attendance/marks/", {})
    assert refused(response)
    assert refused(client.get(f"/teacher/sections/{world.section_b.pk}/amendments/new/"))


def test_teacher_a_lists_and_exports_hold_only_their_sections(world):
    client = world.clients["teacher"]
    for url in ["/teacher/", "/teacher/gradebooks/", f"/teacher/sections/{world.section_a.pk}/",
                f"/teacher/sections/{world.section_a.pk}/gradebook/",
                f"/teacher/sections/{world.section_a.pk}/attendance/",
                "/api/v1/sections/", "/api/v1/teaching-assignments/",
                f"/api/v1/sections/{world.section_a.pk}/gradebook/",
                f"/api/v1/sections/{world.section_a.pk}/learners/"]:
        response = client.get(url)
        body = response.content.decode()
        assert response.status_code == 200, url
        assert "SEC-B" not in body and ONLY_B_LEARNER not in body, url
    for url in [f"/teacher/sections/{world.section_a.pk}/learners.xlsx",
                f"/teacher/sections/{world.section_a.pk}/gradebook.xlsx"]:
        text = xlsx_text(client.get(url))
        assert "Vũ Đức Thắng" in text  # learner B is on section A: the export is not empty
        assert ONLY_B_LEARNER not in text and "SEC-B" not in text, url


def test_teacher_a_api_sections_detail_of_b_is_not_found(world):
    client = world.clients["teacher"]
    assert client.get(f"/api/v1/sections/{world.section_a.pk}/").status_code == 200
    assert refused(client.get(f"/api/v1/sections/{world.section_b.pk}/"))
    assert refused(client.get(f"/api/v1/sections/{world.section_b.pk}/learners/"))
    assignment_b = world.section_b.assignments.get()
    assert refused(client.get(f"/api/v1/teaching-assignments/{assignment_b.pk}/"))


def test_a_teacher_reads_no_transcript_not_even_of_their_own_learners(world):
    client = world.clients["teacher"]
    for learner_id in (world.enrollment_b.learner_id, world.enrollment_c.learner_id):
        assert refused(client.get(f"/api/v1/learners/{learner_id}/transcript/"))
        assert refused(client.get(f"/office/learners/{learner_id}/transcript/"))
        assert refused(client.get(f"/office/learners/{learner_id}/transcript.pdf"))


# --- teacher A on teacher B's staff records (HR data) ---------------------------------------

def test_teacher_a_reads_only_their_own_staff_records(world, media):
    client = world.clients["teacher"]
    assert client.get(f"/api/v1/staff/{world.staff_a.pk}/").status_code == 200
    for url in [f"/api/v1/staff/{world.staff_b.pk}/",
                f"/api/v1/staff-participations/{world.participation_b.pk}/",
                f"/api/v1/staff-courseware/{world.courseware_b.pk}/",
                f"/staff/certificates/{world.participation_b.pk}/",
                f"/staff/courseware/{world.courseware_b.pk}/file/",
                f"/teacher/profile/courseware/{world.courseware_b.pk}/edit/"]:
        assert refused(client.get(url)), url
    for url in [f"/api/v1/staff/{world.staff_b.pk}/national-id/",
                f"/api/v1/staff/{world.staff_a.pk}/national-id/"]:  # HR data even of oneself
        assert refused(client.post(url, {"reason": "Kiểm tra hồ sơ"},
                                   content_type="application/json")), url
    assert client.get(f"/staff/certificates/{world.participation_a.pk}/").status_code == 200
    for url in ["/api/v1/staff/", "/api/v1/staff/?search=GVB", "/api/v1/staff-participations/",
                "/api/v1/staff-courseware/", "/teacher/profile/",
                "/teacher/profile/trainings/", "/teacher/profile/courseware/"]:
        response = client.get(url)
        body = response.content.decode()
        assert response.status_code == 200, url
        assert "GVB02" not in body and "Hoàng Thị Lan" not in body and "CC-B" not in body, url
        assert "Bài giảng B" not in body, url


def test_teacher_a_cannot_move_their_courseware_to_teacher_b(world):
    client = world.clients["teacher"]
    response = client.patch(f"/api/v1/staff-courseware/{world.courseware_a.pk}/",
                            {"author": world.staff_b.pk}, content_type="application/json")
    world.courseware_a.refresh_from_db()
    assert world.courseware_a.author_id == world.staff_a.pk
    assert response.status_code in (200, 400, 403)
    response = client.post("/api/v1/staff-courseware/", {
        "author": world.staff_b.pk, "title": "Planted", "module_name": "CSDL",
        "kind": "e_lecture", "status": "draft"}, content_type="application/json")
    from staff.models import Courseware

    assert not Courseware.objects.filter(author=world.staff_b, title="Planted").exists()


# --- learner A on learner B -----------------------------------------------------------------

def test_learner_a_cannot_reach_learner_b_records(world):
    client = world.clients["learner"]
    b = world.enrollment_b
    for url in [f"/api/v1/learners/{b.learner_id}/",
                f"/api/v1/learners/{b.learner_id}/history/",
                f"/api/v1/learners/{b.learner_id}/transcript/",
                f"/api/v1/enrollments/{b.pk}/",
                f"/api/v1/diplomas/{world.diploma_b.pk}/",
                f"/student/diplomas/{world.diploma_b.pk}/copy.pdf",
                f"/student/diplomas/{world.diploma_b.pk}/credential.json",
                f"/office/learners/{b.learner_id}/transcript/",
                f"/office/learners/{b.learner_id}/transcript.pdf"]:
        assert refused(client.get(url)), url
    assert refused(client.post(f"/api/v1/learners/{b.learner_id}/national-id/",
                               {"reason": "Xem thử"}, content_type="application/json"))
    # The same pages with one's own ids work: the refusals above are about scope.
    a = world.enrollment_a
    for url in [f"/api/v1/learners/{a.learner_id}/", f"/api/v1/learners/{a.learner_id}/transcript/",
                f"/api/v1/diplomas/{world.diploma_a.pk}/",
                f"/student/diplomas/{world.diploma_a.pk}/copy.pdf"]:
        assert client.get(url).status_code == 200, url


def test_learner_a_lists_and_pages_hold_only_their_own_rows(world):
    client = world.clients["learner"]
    b = world.enrollment_b
    b_marks = [b.learner.code, "Vũ Đức Thắng", world.diploma_b.serial_number, ONLY_B_LEARNER]
    for url in ["/api/v1/learners/", f"/api/v1/learners/?search={b.learner.code}",
                "/api/v1/enrollments/", "/api/v1/diplomas/",
                f"/api/v1/diplomas/?search={world.diploma_b.serial_number}",
                "/student/", "/student/record/", "/student/transcript/", "/student/diplomas/"]:
        response = client.get(url)
        body = response.content.decode()
        assert response.status_code == 200, url
        assert not [mark for mark in b_marks if mark in body], url
    listed = client.get("/api/v1/diplomas/").json()
    assert listed["count"] == 1
    assert [row["serial_number"] for row in listed["results"]] == [world.diploma_a.serial_number]


def pdf_text(response) -> str:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert body.startswith(b"%PDF"), response.get("Content-Type")
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)


def test_learner_a_pdfs_carry_no_identifier_of_learner_b(world, media):
    """The transcript and the diploma copy are built from the learner's own rows: learner
    B, in the same class, appears in neither (codes and serials: ASCII, so the text
    extraction finds them exactly)."""
    client = world.clients["learner"]
    a, b = world.enrollment_a, world.enrollment_b
    for url in ["/student/transcript.pdf", f"/student/diplomas/{world.diploma_a.pk}/copy.pdf"]:
        response = client.get(url)
        assert response.status_code == 200, url
        text = pdf_text(response)
        assert a.learner.code in text or world.diploma_a.serial_number in text, url
        for mark in (b.learner.code, world.diploma_b.serial_number):
            assert mark not in text, (url, mark)


def test_learner_a_cannot_write_any_diploma(world):
    client = world.clients["learner"]
    for action in ("replace", "revoke", "copies"):
        response = client.post(f"/api/v1/diplomas/{world.diploma_a.pk}/{action}/", {},
                               content_type="application/json")
        assert refused(response), action


# --- staff offices outside their remit ------------------------------------------------------

def test_hr_reads_no_learner_grade_or_diploma_through_the_api(world):
    client = world.clients["hr"]
    for url in ["/api/v1/learners/", "/api/v1/enrollments/", "/api/v1/applications/",
                f"/api/v1/learners/{world.enrollment_a.learner_id}/transcript/",
                f"/api/v1/sections/{world.section_a.pk}/gradebook/",
                "/api/v1/graduation-reviews/", "/api/v1/graduation-decisions/"]:
        assert refused(client.get(url)), url
    body = client.get("/api/v1/diplomas/").content.decode()
    assert world.diploma_a.serial_number not in body and world.diploma_b.serial_number not in body
