"""Grading pages: the teacher's grid (constant queries), review and submission, XLSX, the
attendance register, the office's review, amendments, transcripts (page = PDF), class
PDFs in the background and the warning list."""

import json
import re
from datetime import date
from decimal import Decimal as D
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from grading.models import (
    AmendmentStatus,
    AttendanceMark,
    BatchStatus,
    GradebookStatus,
    Score,
    StandingReview,
    StandingReviewJob,
    TranscriptBatch,
)
from tests.grading.factories import section, semester, world
from tests.grading.test_gradebook import fill, submit_and_approve
from vetschool.demo import seed_institution

pytestmark = pytest.mark.django_db
# The pages are checked as the college reads them: Vietnamese, decimal commas.
LANGUAGE = "vi"


def login(client, user):
    client.force_login(user)
    return client


def url(name, *args):
    return reverse(f"grading:{name}", args=args)


# --- The grid ------------------------------------------------------------------------------


def test_the_grid_loads_60_learners_in_as_many_queries_as_5(client, teacher,
                                                           django_assert_max_num_queries):
    small = section(world(5), "MH01", teacher=teacher)
    big = section(world(60), "MH01", teacher=teacher)
    for sec in (small, big):
        fill(sec, teacher, {"TX1": ["7.5"] * 60, "DK1": ["8"] * 60})
    login(client, teacher)
    client.get(url("grid", small.pk))  # warm the session and permissions
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert client.get(url("grid", small.pk)).status_code == 200
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url("grid", big.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('class="cell"') == 60 * 5  # TX1, TX2, ĐK1, ĐK2, exam 1
    assert 'value="7,5"' in html
    assert "gradebook.js" in html


def test_the_api_reads_60_learners_in_as_many_queries_as_5(api_client, teacher,
                                                          django_assert_max_num_queries):
    small = section(world(5), "MH08", teacher=teacher)
    big = section(world(60), "MH08", teacher=teacher)
    api_client.force_authenticate(teacher)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        api_client.get(f"/api/v1/sections/{small.pk}/gradebook/")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = api_client.get(f"/api/v1/sections/{big.pk}/gradebook/")
    assert len(response.json()["learners"]) == 60


def test_a_full_column_of_60_is_saved_in_one_request(api_client, teacher,
                                                    django_assert_max_num_queries):
    sec = section(world(60), "MH08", teacher=teacher)
    api_client.force_authenticate(teacher)
    rows = api_client.get(f"/api/v1/sections/{sec.pk}/gradebook/").json()["learners"]
    body = {"version": 0, "cells": [{"learner": r["id"], "column": "TX1", "value": "6.5"}
                                    for r in rows]}
    with django_assert_max_num_queries(40):
        response = api_client.patch(f"/api/v1/sections/{sec.pk}/gradebook/", body,
                                    format="json")
    assert response.status_code == 200
    assert Score.objects.filter(gradebook=sec.gradebook, score=D("6.5")).count() == 60


@pytest.mark.parametrize("persona,code", [("other_teacher", 404), ("learner", 403),
                                          ("registrar", 403)])
def test_the_grid_is_only_for_the_section_teacher(client, request, teacher, persona, code):
    sec = section(world(2), "MH08", teacher=teacher)
    login(client, request.getfixturevalue(persona))
    assert client.get(url("grid", sec.pk)).status_code == code


def test_review_lists_problems_then_submits(client, teacher):
    sec = section(world(2), "MH08", teacher=teacher)
    fill(sec, teacher, {"TX1": ["8", "3"], "DK1": ["8", "3"]})
    login(client, teacher)
    page = client.get(url("review", sec.pk)).content.decode()
    assert "Nguyễn Thị Ánh" in page and ("problem" in page.lower() or "vấn đề" in page)
    assert "not eligible" in page or "không đủ" in page.lower()
    fill(sec, teacher, {"THI1": ["7", ""]})
    response = client.post(url("review", sec.pk), {"version": 2})
    assert response.status_code == 302
    sec.gradebook.refresh_from_db()
    assert sec.gradebook.status == GradebookStatus.SUBMITTED


def test_xlsx_round_trip_imports_the_open_cells(client, teacher):
    sec = section(world(3), "MH08", teacher=teacher)
    fill(sec, teacher, {"TX1": ["8", "7", "6"]})
    login(client, teacher)
    response = client.get(url("xlsx", sec.pk))
    workbook = load_workbook(BytesIO(response.content))
    sheet = workbook["Bảng điểm"]
    headers = [c.value for c in sheet[1]]
    assert headers[:7] == ["STT", "Mã HSSV", "Họ và tên", "Lớp", "TX1", "ĐK1", "THI1"]
    assert sheet.cell(row=2, column=5).value == 8.0
    for row in range(2, 5):
        sheet.cell(row=row, column=6).value = 7.5
    sheet.cell(row=4, column=7).value = "kp"
    out = BytesIO()
    workbook.save(out)
    upload = SimpleUploadedFile("diem.xlsx", out.getvalue())
    preview = client.post(url("import", sec.pk), {"file": upload})
    assert "4" in preview.content.decode()  # 3 periodic checks + 1 exam mark will change
    assert not Score.objects.filter(kind="periodic").exists()  # preview writes nothing
    response = client.post(url("import", sec.pk), {"confirm": preview.context["pending"]})
    assert response.status_code == 302
    assert Score.objects.filter(kind="periodic", score=D("7.5")).count() == 3
    assert Score.objects.filter(kind="exam", mark="KP").count() == 1


def _filled_export(client, sec) -> bytes:
    workbook = load_workbook(BytesIO(client.get(url("xlsx", sec.pk)).content))
    workbook["Bảng điểm"].cell(row=2, column=6).value = 8  # ĐK1, a periodic check
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_xlsx_import_keeps_the_upload_out_of_the_session_and_only_for_its_owner(
        client, teacher, other_teacher, settings):
    sec = section(world(2), "MH08", teacher=teacher)
    other = section(world(2), "MH08", teacher=other_teacher)
    login(client, teacher)
    content = _filled_export(client, sec)
    preview = client.post(url("import", sec.pk),
                          {"file": SimpleUploadedFile("diem.xlsx", content)})
    token = preview.context["pending"]
    assert token and len(token) < 300
    session = client.session
    assert all(len(json.dumps(value, default=str)) < 300 for value in session.values())
    assert content.hex()[:64] not in json.dumps(dict(session.items()), default=str)
    kept = list((settings.MEDIA_ROOT / "pending" / str(teacher.pk)).iterdir())
    assert len(kept) == 1 and kept[0].read_bytes() == content  # stored once, generated name
    assert "diem" not in kept[0].name
    # Another teacher holding the token imports nothing, not even into their own gradebook.
    login(client, other_teacher)
    client.post(url("import", other.pk), {"confirm": token})
    assert not Score.objects.exists()
    assert kept[0].exists()
    # The owner confirms once; the file is then gone and a second confirm imports nothing.
    login(client, teacher)
    assert client.post(url("import", sec.pk), {"confirm": token}).status_code == 302
    assert Score.objects.filter(kind="periodic").count() == 1
    assert not kept[0].exists()
    again = client.post(url("import", sec.pk), {"confirm": token}, follow=True)
    assert "upload the file again" in again.content.decode() or "tải tệp lên lại" in \
        again.content.decode()


def test_xlsx_import_refuses_an_oversized_file_before_reading_it(client, teacher):
    from vetschool.imports import IMPORT_MAX_BYTES

    sec = section(world(2), "MH08", teacher=teacher)
    login(client, teacher)
    padded = _filled_export(client, sec) + b"\0" * IMPORT_MAX_BYTES
    response = client.post(url("import", sec.pk),
                           {"file": SimpleUploadedFile("diem.xlsx", padded)})
    assert response.context["form"].errors["file"][0].startswith(("The file", "Tệp"))
    assert response.context["pending"] is None
    assert all(len(json.dumps(v, default=str)) < 300 for v in client.session.values())


def test_xlsx_import_with_a_bad_row_imports_nothing(client, teacher):
    sec = section(world(2), "MH08", teacher=teacher)
    login(client, teacher)
    workbook = load_workbook(BytesIO(client.get(url("xlsx", sec.pk)).content))
    sheet = workbook["Bảng điểm"]
    sheet.cell(row=2, column=5).value = 8
    sheet.cell(row=3, column=5).value = 7.25
    out = BytesIO()
    workbook.save(out)
    response = client.post(url("import", sec.pk),
                           {"file": SimpleUploadedFile("diem.xlsx", out.getvalue())})
    page = response.content.decode()
    assert "7.25" in page
    assert not Score.objects.exists()


def test_attendance_register_adds_sessions_and_saves_marks(client, teacher):
    sec = section(world(2), "MH08", teacher=teacher)
    login(client, teacher)
    response = client.post(url("attendance", sec.pk),
                           {"day": "2025-09-10", "kind": "practice", "hours": "5", "topic": "Lab"})
    assert response.status_code == 302
    page = client.get(url("attendance", sec.pk)).content.decode()
    session_code = re.search(r'data-column="(S\d+)"', page).group(1)
    learner_id = int(re.search(r'data-learner="(\d+)"', page).group(1))
    body = {"version": 1, "cells": [{"learner": learner_id, "column": session_code,
                                     "value": "kp2"}]}
    response = client.post(url("attendance-save", sec.pk), json.dumps(body),
                           content_type="application/json")
    assert response.status_code == 200, response.content
    mark = AttendanceMark.objects.get()
    assert (mark.status, mark.absent_hours) == ("unexcused", D("2"))
    data = response.json()
    assert data["learners"][0]["eligible"] is None  # no checks yet
    response = client.post(url("attendance-save", sec.pk),
                           json.dumps({**body, "cells": [{**body["cells"][0], "value": "X"}]}),
                           content_type="application/json")
    assert response.status_code == 400
    response = client.post(url("attendance", sec.pk),
                           {"day": "2024-01-10", "kind": "theory", "hours": "5"})
    assert "outside the semester" in response.content.decode() or "ngoài" in \
        response.content.decode()


# --- The training office ---------------------------------------------------------------------


def test_office_approves_from_the_review_page(client, teacher, registrar):
    sec = section(world(2), "MH08", teacher=teacher)
    fill(sec, teacher, {"TX1": ["8", "7"], "DK1": ["8", "7"], "THI1": ["7", "6"]})
    from grading.services.gradebook import gradebook_submit

    gradebook_submit(gradebook=sec.gradebook, by=teacher, version=1)
    login(client, registrar)
    listing = client.get(url("office")).content.decode()
    assert sec.code in listing
    review = client.get(url("office-review", sec.gradebook.pk)).content.decode()
    assert "Nguyễn Thị Ánh" in review
    response = client.post(url("office-review", sec.gradebook.pk), {"approve": "1"})
    assert response.status_code == 302
    sec.gradebook.refresh_from_db()
    assert sec.gradebook.status == GradebookStatus.APPROVED


def test_office_pages_are_closed_to_teachers(client, teacher):
    login(client, teacher)
    assert client.get(url("office")).status_code == 403
    assert client.get(url("amendments")).status_code == 403
    assert client.get(url("warnings")).status_code == 403


def test_teacher_requests_and_office_approves_an_amendment(client, teacher, registrar):
    sec = section(world(2), "MH08", teacher=teacher)
    fill(sec, teacher, {"TX1": ["8", "7"], "DK1": ["8", "7"], "THI1": ["7", "6"]})
    submit_and_approve(sec, teacher, registrar)
    learner = sec.learners.order_by("pk").first()
    login(client, teacher)
    form = url("amendment-new", sec.pk) + f"?learner={learner.pk}&column=THI1"
    assert client.get(form).status_code == 200
    response = client.post(form, {"value": "9", "reason": "Chấm phúc khảo"})
    assert response.status_code == 302
    client.logout()
    login(client, registrar)
    amendment = sec.gradebook.amendments.get()
    page = client.get(url("amendments")).content.decode()
    assert "Chấm phúc khảo" in page
    client.post(url("amendments"), {"amendment": amendment.pk, "approve": "1"})
    amendment.refresh_from_db()
    assert amendment.status == AmendmentStatus.APPROVED


# --- Transcripts --------------------------------------------------------------------------------


def _text(html: str) -> list[str]:
    body = html.split('<div class="transcript">', 1)[1].rsplit("</div>", 1)[0]
    body = re.sub(r"<[^>]+>", " ", body)
    import html as htmllib

    return htmllib.unescape(body).split()


@pytest.fixture
def graded_learner(teacher, registrar, learner):
    seed_institution()
    w = world(2, users=[learner])
    for code, values in (("MH08", ["8.5", "9"]), ("MĐ07", ["6", "5"])):
        sec = section(w, code, teacher=teacher)
        columns = {"TX1": [values[0]] * 2, "DK1": [values[0]] * 2, "DK2": [values[0]] * 2,
                   "THI1": [values[1]] * 2} if code == "MĐ07" else {
            "TX1": [values[0]] * 2, "DK1": [values[0]] * 2, "THI1": [values[1]] * 2}
        fill(sec, teacher, columns)
        submit_and_approve(sec, teacher, registrar)
    return learner


def test_the_learner_sees_progress_transcript_and_the_same_pdf(client, graded_learner):
    login(client, graded_learner)
    home = client.get(url("student-home")).content.decode()
    # MH08: 0.4×8.5 + 0.6×9 = 8.8 A (3 cr); MĐ07: 0.4×6 + 0.6×5 = 5.4 D (4 cr)
    # GPA = (4×3 + 1×4) / 7 = 2.285… → 2,29 ; 10-point (26.4 + 21.6)/7 = 6.857 → 6,86
    assert "2,29" in home and "6,86" in home
    page = client.get(url("my-transcript")).content.decode()
    assert "8,8" in page and "5,4" in page and "2,29" in page
    pdf = client.get(url("my-transcript-pdf"))
    assert pdf["Content-Type"] == "application/pdf"
    reader = PdfReader(BytesIO(pdf.content))
    text = " ".join("\n".join(p.extract_text() for p in reader.pages).split())
    assert "BẢNG ĐIỂM" in text and "KẾT QUẢ HỌC TẬP TOÀN KHÓA" in text
    assert "Trường Cao đẳng Kỹ thuật Công nghệ Sông Hồng".upper() in text
    assert "Trang 1 / 1" in text
    pdf_words = text.split()
    missing = [w for w in _text(page) if w not in pdf_words]
    assert missing == []


def test_the_transcript_pdf_is_vietnamese_even_for_an_english_reader(client, graded_learner,
                                                                     settings):
    """An official document: the regulation's headings and Vietnamese numbers and dates,
    whatever language the reader chose for the interface."""
    login(client, graded_learner)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "My transcript" in client.get(url("my-transcript")).content.decode()
    pdf = client.get(url("my-transcript-pdf"))
    text = " ".join(" ".join(p.extract_text().split())
                    for p in PdfReader(BytesIO(pdf.content)).pages)
    for heading in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                    "BẢNG ĐIỂM", "KẾT QUẢ HỌC TẬP TOÀN KHÓA", "TL. HIỆU TRƯỞNG",
                    "TRƯỞNG PHÒNG ĐÀO TẠO", "Điểm hệ 10", "Điểm chữ", "Điểm TB học kỳ",
                    "Điểm TB tích lũy", "Tình trạng học tập", "Ngày sinh", "Trang 1 / 1"):
        assert heading in text, heading
    # Decimal commas (MH08 8,8; GPA 2,29), dates dd/mm/yyyy.
    assert "8,8" in text and "2,29" in text and "8.8" not in text
    assert re.search(r"Ngày cấp: \d{2}/\d{2}/\d{4}", text)
    for english in ("TRANSCRIPT", "Score", "Letter", "Attempts", "Semester GPA", "Standing",
                    "HEAD OF", "Page"):
        assert english not in text, english


