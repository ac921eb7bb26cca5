"""Submission, return and approval of a gradebook's open exam session, and the opening of
the next session when some learner needs it (a retake or a postponed exam)."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grading.models import (
    AttendanceMark,
    AttendanceSession,
    Gradebook,
    GradebookLog,
    GradebookStatus,
    Score,
)
from grading.models.assessment import MAX_SITTINGS
from grading.rules import require_editable, require_office, require_teacher
from grading.services.common import lock_gradebook, log_action
from grading.services.gradebook.changes import GradebookConflict, changes_since
from grading.services.results import results_recompute, rounds_refresh
from grading.sheet import Column, Sheet, load_sheet, needs_sitting, rederive
from training.models import AssessmentKind

# --- Messages (tests assert on them) --------------------------------------------------------
STALE_SUBMIT = _("The gradebook changed after you opened the summary: %(changes)s. Review it "
                 "again before submitting.")
NOT_SUBMITTED = _("Only a submitted gradebook can be approved or returned.")
RETURN_REASON_REQUIRED = _("Say why the gradebook is returned.")
NO_LEARNERS = _("The section has no learners.")
MISSING_CHECK = _("%(learner)s: %(column)s is empty.")
NO_COUNTED_CHECK = _("%(learner)s: every check is marked absent with permission; at least one "
                     "check must be taken (make-up check) before the exam.")
MISSING_EXAM = _("%(learner)s: the exam result of session %(sitting)s is empty (enter a score, "
                 "V or KP).")
INELIGIBLE_WITH_EXAM = _("%(learner)s is not eligible to sit the exam (%(reasons)s) but has an "
                         "exam result in session %(sitting)s.")
SUBMISSION_PROBLEMS = _("The gradebook cannot be submitted yet: %(count)s problem(s).")


@dataclass(frozen=True)
class Problem:
    learner: int | None
    column: str
    message: str


def session_columns(sheet: Sheet) -> list[Column]:
    """The columns the current session's approval locks."""
    return [c for c in sheet.columns if c.sitting == sheet.sitting]


def submission_problems(sheet: Sheet) -> list[Problem]:
    """Everything that keeps the open session from being submitted, learner by learner."""
    if not sheet.rows:
        return [Problem(None, "", str(NO_LEARNERS))]
    problems = []
    sitting = sheet.sitting
    exam_code = Column.of(AssessmentKind.EXAM, sitting).code
    for row in sheet.rows:
        name = row.learner.full_name
        if sitting == 1:
            for column in sheet.check_columns:
                if row.value(column.code).is_empty:
                    problems.append(Problem(row.id, column.code, str(MISSING_CHECK % {
                        "learner": name, "column": column.label})))
            if not row.checks_missing and row.checks_average is None:
                problems.append(Problem(row.id, "", str(NO_COUNTED_CHECK % {"learner": name})))
        if row.checks_missing and sitting == 1:
            continue
        has_exam = not row.value(exam_code).is_empty
        if row.eligible is False and has_exam:
            problems.append(Problem(row.id, exam_code, str(INELIGIBLE_WITH_EXAM % {
                "learner": name, "reasons": ", ".join(row.reason_labels), "sitting": sitting})))
        elif needs_sitting(row, sitting, sheet.rules) and not has_exam:
            problems.append(Problem(row.id, exam_code, str(MISSING_EXAM % {
                "learner": name, "sitting": sitting})))
    return problems


def summary(sheet: Sheet) -> dict:
    """What the teacher confirms before submitting and the office sees before approving."""
    rows = sheet.rows
    exam_code = Column.of(AssessmentKind.EXAM, sheet.sitting).code
    letters: dict[str, int] = {}
    for row in rows:
        if row.preview and row.preview.letter:
            letters[row.preview.letter] = letters.get(row.preview.letter, 0) + 1
    sitting_rows = [row for row in rows if needs_sitting(row, sheet.sitting, sheet.rules)]
    return {
        "learners": len(rows),
        "sitting": sheet.sitting,
        "sitting_learners": len(sitting_rows),
        "ineligible": [row for row in rows if row.eligible is False],
        "absent_excused": sum(1 for row in rows if row.value(exam_code).mark == "V"),
        "absent_unexcused": sum(1 for row in rows if row.value(exam_code).mark == "KP"),
        "passed": sum(1 for row in rows if row.preview and row.preview.passed),
        "failed": sum(1 for row in rows if row.preview and not row.preview.passed
                      and row.preview.attempts),
        "letters": [(letter, letters.get(letter, 0)) for letter in "ABCDF"],
        "problems": submission_problems(sheet),
    }


