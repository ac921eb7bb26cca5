"""The training API under /api/v1/: reads scoped by role, writes through services."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from tests.training.factories import (
    enrolments,
    homeroom_class,
    program,
    school_year,
    semester,
    staff_member,
)
from training import services
from training.models import HomeroomClass, Module, Program, Section, TeachingAssignment

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(teacher, other_teacher):
    school_year(2025)
    version = program()
    a = homeroom_class(version, code="CD25CNTT1", members=3)
    b = homeroom_class(version, code="CD25CNTT2", members=2)
    services.semester_sections_generate(semester=semester(2025, 1))
    mine = a.sections.get(module__code="MĐ07")
    theirs = b.sections.get(module__code="MĐ07")
    me = staff_member(teacher)
    services.teaching_assign(section=mine, staff=me)
    services.teaching_assign(section=theirs, staff=staff_member(other_teacher))
    return {"program": version, "a": a, "b": b, "mine": mine, "theirs": theirs, "me": me}


def test_programs_modules_and_their_plans(api_client, registrar, world,
                                          django_assert_max_num_queries):
    api_client.force_authenticate(registrar)
    with django_assert_max_num_queries(8):
        listing = api_client.get("/api/v1/programs/").json()
    assert listing["count"] == 1 and listing["results"][0]["digital_outcomes"] == 1
    detail = api_client.get(f"/api/v1/programs/{world['program'].pk}/").json()
    assert detail["is_locked"] is True and len(detail["modules"]) == 14
    oop = next(m for m in detail["modules"] if m["code"] == "MĐ09")
    assert oop["prerequisites"] == ["MĐ07"]
    assert {line["kind"] for line in oop["assessment_plan"]} == {"continuous", "periodic",
                                                                 "exam"}
    modules = api_client.get("/api/v1/modules/", {"program": world["program"].pk,
                                                  "planned_semester": 1}).json()
    assert {m["code"] for m in modules["results"]} == {"MH01", "MH02", "MH03", "MĐ07"}


def test_registrar_writes_through_the_services(api_client, registrar, world):
    api_client.force_authenticate(registrar)
    # A version in use cannot be changed: one error shape, the service's message.
    response = api_client.patch(f"/api/v1/programs/{world['program'].pk}/",
                                {"name_vi": "Khác"}, format="json")
    assert response.status_code == 400
    assert "new version" in response.json()["detail"]
    response = api_client.post(f"/api/v1/programs/{world['program'].pk}/new-version/",
                               {"effective_year": 2026}, format="json")
    assert response.status_code == 201
    copy = response.json()
    module = next(m for m in copy["modules"] if m["code"] == "MĐ10")
    response = api_client.patch(f"/api/v1/modules/{module['id']}/",
                                {"name_vi": "Thiết kế web hiện đại", "credits": 4,
                                 "assessment_plan": [{"kind": "continuous", "count": 1},
                                                     {"kind": "periodic", "count": 1},
                                                     {"kind": "exam", "form": "practical"}]},
                                format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["credits"] == 4
    assert Program.objects.get(pk=copy["id"]).total_credits == world["program"].total_credits - 1
    response = api_client.post("/api/v1/modules/", {
        "program": copy["id"], "code": "MĐ30", "name_vi": "Phát triển ứng dụng AI",
        "kind": "elective", "credits": 3, "theory_hours": 30, "practice_hours": 27,
        "exam_hours": 3, "planned_semester": 5, "prerequisites": ["MĐ09"]}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["prerequisites"] == ["MĐ09"]
    bad = api_client.post("/api/v1/modules/", {
        "program": copy["id"], "code": "MĐ31", "name_vi": "X", "kind": "core", "credits": 3,
        "theory_hours": 30, "planned_semester": 1, "prerequisites": ["MĐ09"]}, format="json")
    assert bad.status_code == 400 and "prerequisites" in bad.json()["errors"]


def test_classes_sections_and_assignments(api_client, registrar, world):
    api_client.force_authenticate(registrar)
    response = api_client.post("/api/v1/classes/", {
        "code": "CD25CNTT3", "program": world["program"].pk, "admission_year": 2025,
        "capacity": 30}, format="json")
    assert response.status_code == 201, response.json()
    new_class = response.json()
    waiting = enrolments(2, occ=world["program"].occupation)
    response = api_client.post(f"/api/v1/classes/{new_class['id']}/place/",
                               {"enrollments": [e.pk for e in waiting], "on": "2025-09-20"},
                               format="json")
    assert response.status_code == 200 and len(response.json()) == 2
    # The generation fills in what is missing: the new class's sections only.
    response = api_client.post("/api/v1/sections/generate/",
                               {"semester": semester(2025, 1).pk}, format="json")
    assert response.status_code == 201
    body = response.json()
    assert body["classes"] == 3 and body["sections"] == 4 and body["learners"] == 8
    mover = world["a"].memberships.first().enrollment
    response = api_client.post(f"/api/v1/classes/{new_class['id']}/move/",
                               {"enrollment": mover.pk, "on": "2025-10-01"}, format="json")
    assert response.status_code == 200
    assert mover.pk in [m["enrollment"] for m in response.json()]
    section = Section.objects.get(code="MĐ07-CD25CNTT3")
    response = api_client.post("/api/v1/teaching-assignments/",
                               {"section": section.pk, "staff": world["me"].pk},
                               format="json")
    assert response.status_code == 201
    learners = api_client.get(f"/api/v1/sections/{section.pk}/learners/").json()
    assert len(learners) == 3 and {r["class_code"] for r in learners} == {"CD25CNTT3"}


def test_a_teacher_reads_only_their_own_sections(api_client, teacher, world):
    api_client.force_authenticate(teacher)
    listing = api_client.get("/api/v1/sections/").json()
    assert [s["code"] for s in listing["results"]] == [world["mine"].code]
    assert api_client.get(f"/api/v1/sections/{world['theirs'].pk}/").status_code == 404
    assert api_client.get(f"/api/v1/sections/{world['theirs'].pk}/learners/").status_code \
        == 404
    assert len(api_client.get(f"/api/v1/sections/{world['mine'].pk}/learners/").json()) == 3
    assignments = api_client.get("/api/v1/teaching-assignments/").json()["results"]
    assert [a["section"] for a in assignments] == [world["mine"].pk]
    classes = api_client.get("/api/v1/classes/").json()["results"]
    assert [c["code"] for c in classes] == ["CD25CNTT1"]
    assert api_client.get(f"/api/v1/classes/{world['b'].pk}/members/").status_code == 404
    # Programs are readable; nothing is writable.
    assert api_client.get("/api/v1/programs/").status_code == 200
    assert api_client.post("/api/v1/sections/generate/", {"semester": 1},
                           format="json").status_code == 403
    assert api_client.post("/api/v1/teaching-assignments/", {
        "section": world["theirs"].pk, "staff": world["me"].pk}, format="json"
    ).status_code == 403


def test_learners_and_strangers_are_refused(api_client, learner, hr_officer, world):
    for user in (learner, hr_officer):
        api_client.force_authenticate(user)
        for url in ("/api/v1/programs/", "/api/v1/sections/", "/api/v1/classes/",
                    "/api/v1/modules/", "/api/v1/teaching-assignments/"):
            assert api_client.get(url).status_code == 403, url
    api_client.force_authenticate(None)
    anonymous = api_client.get("/api/v1/sections/")
    assert anonymous.status_code == 401
    assert anonymous["WWW-Authenticate"].startswith("Token")


def test_qa_reads_everything_and_writes_nothing(api_client, qa_officer, world):
    api_client.force_authenticate(qa_officer)
    assert api_client.get("/api/v1/sections/").json()["count"] == Section.objects.count()
    assert api_client.post("/api/v1/classes/", {"code": "X1"}, format="json").status_code \
        == 403
    assert api_client.delete(f"/api/v1/teaching-assignments/"
                             f"{TeachingAssignment.objects.first().pk}/").status_code == 403


def test_sections_list_is_fast(api_client, registrar, world, django_assert_max_num_queries):
    for n in range(3, 8):
        homeroom_class(world["program"], code=f"CD25CNTT{n}", members=2)
    services.semester_sections_generate(semester=semester(2025, 1))
    api_client.force_authenticate(registrar)
    with django_assert_max_num_queries(8):
        body = api_client.get("/api/v1/sections/", {"page_size": 100}).json()
    assert body["count"] == Section.objects.count()
    with django_assert_max_num_queries(8):
        assert api_client.get("/api/v1/classes/").json()["count"] == \
            HomeroomClass.objects.count()
    with django_assert_max_num_queries(8):
        assert api_client.get("/api/v1/modules/").json()["count"] == Module.objects.count()


@pytest.mark.time_machine(datetime(2026, 3, 2, 10, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")))
def test_current_semester(api_client, teacher, world):
    api_client.force_authenticate(teacher)
    response = api_client.get("/api/v1/semesters/current/")
    assert response.status_code == 200
    assert response.json()["id"] == semester(2025, 2).pk  # 2 March 2026 is in semester 2


def test_a_malformed_id_is_a_404_not_a_500(api_client, registrar, world):
    # An id from the URL was int()-ed in the view: /programs/AAA/ was a 500.
    api_client.force_authenticate(registrar)
    for url in ("/api/v1/programs/AAA/", "/api/v1/modules/AAA/", "/api/v1/classes/AAA/",
                "/api/v1/sections/AAA/"):
        response = api_client.get(url)
        assert response.status_code == 404, (url, response.content)
        assert response.json()["code"] == "not_found"
    assert api_client.post("/api/v1/programs/AAA/retire/").status_code == 404
    program_id = world["program"].pk
    assert api_client.get(f"/api/v1/programs/{program_id}/").status_code == 200


def test_a_section_records_its_delivery_form(api_client, registrar, world):
    api_client.force_authenticate(registrar)
    section = world["mine"]
    assert section.delivery_form == "in_person"  # the default
    response = api_client.patch(f"/api/v1/sections/{section.pk}/",
                                {"delivery_form": "blended"}, format="json")
    assert response.status_code == 200 and response.json()["delivery_form"] == "blended"
    section.refresh_from_db()
    assert section.delivery_form == "blended"
    refused = api_client.patch(f"/api/v1/sections/{section.pk}/",
                               {"delivery_form": "radio"}, format="json")
    assert refused.status_code == 400 and "delivery_form" in str(refused.json())
    section.refresh_from_db()
    assert section.delivery_form == "blended"
    # the database refuses an unknown form whatever the path
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Section.objects.filter(pk=section.pk).update(delivery_form="radio")
