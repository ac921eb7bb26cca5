"""Score entry, submission, approval and retake sessions of a gradebook."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction

from enrollment.models import EnrollmentStatus
from grading.models import (
    GradebookLog,
    GradebookStatus,
    LearnerRound,
    ModuleResult,
    Score,
    TermSummary,
)
from grading.services import gradebook as gb
from grading.services.attendance import attendance_marks_save, attendance_session_create
from grading.sheet import load_sheet
from tests.grading.factories import cells, grid_rows, section, world

pytestmark = pytest.mark.django_db


def fill(sec, teacher, columns: dict[str, list]):
    book = sec.gradebook
    book.refresh_from_db()
    inputs = [cell for code, values in columns.items() for cell in cells(sec, code, values)]
    return gb.gradebook_cells_save(gradebook=book, by=teacher, base_version=book.version,
                                   cells=inputs)


def submit_and_approve(sec, teacher, registrar):
    book = sec.gradebook
    book.refresh_from_db()
    gb.gradebook_submit(gradebook=book, by=teacher, version=book.version)
    return gb.gradebook_approve(gradebook=book, by=registrar)


@pytest.fixture
def setup(teacher):
    w = world(4)
    sec = section(w, "MH08", teacher=teacher)  # 1 continuous + 1 periodic check
    return w, sec


def test_saving_a_column_writes_decimals_and_derives_the_checks_average(setup, teacher):
    _w, sec = setup
    result = fill(sec, teacher, {"TX1": ["8.5", "7", "4,5", "10"], "DK1": ["7.0", "6.5", "4.0",
                                                                          "9.5"]})
    assert result.version == 1
    assert len(result.saved) == 8
    rows = grid_rows(sec)
    # (8.5 + 2 × 7.0) / 3 = 7.5 ; (7.0 + 2 × 6.5) / 3 = 6.666… → 6.7 ; (4.5 + 8.0)/3 = 4.1666 → 4.2
    assert [row.checks_average for row in rows] == [D("7.5"), D("6.7"), D("4.2"), D("9.7")]
    assert [row.eligible for row in rows] == [True, True, False, True]
    assert rows[2].reason_labels and "5.0" in rows[2].reason_labels[0]
    assert Score.objects.filter(gradebook=sec.gradebook).count() == 8
    assert isinstance(Score.objects.first().score, D)


def test_an_invalid_cell_saves_nothing_and_names_the_cell(setup, teacher):
    _w, sec = setup
    with pytest.raises(ValidationError) as info:
        fill(sec, teacher, {"TX1": ["8.5", "8.45", "11", "KP"]})
    errors = info.value.message_dict
    rows = grid_rows(sec)
    assert set(errors) == {f"{rows[1].id}:TX1", f"{rows[2].id}:TX1"}
    assert "8.45" in errors[f"{rows[1].id}:TX1"][0]
    assert not Score.objects.exists()


def test_reason_codes_are_accepted_in_any_case(setup, teacher):
    _w, sec = setup
    fill(sec, teacher, {"TX1": ["v", "kp", "5", ""], "DK1": ["6", "6", "6", "6"]})
    rows = grid_rows(sec)
    assert rows[0].value("TX1").mark == "V"
    assert rows[1].value("TX1").mark == "KP"
    assert rows[0].checks_average == D("6.0")  # the excused check is left out
    assert rows[1].checks_average == D("4.0")  # the unexcused one counts 0.0: (0 + 12)/3
    assert rows[3].checks_average == D("6.0")  # empty TX1 not counted yet


def test_two_tabs_writing_the_same_cell_conflict_and_nothing_is_lost(setup, teacher):
    _w, sec = setup
    book = sec.gradebook
    first = cells(sec, "TX1", ["8.0"])
    gb.gradebook_cells_save(gradebook=book, by=teacher, base_version=0, cells=first)
    # The second tab still thinks it is at version 0 and writes the same cell.
    with pytest.raises(gb.GradebookConflict) as info:
        gb.gradebook_cells_save(gradebook=book, by=teacher, base_version=0,
                                cells=cells(sec, "TX1", ["6.0"]))
    assert info.value.version == 1
    assert info.value.changes[0].value == "8.0"
    assert "8.0" in info.value.message
    assert grid_rows(sec)[0].value("TX1").score == D("8.0")


def test_two_tabs_writing_different_cells_both_keep_their_values(setup, teacher):
    _w, sec = setup
    book = sec.gradebook
    gb.gradebook_cells_save(gradebook=book, by=teacher, base_version=0,
                            cells=cells(sec, "TX1", ["8.0"]))
    result = gb.gradebook_cells_save(gradebook=book, by=teacher, base_version=0,
                                     cells=cells(sec, "DK1", ["6.0"]))
    assert result.version == 2
    assert [(c.column, c.value) for c in result.others] == [("TX1", "8.0")]
    row = grid_rows(sec)[0]
    assert (row.value("TX1").score, row.value("DK1").score) == (D("8.0"), D("6.0"))


def test_a_teacher_of_another_section_cannot_write(setup, other_teacher):
    _w, sec = setup
    with pytest.raises(PermissionDenied):
        gb.gradebook_cells_save(gradebook=sec.gradebook, by=other_teacher, base_version=0,
                                cells=cells(sec, "TX1", ["8.0"]))


def test_submission_lists_every_missing_cell(setup, teacher):
    _w, sec = setup
    fill(sec, teacher, {"TX1": ["8", "7", "6", "5"]})
    with pytest.raises(ValidationError) as info:
        gb.gradebook_submit(gradebook=sec.gradebook, by=teacher, version=1)
    messages = info.value.messages
    assert "4 problem" in messages[0]
    assert sum("ĐK1" in m for m in messages) == 4
    sec.gradebook.refresh_from_db()
    assert sec.gradebook.status == GradebookStatus.DRAFT


def test_submission_refuses_an_exam_score_for_an_ineligible_learner(setup, teacher):
    _w, sec = setup
    fill(sec, teacher, {"TX1": ["8", "7", "3", "5"], "DK1": ["8", "7", "3", "5"],
                        "THI1": ["7", "6", "5", "4"]})
    with pytest.raises(ValidationError) as info:
        gb.gradebook_submit(gradebook=sec.gradebook, by=teacher, version=1)
    assert any("not eligible" in m and "5.0" in m for m in info.value.messages)


def test_submitting_an_outdated_view_is_a_conflict(setup, teacher):
    _w, sec = setup
    fill(sec, teacher, {"TX1": ["8", "7", "6", "5"], "DK1": ["8", "7", "6", "5"],
                        "THI1": ["7", "6", "5", "4"]})
    with pytest.raises(gb.GradebookConflict):
        gb.gradebook_submit(gradebook=sec.gradebook, by=teacher, version=0)


def test_approval_locks_rows_in_the_database_and_computes_results(setup, teacher, registrar):
    w, sec = setup
    fill(sec, teacher, {"TX1": ["8.5", "7", "6", "9"], "DK1": ["8", "7", "6", "9"],
                        "THI1": ["9", "6", "2", "V"]})
    book = submit_and_approve(sec, teacher, registrar)
    assert book.status == GradebookStatus.DRAFT and book.sitting == 2  # retake session open
    assert Score.objects.filter(gradebook=book, locked=True).count() == 12
    score = Score.objects.filter(gradebook=book, locked=True).first()
    with pytest.raises(DatabaseError), transaction.atomic():
        Score.objects.filter(pk=score.pk).update(score=D("1.0"))
    with pytest.raises(DatabaseError), transaction.atomic():
        Score.objects.filter(pk=score.pk).delete()

    results = {r.enrollment.learner.full_name: r for r in
               ModuleResult.objects.select_related("enrollment__learner")}
    anh = results["Nguyễn Thị Ánh"]  # checks (8.5+16)/3=8.2 ; 0.4×8.2+0.6×9 = 8.68 → 8.7 A
    assert (anh.score_10, anh.letter, anh.score_4, anh.passed, anh.status) == (
        D("8.7"), "A", D("4.0"), True, "passed")
    cuong = results["Lê Hoàng Cường"]  # 6.0 and 2.0 → 0.4×6+0.6×2 = 3.6 F, retake due
    assert (cuong.score_10, cuong.letter, cuong.status, cuong.attempts) == (
        D("3.6"), "F", "retake_due", 1)
    dung = results["Phạm Thu Dung"]  # excused absence: postponed, no attempt
    assert (dung.score_10, dung.status, dung.attempts) == (None, "pending", 0)
    summary = TermSummary.objects.get(enrollment=anh.enrollment)
    assert (summary.gpa_4, summary.cumulative_gpa_4, summary.cumulative_credits_earned) == (
        D("4.00"), D("4.00"), 3)
    assert LearnerRound.objects.count() == 4
    actions = list(GradebookLog.objects.filter(gradebook=book).values_list("action", flat=True))
    assert actions == [GradebookLog.SUBMITTED, GradebookLog.APPROVED, GradebookLog.SITTING_OPENED]
    assert w.enrollments[0].status == EnrollmentStatus.STUDYING


def test_retake_session_is_for_those_who_need_it_and_completes_the_book(setup, teacher,
                                                                       registrar):
    _w, sec = setup
    fill(sec, teacher, {"TX1": ["8.5", "7", "6", "9"], "DK1": ["8", "7", "6", "9"],
                        "THI1": ["9", "6", "2", "V"]})
    book = submit_and_approve(sec, teacher, registrar)
    sheet = load_sheet(book)
    editable = {row.learner.full_name: sheet.cell_editable(row, sheet.columns[-1])
                for row in sheet.rows}
    assert editable == {"Nguyễn Thị Ánh": False, "Trần Văn Bình": False,
                        "Lê Hoàng Cường": True, "Phạm Thu Dung": True}
    with pytest.raises(ValidationError) as info:
        fill(sec, teacher, {"THI2": ["5"]})  # Ánh passed: no retake
    assert "does not sit" in str(info.value)
    fill(sec, teacher, {"THI2": ["", "", "5.0", "7.0"]})
    book = submit_and_approve(sec, teacher, registrar)
    assert (book.status, book.complete) == (GradebookStatus.APPROVED, True)
    cuong = ModuleResult.objects.get(enrollment__learner__full_name="Lê Hoàng Cường")
    # 0.4×6.0 + 0.6×5.0 = 5.4 D, second attempt, had to retake
    assert (cuong.score_10, cuong.letter, cuong.attempts, cuong.had_to_retake) == (
        D("5.4"), "D", 2, True)
    dung = ModuleResult.objects.get(enrollment__learner__full_name="Phạm Thu Dung")
    assert (dung.score_10, dung.attempts, dung.had_to_retake) == (D("7.8"), 1, False)


def test_return_requires_a_reason_and_reopens_entry(setup, teacher, registrar):
    _w, sec = setup
    fill(sec, teacher, {"TX1": ["8", "7", "6", "5"], "DK1": ["8", "7", "6", "5"],
                        "THI1": ["7", "6", "5", "4"]})
    gb.gradebook_submit(gradebook=sec.gradebook, by=teacher, version=1)
    with pytest.raises(DatabaseError), transaction.atomic():
        Score.objects.filter(gradebook=sec.gradebook).update(score=D("1.0"))
    with pytest.raises(ValidationError):
        gb.gradebook_return(gradebook=sec.gradebook, by=registrar, reason=" ")
    with pytest.raises(PermissionDenied):
        gb.gradebook_return(gradebook=sec.gradebook, by=teacher, reason="x")
    book = gb.gradebook_return(gradebook=sec.gradebook, by=registrar,
                               reason="Kiểm tra lại điểm thi của Dung")
    assert book.status == GradebookStatus.RETURNED
    fill(sec, teacher, {"THI1": ["7", "6", "5", "4.5"]})
    assert grid_rows(sec)[3].value("THI1").score == D("4.5")


def test_attendance_makes_a_learner_ineligible(setup, teacher):
    w, sec = setup
    book = sec.gradebook
    # MH08 has 30 theory hours: missing 10 of them leaves 20/30 < 70 %.
    sessions = [attendance_session_create(gradebook=book, by=teacher, day=date(2025, 9, d),
                                          kind="theory", hours=5) for d in (8, 9)]
    book.refresh_from_db()
    rows = grid_rows(sec)
    version, changes = attendance_marks_save(
        gradebook=book, by=teacher, base_version=book.version,
        marks=[gb.CellInput(rows[0].id, f"S{s.pk}", "KP") for s in sessions])
    assert len(changes) == 2
    fill(sec, teacher, {"TX1": ["8", "7", "6", "5"], "DK1": ["8", "7", "6", "5"]})
    row = grid_rows(sec)[0]
    assert row.eligible is False
    assert row.eligibility.reasons == ("THEORY_ATTENDANCE",)
    assert row.attendance_figures["theory_attended_hours"] == D("20")
