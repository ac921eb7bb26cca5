"""Internships at enterprises (issue #16): placements refused outside their rules, the
mentor's one-time link, and the mentor's scores reaching the gradebook through its own
services (Decimal, lock once submitted, history)."""

from __future__ import annotations

import io
from datetime import date, timedelta
from decimal import Decimal

import pghistory.models
import pgtrigger
import pytest
from django.core import mail
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from enterprises.models import Agreement, Contact
from grading.models import MentorLink, Placement, Score
from grading.services import gradebook as gb
from grading.services import internships as service
from tests.enterprises.helpers import enterprise, posting
from tests.factories import UserFactory
from tests.grading.factories import MODULES, section, semester, staff_for, world
from training.models import Module
from vetschool.accounts import roles

pytestmark = pytest.mark.django_db

INTERNSHIP = ("MĐ20", "Thực tập doanh nghiệp", 6, 0, 270, True, (1, 1))
SEMESTER_START, SEMESTER_END = date(2025, 9, 1), date(2026, 1, 18)


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


@pytest.fixture
def setting():
    teacher = UserFactory(roles=[roles.TEACHER])
    learner_user = UserFactory(roles=[roles.LEARNER])
    w = world(3, modules=[*MODULES, INTERNSHIP], users=[learner_user])
    with pgtrigger.ignore("training.Module:module_program_not_in_use"):
        Module.objects.filter(program=w.program, code="MĐ20").update(kind="internship")
    internship = section(w, "MĐ20", teacher=teacher)
    ordinary = section(w, "MH08", teacher=teacher)
    partner = enterprise()
    Agreement.objects.create(enterprise=partner, number="01/2025/TTHT",
                             signed_on=date(2025, 1, 2), starts_on=date(2025, 1, 2),
                             ends_on=date(2027, 12, 31), internships=True)
    mentor = Contact.objects.create(enterprise=partner, full_name="Trần Thị Mai",
                                    email="mai@doanhnghiep.example.vn", is_mentor=True)
    return {"w": w, "teacher": teacher, "learner_user": learner_user, "section": internship,
            "ordinary": ordinary, "partner": partner, "mentor": mentor,
            "supervisor": staff_for(teacher)}


def placement(s, *, index=0, sec=None, **changes) -> Placement:
    sec = sec or s["section"]
    entry = sec.learners.order_by("pk")[index]
    values = {"section_learner": entry, "enterprise": s["partner"], "mentor": s["mentor"],
              "supervisor": s["supervisor"], "starts_on": date(2025, 10, 1),
              "ends_on": date(2025, 12, 31)} | changes
    return service.placement_save(placement=Placement(**values))


def test_a_learner_is_placed_and_the_agreement_is_found(setting):
    placed = placement(setting)
    assert placed.agreement.number == "01/2025/TTHT"
    assert placed.section_learner.section == setting["section"]


def _other_mentor(s):
    other = enterprise("0201234567", "Công ty Khác")
    return Contact.objects.create(enterprise=other, full_name="Người Khác", is_mentor=True)


@pytest.mark.parametrize(("case", "field"), [
    ("not an internship module", "section_learner"),
    ("before the semester", "starts_on"),
    ("after the semester", "starts_on"),
    ("ends before it starts", "ends_on"),
    ("enterprise without an agreement", "enterprise"),
    ("agreement not covering internships", "enterprise"),
    ("agreement ended before the placement ends", "enterprise"),
    ("mentor of another enterprise", "mentor"),
])
def test_a_placement_outside_its_rules_is_refused_and_stores_nothing(setting, case, field):
    s = setting
    changes = {}
    if case == "not an internship module":
        changes["sec"] = s["ordinary"]
    elif case == "before the semester":
        changes["starts_on"] = SEMESTER_START - timedelta(days=1)
    elif case == "after the semester":
        changes["ends_on"] = SEMESTER_END + timedelta(days=1)
    elif case == "ends before it starts":
        changes |= {"starts_on": date(2025, 11, 2), "ends_on": date(2025, 11, 1)}
    elif case == "enterprise without an agreement":
        changes["enterprise"] = enterprise("0301234567", "Công ty Chưa Ký")
        changes["mentor"] = Contact.objects.create(enterprise=changes["enterprise"],
                                                   full_name="Ai Đó")
    elif case == "agreement not covering internships":
        Agreement.objects.update(internships=False, recruitment=True)
    elif case == "agreement ended before the placement ends":
        Agreement.objects.update(ends_on=date(2025, 11, 30))
    elif case == "mentor of another enterprise":
        changes["mentor"] = _other_mentor(s)
    with pytest.raises(ValidationError) as refused:
        placement(s, **changes)
    assert field in refused.value.message_dict, refused.value.message_dict
    assert not Placement.objects.exists()


# --- the mentor's link --------------------------------------------------------------------

