"""Each office role's home is its work queue (vetschool.workqueue, issue #14): counts from
real records, each linking a list the role can open; the teacher's home says what is due
in each of their own sections; the admin and the office pages link each other."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from degrees.models import CopyRequest
from enrollment.models import ApplicationStatus
from grading.models import GradebookStatus, TermSummary
from grading.queues import warning_semester
from grading.selectors import teacher_section_dues
from grading.services import amendments as am
from grading.services import gradebook as gb
from grading.services.attendance import attendance_session_create
from staff import services as staff_services
from tests.degrees.factories import finished_class, issued, reviewed
from tests.enrollment.factories import application, occupation, open_round
from tests.grading.factories import cells, grid_rows, section, semester, world
from tests.staff import helpers as staff_helpers
from vetschool.sync.models import Entry

pytestmark = pytest.mark.django_db

# The pages speak Vietnamese first (LANGUAGE_CODE "vi"): the lines are found by their labels.
COPIES = "Yêu cầu cấp bản sao đã nhận (bản sao văn bằng, bản sao bảng điểm)"
WEEKS = "Tuần đã qua chưa điểm danh"
CELLS = "Điểm kiểm tra chưa nhập"


def items_of(response) -> dict[str, tuple]:
    """label → (count or text, url) of every queue line of the page."""
    return {item.label: (item.text or item.count, item.url)
            for _queue, items in response.context["queues"] for item in items}


def fill(sec, teacher, columns: dict[str, list]):
    book = sec.gradebook
    book.refresh_from_db()
    inputs = [cell for code, values in columns.items() for cell in cells(sec, code, values)]
    return gb.gradebook_cells_save(gradebook=book, by=teacher, base_version=book.version,
                                   cells=inputs)


def submitted(sec, teacher):
    fill(sec, teacher, {"TX1": ["8"] * 4, "DK1": ["7"] * 4, "THI1": ["6"] * 4})
    book = sec.gradebook
    book.refresh_from_db()
    return gb.gradebook_submit(gradebook=book, by=teacher, version=book.version)


def warn(enrollment, sem):
    return TermSummary.objects.create(
        enrollment=enrollment, semester=sem, semester_index=2, gpa_4=Decimal("1.50"),
        gpa_10=Decimal("5.00"), cumulative_gpa_4=Decimal("1.50"),
        cumulative_gpa_10=Decimal("5.00"), cumulative_credits_earned=10, standing="warning")


def rejected_entry(n: int):
    return Entry.objects.create(type="learner", rank=1, key={"code": f"X{n}"},
                                key_text=f"X{n}", op="upsert", version=n,
                                state=Entry.State.REJECTED, reject_code="E1")


@pytest.fixture
def office_world(registrar, teacher):
    """Two applications waiting (and one decided), one gradebook submitted, one amendment
    requested, two learners warned in the latest semester, one open graduation review,
    two copy requests received (and one ready), two sync entries refused."""
    occ = occupation()
    round_ = open_round(quotas={occ: 30})
    for n in range(2):
        application(round_, [occ], full_name=f"Nguyễn Văn {n}", phone=f"091234567{n}",
                    email=f"a{n}@example.vn")
    application(round_, [occ], status=ApplicationStatus.REJECTED, full_name="Lê Thị Hoa",
                email="hoa@example.vn")

    w = world(4)
    approved = section(w, "MH08", teacher=teacher)
    submitted(approved, teacher)
    gb.gradebook_approve(gradebook=approved.gradebook, by=registrar)
    row = grid_rows(approved)[0]
    am.amendment_request(gradebook=approved.gradebook, section_learner=row.section_learner,
                         column="THI1", value="9.0", reason="Chấm phúc khảo", by=teacher)
    submitted(section(w, "MH03", teacher=teacher), teacher)
    later = semester(2025, 2)
    for enrollment in w.enrollments[:2]:
        warn(enrollment, later)

    graduates = finished_class(1, names=["Phạm Thu Dung"])
    _decision, (diploma,) = issued(graduates, registrar)
    for n, status in enumerate(("received", "received", "ready")):
        CopyRequest.objects.create(kind="certified_copy", diploma=diploma,
                                   full_name="Phạm Thu Dung", email=f"d{n}@example.vn",
                                   status=status,
                                   ready_at=timezone.now() if status == "ready" else None)
    reviewed(finished_class(1, names=["Võ Minh Đức"]), registrar)
    for n in range(2):
        rejected_entry(n)
    return later


def test_the_registrar_lands_on_the_work_queue_with_counts_from_the_records(
        client, registrar, office_world):
    client.force_login(registrar)
    home = client.get("/")
    assert home.status_code == 302 and home.url == reverse("office-home")
    response = client.get(home.url)
    assert response.status_code == 200
    items = items_of(response)
    assert warning_semester() == office_world
    counts = {label: value for label, (value, _url) in items.items()}
    assert counts["Hồ sơ tuyển sinh chờ xét"] == 2
    assert counts["Sổ điểm đã gửi chờ duyệt"] == 1
    assert counts["Đề nghị sửa điểm chờ quyết định"] == 1
    assert counts[f"Người học bị cảnh báo học tập trong {office_world}"] == 2
    assert counts["Đợt xét tốt nghiệp chưa kết thúc"] == 1
    assert counts[COPIES] == 2
    assert counts["Thay đổi bị cơ sở dữ liệu quốc gia từ chối"] == 2
    # The records above wrote sync changes that are not sent yet: their age is shown.
    assert counts["Thay đổi cũ nhất chưa gửi"] not in ("", "—", None)
    # Every line links a list the registrar can open, filtered to what the count counts.
    for label, (_value, url) in items.items():
        assert client.get(url).status_code == 200, (label, url)
    page = client.get(items["Hồ sơ tuyển sinh chờ xét"][1]).content.decode()
    assert "Nguyễn Văn 0" in page and "Lê Thị Hoa" not in page
    page = client.get(items[COPIES][1])
    assert list(page.context["cl"].result_list) == list(
        CopyRequest.objects.filter(status="received"))
    books = client.get(items["Sổ điểm đã gửi chờ duyệt"][1]).context["books"]
    assert [b.status for b in books] == [GradebookStatus.SUBMITTED]


def test_the_work_queue_page_keeps_a_constant_number_of_queries(
        client, registrar, office_world, django_assert_max_num_queries):
    client.force_login(registrar)
    client.get(reverse("office-home"))
    with django_assert_max_num_queries(25):
        response = client.get(reverse("office-home"))
    assert response.status_code == 200


def test_the_qa_officer_lands_on_a_queue_not_on_the_admin(client, qa_officer, registrar,
                                                          office_world,
                                                          django_assert_max_num_queries):
    client.force_login(qa_officer)
    home = client.get("/")
    assert home.url == reverse("office-home")  # the admin's "view site" ("/") lands here
    with django_assert_max_num_queries(20):
        response = client.get(home.url)
    items = items_of(response)
    assert [queue.key for queue, _items in response.context["queues"]] == ["quality"]
    assert items[f"Người học bị cảnh báo học tập trong {office_world}"][0] == 2
    assert items["Đợt xét tốt nghiệp chưa kết thúc"][0] == 1
    assert "Hồ sơ tuyển sinh chờ xét" not in items
    assert "Thay đổi bị cơ sở dữ liệu quốc gia từ chối" not in items
    for label, (_value, url) in items.items():
        assert client.get(url).status_code == 200, (label, url)
    page = response.content.decode()
    assert reverse("admin:index") in page and reverse("grading:warnings") in page
    assert reverse("grading:office") not in page  # the registrar's approvals


def test_the_hr_officer_sees_competency_and_training_queues(client, hr_officer):
    members = [staff_helpers.staff() for _ in range(3)]
    staff_helpers.staff(teacher=False)
    staff_helpers.staff(status="left")
    course = staff_helpers.course()
    for member in members[:2]:
        staff_services.participant_register(course=course, staff=member)
    staff_helpers.complete(members[2], course)
    client.force_login(hr_officer)
    assert client.get("/").url == reverse("office-home")
    response = client.get(reverse("office-home"))
    items = items_of(response)
    label = "Nhà giáo chưa có đánh giá năng lực số được xác nhận"
    assert items[label][0] == 3
    assert items["Lượt tham gia bồi dưỡng chưa có kết quả"][0] == 2
    assert items["Bản tự đánh giá chờ xác nhận"][0] == 0
    listed = client.get(items[label][1])
    assert listed.status_code == 200
    assert {m.pk for m in listed.context["cl"].result_list} == {m.pk for m in members}
    for label, (_value, url) in items.items():
        assert client.get(url).status_code == 200, (label, url)


@pytest.mark.parametrize("persona", ["teacher", "learner"])
def test_portal_roles_have_no_work_queue(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("office-home")).status_code == 403


def test_the_admin_links_the_office_pages_and_they_link_back(client, registrar, qa_officer):
    client.force_login(registrar)
    admin_page = client.get(reverse("admin:index")).content.decode()
    for name in ("office-home", "grading:office", "grading:amendments", "grading:warnings",
                 "training:program-indicators", "staff:indicators"):
        assert f'href="{reverse(name)}"' in admin_page, name
    for name in ("grading:office", "grading:warnings", "training:program-indicators",
                 "staff:indicators"):
        page = client.get(reverse(name)).content.decode()
        assert f'href="{reverse("admin:index")}"' in page, name
        assert f'href="{reverse("office-home")}"' in page, name
    client.force_login(qa_officer)
    admin_page = client.get(reverse("admin:index")).content.decode()
    assert f'href="{reverse("grading:warnings")}"' in admin_page
    assert f'href="{reverse("grading:office")}"' not in admin_page


# --- The teacher's home --------------------------------------------------------------------


@pytest.fixture
def teaching(teacher, other_teacher):
    w = world(4)
    sem = semester(2025, 1)  # 1 Sep 2025 (a Monday) – 18 Jan 2026 (a Sunday): 20 weeks
    fresh = section(w, "MH08", teacher=teacher)  # 1 + 1 checks × 4 learners
    attendance_session_create(gradebook=fresh.gradebook, by=teacher, day=date(2025, 9, 3),
                              kind="theory", hours=4)
    fill(fresh, teacher, {"TX1": ["8", "7", "6", "5"]})
    returned = section(w, "MH03", teacher=teacher)  # 1 + 1 checks, all entered
    submitted(returned, teacher)
    gb.gradebook_return(gradebook=returned.gradebook, by=_office(), reason="Thiếu điểm ĐK2")
    done = section(w, "MĐ07", teacher=teacher)
    submitted_full(done, teacher)
    theirs = section(w, "MH01", teacher=other_teacher)
    return sem, fresh, returned, done, theirs


def _office():
    from tests.factories import UserFactory
    from vetschool.accounts import roles

    return UserFactory(username="office-returner", roles=[roles.REGISTRAR])


def submitted_full(sec, teacher):
    fill(sec, teacher, {"TX1": ["8"] * 4, "DK1": ["7"] * 4, "DK2": ["7"] * 4,
                        "THI1": ["6"] * 4})
    book = sec.gradebook
    book.refresh_from_db()
    return gb.gradebook_submit(gradebook=book, by=teacher, version=book.version)


def test_the_teacher_home_says_what_is_due_in_each_own_section(client, teacher, teaching):
    sem, fresh, returned, done, theirs = teaching
    client.force_login(teacher)
    response = client.get(reverse("training:teacher-home"), {"semester": sem.pk})
    assert response.status_code == 200
    sections = {s.pk: s for s in response.context["sections"]}
    assert set(sections) == {fresh.pk, returned.pk, done.pk}  # never the other teacher's
    dues = {pk: {item.label: (item.count, item.url) for item in s.dues}
            for pk, s in sections.items()}
    assert dues[fresh.pk] == {
        WEEKS: (19, reverse("grading:attendance",
                                                            args=[fresh.pk])),
        CELLS: (4, reverse("grading:grid", args=[fresh.pk])),
    }
    assert dues[returned.pk]["Sổ điểm bị trả lại để sửa"] == (
        1, reverse("grading:grid", args=[returned.pk]))
    assert dues[returned.pk][WEEKS][0] == 20
    assert CELLS not in dues[returned.pk]
    assert dues[done.pk] == {}  # submitted: nothing due until the office decides
    page = response.content.decode()
    assert "Thiếu điểm ĐK2" in page
    assert f'href="{reverse("grading:attendance", args=[fresh.pk])}"' in page
    for items in dues.values():
        for _count, url in items.values():
            assert client.get(url).status_code == 200, url


def test_section_dues_answer_only_the_asking_teachers_sections(teacher, other_teacher,
                                                               teaching):
    _sem, fresh, _returned, _done, theirs = teaching
    assert set(teacher_section_dues(user=teacher, section_ids=[fresh.pk, theirs.pk])) == {
        fresh.pk}
    assert set(teacher_section_dues(user=other_teacher, section_ids=[fresh.pk, theirs.pk])) \
        == {theirs.pk}


def test_the_teacher_home_does_not_grow_with_sections(client, teacher,
                                                      django_assert_max_num_queries):
    w = world(3)
    sem = semester(2025, 1)
    for code in ("MH08", "MH01"):
        section(w, code, teacher=teacher)
    client.force_login(teacher)
    url = reverse("training:teacher-home")
    client.get(url, {"semester": sem.pk})
    with django_assert_max_num_queries(14) as few:
        client.get(url, {"semester": sem.pk})
    for code in ("MĐ07", "MH03", "MĐ09"):
        section(w, code, teacher=teacher)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url, {"semester": sem.pk})
    assert len(response.context["sections"]) == 5


def test_weeks_count_only_whole_past_weeks(teacher):
    w = world(1)
    sec = section(w, "MH08", teacher=teacher)
    sem = sec.semester
    mid = sem.starts_on + timedelta(days=15)  # a Tuesday of the third week
    due = teacher_section_dues(user=teacher, section_ids=[sec.pk], today=mid)[sec.pk]
    assert due.weeks_without_attendance == 2
    assert due.checks_missing == 2  # one learner, one continuous and one periodic check