def test_the_english_transcript_is_a_second_clearly_labelled_pdf(client, graded_learner):
    """Only on request (?lang=en, linked from the transcript page): English headings under a
    label saying it is a translation and the Vietnamese transcript is the official one."""
    login(client, graded_learner)
    page = client.get(url("my-transcript")).content.decode()
    assert f'{url("my-transcript-pdf")}?lang=en' in page and "Bản tiếng Anh (PDF)" in page
    response = client.get(url("my-transcript-pdf"), {"lang": "en"})
    assert response["Content-Disposition"].endswith('-en.pdf"')
    text = " ".join(" ".join(p.extract_text().split())
                    for p in PdfReader(BytesIO(response.content)).pages)
    for heading in ("ENGLISH VERSION", "the Vietnamese transcript (BẢNG ĐIỂM) is the official",
                    "SOCIALIST REPUBLIC OF VIETNAM", "ACADEMIC TRANSCRIPT", "Page 1 / 1"):
        assert heading in text, heading
    # Any other value, or none, is the Vietnamese official document without the label.
    official = client.get(url("my-transcript-pdf"), {"lang": "fr"})
    text = " ".join(p.extract_text() for p in PdfReader(BytesIO(official.content)).pages)
    assert "BẢNG ĐIỂM" in text and "ENGLISH VERSION" not in text


