"""Amendments after approval, academic standing, the standing review and dismissal."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction

from enrollment.models import EnrollmentStatus, EnrollmentStatusChange, StatusSource
from grading.models import (
    Amendment,
    AmendmentStatus,
    ModuleResult,
    ModuleStatus,
    Score,
    StandingReview,
    TermSummary,
)
from grading.services import amendments as am
from grading.services.results import exemption_grant, standing_review_close
from grading.sheet import load_sheet
from grading.transcripts import transcript_of
from tests.grading.factories import section, semester, world
from tests.grading.test_gradebook import fill, submit_and_approve

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(teacher, registrar):
    w = world(2)
    sec = section(w, "MH08", teacher=teacher)
    fill(sec, teacher, {"TX1": ["8.5", "7"], "DK1": ["8", "7"], "THI1": ["9", "3.0"]})
    submit_and_approve(sec, teacher, registrar)
    return w, sec


def learner_row(sec, name):
    return next(r for r in load_sheet(sec.gradebook).rows if r.learner.full_name == name)


def test_an_amendment_keeps_both_values_and_results_follow(approved, teacher, registrar):
    w, sec = approved
    binh = learner_row(sec, "Trần Văn Bình")
    result = ModuleResult.objects.get(enrollment=binh.section_learner.enrollment)
    assert (result.score_10, result.letter) == (D("4.6"), "D")  # 2.8 + 1.8
    amendment = am.amendment_request(gradebook=sec.gradebook,
                                     section_learner=binh.section_learner, column="THI1",
                                     value="6.0", reason="Chấm phúc khảo: cộng sót câu 3",
                                     by=teacher)
    assert (amendment.old_score, amendment.new_score, amendment.status) == (
        D("3.0"), D("6.0"), AmendmentStatus.REQUESTED)
    with pytest.raises(PermissionDenied):
        am.amendment_approve(amendment=amendment, by=teacher)
    am.amendment_approve(amendment=amendment, by=registrar, note="Đồng ý theo biên bản")

    result.refresh_from_db()
    assert (result.score_10, result.letter, result.score_4) == (D("6.4"), "C", D("2.0"))
    summary = TermSummary.objects.get(enrollment=binh.section_learner.enrollment)
    assert summary.gpa_4 == D("2.00")
    # The approved score row is untouched; the amendment carries old and new.
    original = Score.objects.get(section_learner=binh.section_learner, kind="exam", number=1)
    assert original.score == D("3.0") and original.locked
    row = learner_row(sec, "Trần Văn Bình")
    assert row.value("THI1").score == D("6.0") and row.cells["THI1"].amended
    # Both versions of the result stay visible in its history.
    assert list(result.events.order_by("pgh_id").values_list("score_10", flat=True)) == [
        D("4.6"), D("6.4")]
    correction = transcript_of(binh.learner).enrollments[0].corrections[0]
    assert (correction.old, correction.new) == ("3.0", "6.0")
    with pytest.raises(DatabaseError), transaction.atomic():
        Amendment.objects.filter(pk=amendment.pk).update(new_score=D("9.0"))


def test_amending_an_open_cell_is_refused(teacher, registrar):
    w = world(1)
    sec = section(w, "MH08", teacher=teacher)
    fill(sec, teacher, {"TX1": ["8"]})
    with pytest.raises(ValidationError) as info:
        am.amendment_request(gradebook=sec.gradebook, section_learner=sec.learners.get(),
                             column="TX1", value="9", reason="x", by=teacher)
    assert "not been approved" in str(info.value)


def test_an_amendment_needs_a_reason_and_a_new_value(approved, teacher):
    _w, sec = approved
    row = learner_row(sec, "Nguyễn Thị Ánh")
    with pytest.raises(ValidationError) as info:
        am.amendment_request(gradebook=sec.gradebook, section_learner=row.section_learner,
                             column="THI1", value="9.0", reason="  ", by=teacher)
    assert set(info.value.message_dict) == {"reason"}
    with pytest.raises(ValidationError):
        am.amendment_request(gradebook=sec.gradebook, section_learner=row.section_learner,
                             column="THI1", value="9.0", reason="nhầm", by=teacher)


def test_a_second_open_request_for_the_same_cell_is_refused(approved, teacher):
    _w, sec = approved
    row = learner_row(sec, "Nguyễn Thị Ánh")
    am.amendment_request(gradebook=sec.gradebook, section_learner=row.section_learner,
                         column="THI1", value="9.5", reason="Phúc khảo", by=teacher)
    with pytest.raises(ValidationError) as info:
        am.amendment_request(gradebook=sec.gradebook, section_learner=row.section_learner,
                             column="THI1", value="8.0", reason="Phúc khảo", by=teacher)
    assert "already waiting" in str(info.value)


def test_an_amendment_that_would_make_a_sitter_ineligible_is_refused(approved, registrar):
    _w, sec = approved
    row = learner_row(sec, "Nguyễn Thị Ánh")
    with pytest.raises(ValidationError) as info:
        am.amendment_record(gradebook=sec.gradebook, section_learner=row.section_learner,
                            column="DK1", value="1.0", reason="Nhập nhầm", by=registrar)
    assert "not be eligible" in str(info.value)
    assert not Amendment.objects.exists()  # the whole step rolled back


def test_an_amendment_turning_a_pass_into_a_fail_opens_the_retake(approved, teacher,
                                                                  registrar):
    _w, sec = approved
    book = sec.gradebook
    row = learner_row(sec, "Trần Văn Bình")
    book.refresh_from_db()
    assert book.sitting == 1 and book.complete
    am.amendment_record(gradebook=book, section_learner=row.section_learner, column="THI1",
                        value="1.0", reason="Sai sót khi cộng điểm", by=registrar)
    book.refresh_from_db()
    assert (book.sitting, book.status) == (2, "draft")
    result = ModuleResult.objects.get(enrollment=row.section_learner.enrollment)
    assert result.status == ModuleStatus.RETAKE_DUE


def test_withdrawal_is_for_the_requester(approved, teacher, registrar):
    _w, sec = approved
    row = learner_row(sec, "Nguyễn Thị Ánh")
    amendment = am.amendment_request(gradebook=sec.gradebook, section_learner=row.section_learner,
                                     column="THI1", value="9.5", reason="Phúc khảo", by=teacher)
    with pytest.raises(PermissionDenied):
        am.amendment_withdraw(amendment=amendment, by=registrar)
    am.amendment_withdraw(amendment=amendment, by=teacher)
    amendment.refresh_from_db()
    assert amendment.status == AmendmentStatus.WITHDRAWN


# --- Standing --------------------------------------------------------------------------------


def failing_semester(w, teacher, registrar, sem, codes):
    """Every learner fails every module of the semester twice (F 2.4) — a warning."""
    for code in codes:
        sec = section(w, code, sem=sem, teacher=teacher)
        fill(sec, teacher, {"TX1": ["6"] * 3, "TX2": ["6"] * 3, "DK1": ["6"] * 3,
                            "DK2": ["6"] * 3, "THI1": ["KP"] * 3}
             if code == "MH01" else {"TX1": ["6"] * 3, "DK1": ["6"] * 3, "DK2": ["6"] * 3,
                                      "THI1": ["KP"] * 3})
        submit_and_approve(sec, teacher, registrar)
        fill(sec, teacher, {"THI2": ["KP"] * 3})
        submit_and_approve(sec, teacher, registrar)


def test_two_warned_semesters_dismiss_after_the_review(teacher, registrar):
    w = world(1)
    enrollment = w.enrollments[0]
    failing_semester(w, teacher, registrar, semester(2025, 1), ["MH01", "MĐ07"])
    first = TermSummary.objects.get(enrollment=enrollment)
    assert (first.semester_index, first.gpa_4, first.cumulative_gpa_4, first.standing) == (
        1, D("0.00"), None, "warning")
    assert first.reasons == ["SEMESTER_GPA"]
    assert (first.outstanding_f_credits, first.outstanding_f_modules) == (8, 2)

    failing_semester(w, teacher, registrar, semester(2025, 2), ["MĐ09"])
    second = TermSummary.objects.get(enrollment=enrollment, semester=semester(2025, 2))
    assert (second.semester_index, second.standing, second.consecutive_warnings) == (
        2, "dismissed", 2)
    assert second.reasons[0] == "CONSECUTIVE_WARNINGS"
    enrollment.refresh_from_db()
    assert enrollment.status == EnrollmentStatus.STUDYING  # not before the review

    with pytest.raises(PermissionDenied):
        standing_review_close(semester=semester(2025, 2), by=teacher, decision_number="1",
                              decision_date=date(2026, 7, 1))
    standing_review_close(semester=semester(2025, 2), by=registrar,
                          decision_number="88/QĐ-CĐSH", decision_date=date(2026, 7, 1))
    enrollment.refresh_from_db()
    assert enrollment.status == EnrollmentStatus.DISMISSED
    change = EnrollmentStatusChange.objects.filter(enrollment=enrollment).latest("at")
    assert (change.source, change.decision_number) == (StatusSource.STANDING, "88/QĐ-CĐSH")
    with pytest.raises(ValidationError):
        standing_review_close(semester=semester(2025, 2), by=registrar,
                              decision_number="89/QĐ-CĐSH", decision_date=date(2026, 7, 1))
    with pytest.raises(DatabaseError), transaction.atomic():
        StandingReview.objects.update(decision_number="x")


def test_exempted_module_is_out_of_gpa_and_earned_credits(teacher, registrar):
    w = world(1)
    enrollment = w.enrollments[0]
    sec = section(w, "MH08", teacher=teacher)
    fill(sec, teacher, {"TX1": ["7"], "DK1": ["7"], "THI1": ["7"]})
    submit_and_approve(sec, teacher, registrar)
    exemption_grant(enrollment=enrollment, module=w.module("MH01"), by=registrar,
                    decision_number="12/QĐ", reason="Đã học ở trường khác")
    result = ModuleResult.objects.get(enrollment=enrollment, module=w.module("MH01"))
    assert result.status == ModuleStatus.EXEMPTED
    summary = TermSummary.objects.get(enrollment=enrollment)
    assert (summary.cumulative_gpa_4, summary.cumulative_credits_earned) == (D("3.00"), 3)