def gradebook_submit(*, gradebook: Gradebook, by, version: int) -> Gradebook:
    """The teacher submits the open session for approval, as last seen (`version`)."""
    with transaction.atomic():
        book = lock_gradebook(gradebook)
        require_teacher(by, book)
        require_editable(book)
        sheet = load_sheet(book)
        if book.version != version:
            raise GradebookConflict(version=book.version, changes=changes_since(sheet, version),
                                    message=STALE_SUBMIT)
        problems = submission_problems(sheet)
        if problems:
            raise ValidationError(
                [ValidationError(SUBMISSION_PROBLEMS, code="incomplete",
                                 params={"count": len(problems)})]
                + [ValidationError(problem.message) for problem in problems])
        _set_status(book, GradebookStatus.SUBMITTED, by)
        log_action(book, GradebookLog.SUBMITTED, by)
    return book


def gradebook_return(*, gradebook: Gradebook, by, reason: str) -> Gradebook:
    """The training office sends a submitted session back to the teacher, saying why."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": ValidationError(RETURN_REASON_REQUIRED,
                                                         code="required")})
    with transaction.atomic():
        book = lock_gradebook(gradebook)
        require_office(by)
        if book.status != GradebookStatus.SUBMITTED:
            raise ValidationError(NOT_SUBMITTED, code="not_submitted")
        book.return_reason = reason
        _set_status(book, GradebookStatus.RETURNED, by)
        log_action(book, GradebookLog.RETURNED, by, reason)
    return book


def gradebook_approve(*, gradebook: Gradebook, by, note: str = "") -> Gradebook:
    """Approve the submitted session: lock it, compute rounds and results, open the retake
    session if someone needs it — all in one transaction, on one read of the gradebook."""
    with transaction.atomic():
        book = lock_gradebook(gradebook)
        require_office(by)
        if book.status != GradebookStatus.SUBMITTED:
            raise ValidationError(NOT_SUBMITTED, code="not_submitted")
        # One extra exam column: what open_next_sitting looks at after the approval.
        sheet = load_sheet(book, extra_sittings=1)
        problems = submission_problems(sheet)
        if problems:
            raise ValidationError([ValidationError(p.message) for p in problems])
        _lock_session(book, sheet)
        log_action(book, GradebookLog.APPROVED, by, note)
        enrollment_ids = rounds_refresh(gradebook=book, sheet=sheet)
        results_recompute(enrollment_ids=enrollment_ids, by=by)
        book.return_reason = ""
        _set_status(book, GradebookStatus.APPROVED, by)
        open_next_sitting(book, by=by, sheet=sheet)
    return book


def _lock_session(book: Gradebook, sheet: Sheet) -> None:
    """Lock the open session's cells (the database refuses any later change) and show the
    lock on the loaded sheet, which from then on reads approved values only."""
    columns = session_columns(sheet)
    in_session = Q()
    for column in columns:
        in_session |= Q(kind=column.kind, number=column.number)
    unlocked = Score.objects.filter(in_session, gradebook=book, locked=False)
    unlocked.filter(score__isnull=True, mark="").delete()
    unlocked.update(locked=True)
    if book.sitting == 1:
        AttendanceSession.objects.filter(gradebook=book).update(locked=True)
        AttendanceMark.objects.filter(session__gradebook=book).update(locked=True)
    for row in sheet.rows:
        for column in columns:
            cell = row.cells[column.code]
            if not cell.stored.is_empty:
                cell.locked = True
    rederive(sheet, sheet.rows, final_only=True)


def open_next_sitting(book: Gradebook, *, by, sheet: Sheet | None = None) -> bool:
    """After an approval (or an amendment), open the next exam session when some learner
    needs it (a retake or a postponed exam); otherwise mark the book complete.

    `sheet` is the caller's approved-values view of the book, when it has one."""
    if book.status != GradebookStatus.APPROVED:
        return False
    if sheet is None:
        sheet = load_sheet(book, final_only=True, extra_sittings=1)
    following = book.sitting + 1
    waiting = any(needs_sitting(row, following, sheet.rules) for row in sheet.rows)
    if waiting and following <= MAX_SITTINGS:
        book.sitting = following
        book.complete = False
        _set_status(book, GradebookStatus.DRAFT, by)
        log_action(book, GradebookLog.SITTING_OPENED, by)
        return True
    complete = not any(needs_sitting(row, following, sheet.rules) for row in sheet.rows)
    if book.complete != complete:
        book.complete = complete
        book.save(update_fields=["complete", "updated_at"])
    return False


def _set_status(book: Gradebook, status: str, by) -> None:
    book.status = status
    book.status_changed_at = timezone.now()
    book.status_changed_by = by
    book.version += 1
    book.save(update_fields=["status", "status_changed_at", "status_changed_by", "version",
                             "return_reason", "sitting", "complete", "updated_at"])