def test_another_learner_cannot_open_office_transcripts(client, graded_learner, other_learner):
    login(client, other_learner)
    target = graded_learner.learner.pk
    assert client.get(url("transcript", target)).status_code == 403
    assert client.get(url("transcript-pdf", target)).status_code == 403


def test_registrar_reads_any_transcript_and_pdf(client, registrar, graded_learner):
    login(client, registrar)
    target = graded_learner.learner.pk
    assert "2,29" in client.get(url("transcript", target)).content.decode()
    assert client.get(url("transcript-pdf", target))["Content-Type"] == \
        "application/pdf"


def test_class_transcripts_are_rendered_in_the_background(client, registrar, graded_learner,
                                                          django_capture_on_commit_callbacks):
    login(client, registrar)
    klass = graded_learner.learner.enrollments.get().class_memberships.get().homeroom_class
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("class-transcripts", klass.pk))
    batch = TranscriptBatch.objects.get()
    assert response.url == url("batch", batch.pk)
    assert (batch.status, batch.done, batch.total) == (BatchStatus.DONE, 2, 2)
    status = client.get(url("batch", batch.pk) + "?format=json").json()
    assert status == {"status": "done", "done": 2, "total": 2, "percent": 100, "error": "",
                      "download": True}
    download = client.get(url("batch-download", batch.pk))
    reader = PdfReader(BytesIO(b"".join(download.streaming_content)))
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert graded_learner.learner.full_name in text
    assert len(reader.pages) >= 2


