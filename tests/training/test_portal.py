"""The teacher's sections and lists, the learner's page, the program PDF: who sees what."""

import unicodedata
from datetime import date, datetime
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.enrollment.factories import LearnerFactory, enrol
from tests.training.factories import homeroom_class, program, school_year, semester, staff_member
from training import services
from training.models import SectionLearnerSource

pytestmark = pytest.mark.django_db
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def world(teacher, other_teacher):
    """Two classes this semester; `teacher` teaches two sections, `other_teacher` one."""
    school_year(2026)
    school_year(2025)
    version = program()
    a = homeroom_class(version, year=2026, code="CD26CNTT1", members=3)
    b = homeroom_class(version, year=2026, code="CD26CNTT2", members=2)
    first = semester(2026, 1)
    services.semester_sections_generate(semester=first)
    mine = staff_member(teacher, name="Nguyễn Văn Hùng")
    theirs = staff_member(other_teacher, name="Hoàng Thị Lan")
    s1 = a.sections.get(module__code="MĐ07")
    s2 = b.sections.get(module__code="MĐ07")
    s3 = a.sections.get(module__code="MH01")
    services.teaching_assign(section=s1, staff=mine)
    services.teaching_assign(section=s2, staff=mine)
    services.teaching_assign(section=s3, staff=theirs)
    services.section_update(section=s1, schedule="Thứ 3, tiết 1–5, phòng máy B201")
    return {"mine": [s1, s2], "theirs": s3, "semester": first, "a": a, "b": b}


def test_the_teacher_sees_their_sections_this_semester_with_counts(client, teacher, world,
                                                                   django_assert_max_num_queries):
    client.force_login(teacher)
    # +1: the staff session's second-factor device (django-otp, issue #19)
    with django_assert_max_num_queries(13):
        response = client.get(f"/teacher/?semester={world['semester'].pk}")
    assert response.status_code == 200
    sections = response.context["sections"]
    assert [s.code for s in sections] == ["MĐ07-CD26CNTT1", "MĐ07-CD26CNTT2"]
    assert [s.learner_count for s in sections] == [3, 2]
    assert response.context["learner_total"] == 5
    assert "phòng máy B201" in response.content.decode()
    assert world["theirs"].code not in response.content.decode()


def test_the_teacher_list_stays_within_a_fixed_number_of_queries(client, teacher, world,
                                                                 django_assert_max_num_queries):
    for klass in ("CD26CNTT3", "CD26CNTT4", "CD26CNTT5"):
        extra = homeroom_class(world["a"].program, year=2026, code=klass, members=2)
        section = services.section_create(module=world["a"].program.modules.get(code="MH02"),
                                          semester=world["semester"], classes=[extra],
                                          code=f"MH02-{klass}-X")
        services.teaching_assign(section=section, staff=world["mine"][0].assignments.get()
                                 .staff)
    client.force_login(teacher)
    # +1: the staff session's second-factor device (django-otp, issue #19)
    with django_assert_max_num_queries(13):
        response = client.get(f"/teacher/?semester={world['semester'].pk}")
    assert len(response.context["sections"]) == 5


def test_the_section_page_lists_name_code_and_class(client, teacher, world,
                                                    django_assert_max_num_queries):
    section = world["mine"][0]
    # A re-study learner of an older class shows that learner's own class.
    older = homeroom_class(world["a"].program, year=2025, code="CD25CNTT9", members=1)
    retaker = older.memberships.get().enrollment
    services.section_learner_add(section=section, enrollment=retaker,
                                 source=SectionLearnerSource.RESTUDY, reason="Học lại: điểm F")
    client.force_login(teacher)
    with django_assert_max_num_queries(12):
        response = client.get(f"/teacher/sections/{section.pk}/")
    assert response.status_code == 200
    rows = response.context["rows"]
    assert len(rows) == 4
    assert sorted(row.class_code for row in rows) == ["CD25CNTT9"] + ["CD26CNTT1"] * 3
    assert "Học lại: điểm F" in response.content.decode()
    learner = rows[0].enrollment.learner
    assert learner.code in response.content.decode()
    # The section page leads to its own gradebook and attendance (issue #14).
    page = response.content.decode()
    assert f'href="/teacher/sections/{section.pk}/gradebook/"' in page
    assert f'href="/teacher/sections/{section.pk}/attendance/"' in page