def test_the_mentor_scores_the_checks_and_the_gradebook_holds_them(setting):
    placed = placement(setting)
    issued = service.mentor_link_send(placement=placed, by=setting["teacher"])
    assert mail.outbox[0].to == ["mai@doanhnghiep.example.vn"]
    assert issued.url in mail.outbox[0].body
    assert issued.token not in issued.link.digest  # only the digest is stored
    columns = [c.code for c in service.mentor_columns(placed)]
    assert columns == ["TX1", "DK1"]
    evaluation = service.mentor_evaluation_submit(
        token=issued.token, scores={"TX1": "8,5", "DK1": "7"}, comment="Chăm chỉ")
    scores = {(s.kind, s.number): s for s in Score.objects.filter(
        section_learner=placed.section_learner)}
    assert scores[("continuous", 1)].score == Decimal("8.5")
    assert scores[("periodic", 1)].score == Decimal("7.0")
    assert scores[("continuous", 1)].updated_by is None
    assert evaluation.scores == {"TX1": "8,5", "DK1": "7"}
    issued.link.refresh_from_db()
    assert issued.link.used_at is not None
    context = pghistory.models.Context.objects.filter(
        metadata__service="grading.mentor_evaluation").get()
    assert context.metadata["placement"] == placed.pk


def test_a_used_link_changes_nothing(setting):
    placed = placement(setting)
    issued = service.mentor_link_issue(placement=placed)
    service.mentor_evaluation_submit(token=issued.token, scores={"TX1": "8", "DK1": "7"})
    with pytest.raises(service.LinkUnusable, match="already been used"):
        service.mentor_evaluation_submit(token=issued.token, scores={"TX1": "2", "DK1": "2"})
    assert Score.objects.get(kind="continuous", number=1,
                             section_learner=placed.section_learner).score == Decimal("8.0")