def test_the_warning_list_and_closing_the_review(client, registrar, teacher,
                                                  django_capture_on_commit_callbacks):
    w = world(1)
    sec = section(w, "MH08", teacher=teacher)
    fill(sec, teacher, {"TX1": ["6"], "DK1": ["6"], "THI1": ["KP"]})
    submit_and_approve(sec, teacher, registrar)
    login(client, registrar)
    page = client.get(url("warnings") + f"?semester={semester().pk}").content.decode()
    assert w.enrollments[0].learner.code in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("standing-review", semester().pk),
                               {"decision_number": "90/QĐ-CĐSH",
                                "decision_date": date(2026, 1, 20).isoformat()})
    assert response.status_code == 302
    page = client.get(url("warnings") + f"?semester={semester().pk}").content.decode()
    assert "90/QĐ-CĐSH" in page and StandingReview.objects.filter(semester=semester()).exists()


def test_closing_the_standing_review_is_queued_and_followed_on_the_page(
        client, registrar, teacher, django_capture_on_commit_callbacks):
    """Closing recomputes every learner of the semester: the request only queues it (issue
    #14, long jobs never in a request); the warnings page shows the job's progress, then the
    closed review; a second close while it runs is refused."""
    w = world(1)
    sec = section(w, "MH08", teacher=teacher)
    fill(sec, teacher, {"TX1": ["6"], "DK1": ["6"], "THI1": ["KP"]})
    submit_and_approve(sec, teacher, registrar)
    login(client, registrar)
    form = {"decision_number": "91/QĐ-CĐSH", "decision_date": date(2026, 1, 20).isoformat()}
    with django_capture_on_commit_callbacks() as queued:
        response = client.post(url("standing-review", semester().pk), form)
    assert response.status_code == 302
    assert len(queued) == 1 and not StandingReview.objects.exists()
    job = StandingReviewJob.objects.get()
    assert (job.status, job.created_by, job.decision_number) == ("queued", registrar,
                                                                 "91/QĐ-CĐSH")
    page = client.get(url("warnings") + f"?semester={semester().pk}").content.decode()
    poll = url("standing-review-job", job.pk)
    assert f'data-job-poll="{poll}?format=json"' in page and "<progress" in page
    assert url("standing-review", semester().pk) not in page  # no second close offered
    assert client.post(url("standing-review", semester().pk), form).status_code == 302
    assert StandingReviewJob.objects.count() == 1  # refused while the first one waits
    assert client.get(poll + "?format=json").json()["status"] == "queued"

    queued[0]()  # the worker
    job.refresh_from_db()
    assert (job.status, job.done, job.total) == ("done", 1, 1)
    review = StandingReview.objects.get(semester=semester())
    assert (review.decision_number, review.closed_by) == ("91/QĐ-CĐSH", registrar)
    page = client.get(url("warnings") + f"?semester={semester().pk}").content.decode()
    assert "91/QĐ-CĐSH" in page and "<progress" not in page
    assert client.get(poll).url == url("warnings") + f"?semester={semester().pk}"