def test_a_teacher_cannot_open_another_teachers_section(client, teacher, world):
    client.force_login(teacher)
    theirs = world["theirs"]
    assert client.get(f"/teacher/sections/{theirs.pk}/").status_code == 404
    assert client.get(f"/teacher/sections/{theirs.pk}/learners.xlsx").status_code == 404
    assert client.get("/teacher/sections/999999/").status_code == 404


def test_only_teachers_open_the_teacher_portal(client, learner, registrar, world):
    assert client.get("/teacher/").status_code == 302  # to the login page
    client.force_login(learner)
    assert client.get("/teacher/").status_code == 403
    client.force_login(registrar)
    assert client.get(f"/teacher/sections/{world['mine'][0].pk}/").status_code == 403


def test_the_list_exports_to_xlsx(client, teacher, world):
    section = world["mine"][0]
    client.force_login(teacher)
    response = client.get(f"/teacher/sections/{section.pk}/learners.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(response.content)).active
    values = list(sheet.iter_rows(values_only=True))
    first = values.index(next(r for r in values if r and r[0] == 1))
    learners = values[first:]
    assert len(learners) == 3
    assert {r[4] for r in learners} == {"CD26CNTT1"}
    codes = {m.enrollment.learner.code for m in world["a"].memberships.all()}
    assert {r[1] for r in learners} == codes


def test_a_teacher_without_staff_record_is_told(client, teacher):
    client.force_login(teacher)
    response = client.get("/teacher/")
    assert response.status_code == 200
    assert response.context["staff"] is None


@pytest.mark.time_machine(datetime(2026, 10, 1, 10, tzinfo=VIETNAM))
def test_the_current_semester_is_the_default(client, teacher, world):
    # On 1 October 2026 the page picks semester 1 of 2026–27 and lists its sections.
    client.force_login(teacher)
    response = client.get("/teacher/")
    assert response.context["semester"] == world["semester"]
    assert [s.code for s in response.context["sections"]] == ["MĐ07-CD26CNTT1",
                                                              "MĐ07-CD26CNTT2"]


def test_semester_current_between_and_after_semesters():
    from training.selectors import semester_current

    school_year(2025)
    assert semester_current(today=date(2025, 10, 1)) == semester(2025, 1)
    assert semester_current(today=date(2026, 7, 1)) == semester(2025, 3)  # before summer
    assert semester_current(today=date(2025, 8, 1)) == semester(2025, 1)  # next to start
    assert semester_current(today=date(2030, 1, 1)) == semester(2025, 3)  # the last one


@pytest.mark.time_machine(datetime(2026, 10, 1, 10, tzinfo=VIETNAM))
def test_the_learner_sees_class_and_sections(client, learner, world):
    person = LearnerFactory(user=learner, full_name="Trần Thị Ánh Dương")
    enrollment = enrol(person, world["a"].program.occupation, year=2026)
    services.class_enroll(homeroom_class=world["a"], enrollments=[enrollment],
                          on=date(2026, 9, 5))
    client.force_login(learner)
    response = client.get("/student/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "CD26CNTT1" in page
    assert response.context["semester"] == world["semester"]
    entries = response.context["entries"]
    assert {e.section.module.code for e in entries} >= {"MĐ07", "MH01"}


def _pdf_text(content: bytes) -> str:
    text = "\n".join(page.extract_text() for page in PdfReader(BytesIO(content)).pages)
    return unicodedata.normalize("NFC", text)


def test_the_program_prints_as_pdf_in_vietnamese(client, registrar):
    version = program()
    client.force_login(registrar)
    response = client.get(f"/training/programs/{version.pk}/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = _pdf_text(response.content)
    assert "CHƯƠNG TRÌNH ĐÀO TẠO" in text
    assert "Giáo dục quốc phòng và an ninh" in text
    assert "Lập trình hướng đối tượng" in text
    assert "6480201" in text
    assert "năng lực số" in text


def test_program_pdf_permissions(client, learner, teacher):
    version = program(activate=False)
    client.force_login(learner)
    assert client.get(f"/training/programs/{version.pk}/pdf/").status_code == 403
    client.force_login(teacher)
    assert client.get(f"/training/programs/{version.pk}/pdf/").status_code == 200
    assert client.get("/training/programs/999999/pdf/").status_code == 404
