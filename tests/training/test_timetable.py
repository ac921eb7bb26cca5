"""Timetable clashes (issue #14): a room, a teacher or a learner is never booked twice in
the same period of the same week; the refusal names the other section. Every write path
checks: meetings, teaching assignments, individual additions, class placement, the admin."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation

from tests.training.factories import enrolments, homeroom_class, program, school_year, semester
from tests.training.factories import staff_member as make_staff
from tests.training.test_admin import management
from tests.training.test_programs import codes
from training import services
from training.models import SectionLearnerSource, SectionMeeting, TeachingAssignment

pytestmark = pytest.mark.django_db

MON, TUE = 2, 3


@pytest.fixture
def world():
    """Two classes of one learner each, their semester-1 sections, one teacher."""
    school_year(2025)
    school_year(2026)
    version = program()
    a = homeroom_class(version, code="CD25CNTT1", members=1)
    b = homeroom_class(version, code="CD25CNTT2", members=1)
    first = semester(2025, 1)
    services.semester_sections_generate(semester=first)
    return {
        "version": version, "a": a, "b": b, "semester": first,
        "a_law": a.sections.get(module__code="MH02"), "a_politics": a.sections.get(
            module__code="MH01"),
        "b_law": b.sections.get(module__code="MH02"), "teacher": make_staff(
            name="Phạm Thị Mai"),
    }


def slot(day=MON, periods=(1, 5), weeks=(1, 15), room="A201"):
    return {"weekday": day, "first_period": periods[0], "last_period": periods[1],
            "first_week": weeks[0], "last_week": weeks[1], "room": room}


# (who is shared, second meeting, refused code or None). The first meeting is always
# a_politics: Monday, periods 1–5, weeks 1–15, room A201.
CASES = [
    ("room", slot(periods=(3, 4)), "room_clash"),
    ("room", slot(weeks=(15, 18)), "room_clash"),
    ("room", slot(periods=(6, 10)), None),
    ("room", slot(weeks=(16, 18)), None),
    ("room", slot(day=TUE), None),
    ("teacher", slot(room="A202"), "teacher_clash"),
    ("teacher", slot(room="A202", periods=(5, 6)), "teacher_clash"),
    ("teacher", slot(room="A202", periods=(6, 10)), None),
    ("teacher", slot(room="A202", weeks=(16, 18)), None),
    ("learner", slot(room="A202"), "learner_clash"),
    ("learner", slot(room="", weeks=(10, 12)), "learner_clash"),
    ("learner", slot(room="A202", day=TUE), None),
    ("learner", slot(room="A202", weeks=(16, 18)), None),
]


@pytest.mark.parametrize(("shared", "second", "refused"), CASES)
def test_a_double_booking_is_refused_naming_the_other_section(world, shared, second, refused):
    first = world["a_politics"]
    services.meeting_add(section=first, **slot())
    # A section shares the room with any section, the teacher when both teach it, the
    # learner when both lists hold them (a_law: the same class).
    other = {"room": world["b_law"], "teacher": world["b_law"],
             "learner": world["a_law"]}[shared]
    if shared == "teacher":
        services.teaching_assign(section=first, staff=world["teacher"])
        services.teaching_assign(section=other, staff=world["teacher"])
    if refused is None:
        meeting = services.meeting_add(section=other, **second)
        assert meeting.pk
        assert services.find_clashes() == []
        return
    with pytest.raises(ValidationError) as caught:
        services.meeting_add(section=other, **second)
    assert codes(caught.value) == {refused}
    text = " ".join(caught.value.messages)
    assert first.code in text and "MH01 Giáo dục chính trị" in text
    assert not SectionMeeting.objects.filter(section=other).exists()


def test_the_message_is_vietnamese(world):
    services.meeting_add(section=world["a_politics"], **slot())
    with translation.override("vi"):
        with pytest.raises(ValidationError) as caught:
            services.meeting_add(section=world["b_law"], **slot(periods=(2, 2)))
        messages = caught.value.messages
    assert messages == [
        "Trùng lịch: phòng A201 đã được xếp cho lớp học phần MH01-CD25CNTT1 "
        "(MH01 Giáo dục chính trị) vào Thứ Hai, tiết 2, tuần 1–15."]


def test_the_database_refuses_a_room_booked_twice(world):
    services.meeting_add(section=world["a_politics"], **slot())
    with pytest.raises(IntegrityError), transaction.atomic():
        SectionMeeting.objects.create(section=world["b_law"], semester=world["semester"],
                                      **slot(periods=(5, 8)))


def test_assigning_a_busy_teacher_is_refused(world):
    services.meeting_add(section=world["a_politics"], **slot())
    services.meeting_add(section=world["b_law"], **slot(room="B201"))
    services.teaching_assign(section=world["a_politics"], staff=world["teacher"])
    with pytest.raises(ValidationError) as caught:
        services.teaching_assign(section=world["b_law"], staff=world["teacher"])
    assert codes(caught.value) == {"teacher_clash"}
    assert "MH01-CD25CNTT1" in caught.value.messages[0]
    assert not TeachingAssignment.objects.filter(section=world["b_law"]).exists()


def test_a_restudy_learner_busy_with_their_class_is_refused(world):
    """The demo's old defect: a re-study group at the time of the learner's own class."""
    law_2026 = world["version"].modules.get(code="MH02")
    mine = world["a"].memberships.get().enrollment
    school_year(2026)
    group = services.section_create(module=law_2026, semester=semester(2026, 1),
                                    code="MH02-HL")
    services.semester_sections_generate(semester=semester(2026, 1))
    own = world["a"].sections.filter(semester=semester(2026, 1)).first()
    services.meeting_add(section=own, **slot(room="A205"))
    services.meeting_add(section=group, **slot(room="A210"))
    with pytest.raises(ValidationError) as caught:
        services.section_learner_add(section=group, enrollment=mine,
                                     source=SectionLearnerSource.RESTUDY, reason="Học lại")
    assert codes(caught.value) == {"learner_clash"}
    assert own.code in caught.value.messages[0]
    assert not group.learners.exists()


def test_placing_a_learner_in_a_class_checks_their_other_sections(world):
    law = world["version"].modules.get(code="MH02")
    group = services.section_create(module=law, semester=world["semester"], code="MH02-HL")
    newcomer = enrolments(1, occ=world["version"].occupation)[0]
    version = world["version"]
    c = homeroom_class(version, code="CD25CNTT9")
    services.semester_sections_generate(semester=world["semester"])
    services.meeting_add(section=c.sections.get(module__code="MH01"), **slot())
    services.meeting_add(section=group, **slot(room="A202"))
    # An elective-style addition first (needs a program: placed in class b, then moved).
    services.class_enroll(homeroom_class=world["b"], enrollments=[newcomer],
                          on=date(2025, 9, 5))
    services.section_learner_remove(entry=newcomer.section_entries.get(section=world["b_law"]),
                                    reason="Học nhóm khác")
    services.section_learner_add(section=group, enrollment=newcomer,
                                 source=SectionLearnerSource.OTHER, reason="Nhóm riêng")
    with pytest.raises(ValidationError) as caught:
        services.learner_move(enrollment=newcomer, to_class=c, on=date(2025, 9, 20))
    assert codes(caught.value) == {"learner_clash"}


def test_the_admin_shows_the_clash_on_the_timetable_row(client, registrar, world):
    services.meeting_add(section=world["a_politics"], **slot())
    section = world["b_law"]
    change = reverse("admin:training_section_change", args=[section.pk])
    client.force_login(registrar)
    page = client.get(change)
    data = {**management(page), "code": section.code, "capacity": "", "schedule": "",
            "note": ""}
    data.update({f"meetings-0-{k}": v for k, v in slot(room="a201 ").items()})
    response = client.post(change, data)
    assert response.status_code == 200
    assert "MH01-CD25CNTT1" in response.content.decode()
    assert not section.meetings.exists()
    data["meetings-0-weekday"] = TUE
    response = client.post(change, data)
    assert response.status_code == 302
    assert section.meetings.get().room == "A201"


def test_the_command_lists_old_clashes(world, capsys):
    services.meeting_add(section=world["a_politics"], **slot())
    services.meeting_add(section=world["b_law"], **slot(room="A202"))
    call_command("timetable_clashes")
    # An assignment written before the check existed (straight into the table).
    TeachingAssignment.objects.create(section=world["a_politics"], staff=world["teacher"])
    TeachingAssignment.objects.create(section=world["b_law"], staff=world["teacher"])
    with pytest.raises(CommandError):
        call_command("timetable_clashes")
    out = capsys.readouterr().out
    assert "teacher\tPhạm Thị Mai\tMH01-CD25CNTT1" in out and "MH02-CD25CNTT2" in out


def test_the_section_pages_show_the_timetable(client, teacher, world):
    section = world["a_politics"]
    staff = make_staff(teacher, name="Nguyễn Văn Hùng")
    services.teaching_assign(section=section, staff=staff)
    services.meeting_add(section=section, **slot(room=" a201"))
    client.force_login(teacher)
    home = client.get(reverse("training:teacher-home") + f"?semester={section.semester_id}")
    page = client.get(reverse("training:teacher-section", args=[section.pk]))
    for response in (home, page):
        assert "Monday, periods 1–5, weeks 1–15, room A201" in response.content.decode()


def test_the_api_reads_the_timetable(client, registrar, world):
    section = world["a_politics"]
    services.meeting_add(section=section, **slot())
    client.force_login(registrar)
    data = client.get(f"/api/v1/sections/{section.pk}/").json()
    assert data["meetings"] == [slot()]