def test_a_refused_standing_review_job_shows_its_error_on_the_page(
        client, registrar, teacher, django_capture_on_commit_callbacks):
    from grading.services.results import StandingReviewRefused, standing_review_start

    w = world(1)
    sec = section(w, "MH08", teacher=teacher)
    fill(sec, teacher, {"TX1": ["6"], "DK1": ["6"], "THI1": ["KP"]})
    submit_and_approve(sec, teacher, registrar)
    with django_capture_on_commit_callbacks() as queued:
        job = standing_review_start(semester=semester(), by=registrar, decision_number="92/QĐ",
                                    decision_date=date(2026, 1, 20))
    # Before the worker runs, the review is closed some other way: its close is refused.
    other = StandingReview.objects.create(semester=semester(), decision_number="93/QĐ",
                                          decision_date=date(2026, 1, 21), closed_by=registrar)
    with pytest.raises(StandingReviewRefused):  # recorded on the job, re-raised for the log
        queued[0]()
    job.refresh_from_db()
    assert job.status == "failed" and str(semester()) in job.error
    assert StandingReview.objects.get(semester=semester()) == other  # nothing else closed

    # The error shows on the warnings page of a semester still open, and the office may
    # try again (a failed job does not block a new one).
    spring = semester(2025, 2)
    failed = StandingReviewJob.objects.create(
        semester=spring, decision_number="94/QĐ", decision_date=date(2026, 6, 1),
        status="failed", error=job.error, total=1, created_by=registrar)
    login(client, registrar)
    page = client.get(url("warnings") + f"?semester={spring.pk}").content.decode()
    assert "94/QĐ" in page and failed.error.split(": ", 1)[1] in page
    assert "StandingReviewRefused" not in page
    assert url("standing-review", spring.pk) in page