def test_expired_revoked_and_guessed_links_are_refused(setting):
    placed = placement(setting)
    first = service.mentor_link_issue(placement=placed)
    second = service.mentor_link_issue(placement=placed)  # revokes the first
    with pytest.raises(service.LinkUnusable, match="withdrawn"):
        service.mentor_link_open(first.token)
    MentorLink.objects.filter(pk=second.link.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(service.LinkUnusable, match="expired"):
        service.mentor_link_open(second.token)
    with pytest.raises(service.LinkUnusable, match="not valid"):
        service.mentor_link_open("guessed-" + second.token[8:])
    assert not Score.objects.exists()


def test_the_mentor_cannot_score_the_exam_or_after_submission(setting):
    placed = placement(setting)
    issued = service.mentor_link_issue(placement=placed)
    with pytest.raises(ValidationError):
        service.mentor_evaluation_submit(token=issued.token, scores={"THI1": "9"})
    issued.link.refresh_from_db()
    assert issued.link.used_at is None  # a refused evaluation leaves the link usable
    book = setting["section"].gradebook
    book.status = "submitted"
    book.save(update_fields=["status"])
    with pytest.raises(ValidationError):
        service.mentor_evaluation_submit(token=issued.token, scores={"TX1": "9", "DK1": "9"})
    assert not Score.objects.exists()


def test_the_teacher_sees_and_may_correct_the_mentors_scores_before_submitting(setting):
    placed = placement(setting)
    issued = service.mentor_link_issue(placement=placed)
    service.mentor_evaluation_submit(token=issued.token, scores={"TX1": "8", "DK1": "7"})
    book = setting["section"].gradebook
    book.refresh_from_db()
    result = gb.gradebook_cells_save(
        gradebook=book, by=setting["teacher"], base_version=book.version,
        cells=[gb.CellInput(placed.section_learner_id, "TX1", "8,5")])
    assert result.saved[0].value == "8.5" or result.saved[0].value == "8,5"
    assert Score.objects.get(kind="continuous", number=1,
                             section_learner=placed.section_learner).score == Decimal("8.5")


# --- pages ---------------------------------------------------------------------------------

def test_the_mentor_page_takes_the_evaluation_once(setting, client):
    placed = placement(setting)
    issued = service.mentor_link_issue(placement=placed)
    url = f"/mentor/{issued.token}/"
    page = client.get(url)
    assert page.status_code == 200
    assert placed.section_learner.enrollment.learner.full_name in page.content.decode()
    bad = client.post(url, {"TX1": "11", "DK1": "7"})
    assert bad.status_code == 400 and not Score.objects.exists()
    done = client.post(url, {"TX1": "9,5", "DK1": "8", "comment": "Tốt"})
    assert done.status_code == 200 and placed.evaluation.comment == "Tốt"
    again = client.post(url, {"TX1": "1", "DK1": "1"})
    assert again.status_code == 410
    assert Score.objects.get(kind="continuous", number=1).score == Decimal("9.5")


def test_guessing_links_is_rate_limited(setting, client, settings):
    settings.GRADING_MENTOR_LINK_RATE = 3
    for number in range(3):
        assert client.get(f"/mentor/guess{number}/").status_code == 410
    assert client.get("/mentor/guess4/").status_code == 429


def test_the_learner_sees_their_placement_and_postings_of_their_occupation(setting):
    placement(setting)
    placement(setting, index=1)
    posting(setting["partner"], title="Tuyển lập trình viên")
    client = Client()
    client.force_login(setting["learner_user"])
    page = client.get("/student/internship/").content.decode()
    assert setting["partner"].name in page and "Trần Thị Mai" in page
    assert "Tuyển lập trình viên" in page
    others = setting["section"].learners.order_by("pk")[1].enrollment.learner
    assert others.full_name not in page


def test_the_supervisor_sees_their_interns(setting, django_assert_max_num_queries):
    placement(setting)
    placement(setting, index=1)
    client = Client()
    client.force_login(setting["teacher"])
    with django_assert_max_num_queries(8):
        page = client.get("/teacher/interns/")
    assert page.content.decode().count(setting["partner"].name) == 2
    stranger = Client()
    stranger.force_login(UserFactory(roles=[roles.TEACHER]))
    assert setting["partner"].name not in stranger.get("/teacher/interns/").content.decode()


def _registrar_client():
    client = Client()
    client.force_login(UserFactory(roles=[roles.REGISTRAR], is_staff=True))
    return client


def _rows(s, values):
    entries = list(s["section"].learners.order_by("enrollment__learner__code"))
    data = {"form-TOTAL_FORMS": str(len(entries)), "form-INITIAL_FORMS": str(len(entries))}
    for index, entry in enumerate(entries):
        row = values[index] if index < len(values) else {}
        data[f"form-{index}-entry"] = entry.pk
        for name in ("enterprise", "mentor", "supervisor", "starts_on", "ends_on"):
            data[f"form-{index}-{name}"] = row.get(name, "")
    return data


def test_the_registrar_places_a_section_on_one_page(setting, django_assert_max_num_queries):
    s = setting
    client = _registrar_client()
    url = f"/admin/grading/placement/place/{s['section'].pk}/"
    with django_assert_max_num_queries(15):  # the selects are read once, not per row
        assert client.get(url).status_code == 200
    good = {"enterprise": s["partner"].pk, "mentor": s["mentor"].pk,
            "supervisor": s["supervisor"].pk, "starts_on": "2025-10-01", "ends_on": "2025-12-31"}
    bad = good | {"ends_on": "2026-03-01"}  # after the semester
    refused = client.post(url, _rows(s, [good, bad]))
    assert refused.status_code == 200 and not Placement.objects.exists()
    saved = client.post(url, _rows(s, [good, good]))
    assert saved.status_code == 302
    assert Placement.objects.count() == 2
    export = client.post("/admin/grading/placement/", {
        "action": "export_xlsx", "_selected_action": list(
            Placement.objects.values_list("pk", flat=True))})
    book = load_workbook(io.BytesIO(export.content))
    rows = list(book.active.iter_rows(values_only=True))
    assert len(rows) == 3 and rows[1][0] == s["partner"].name


def test_only_internship_sections_have_a_placement_page(setting):
    client = _registrar_client()
    response = client.get(f"/admin/grading/placement/place/{setting['ordinary'].pk}/")
    assert response.status_code == 302
    assert semester() is not None


def test_the_api_places_through_the_same_rules(setting):
    s = setting
    client = _registrar_client()
    entry = s["section"].learners.order_by("pk")[0]
    body = {"section_learner": entry.pk, "enterprise": s["partner"].pk, "mentor": s["mentor"].pk,
            "supervisor": s["supervisor"].pk, "starts_on": "2025-10-01", "ends_on": "2026-03-01"}
    refused = client.post("/api/v1/internship-placements/", body,
                          content_type="application/json")
    assert refused.status_code == 400 and "starts_on" in refused.json()["errors"]
    created = client.post("/api/v1/internship-placements/", body | {"ends_on": "2025-12-31"},
                          content_type="application/json")
    assert created.status_code == 201, created.json()
    assert created.json()["agreement"] == s["partner"].agreements.get().pk


def test_the_placements_at_an_enterprise_become_frozen_accreditation_evidence(
        setting, settings, tmp_path):
    from quality import services_accreditation as accreditation
    from quality.models import Standard

    settings.MEDIA_ROOT = tmp_path
    placement(setting)
    standard = Standard.objects.filter(criterion__framework__code="TT14/2024").first()
    item = accreditation.evidence_from_placements(enterprise=setting["partner"],
                                                  standard=standard)
    placement(setting, index=1)  # a later placement does not change the filed list
    with item.file.open("rb") as handle:
        rows = list(load_workbook(io.BytesIO(handle.read())).active.iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][0] == setting["partner"].name
    assert item.code.startswith(f"{standard.criterion.number}.")
