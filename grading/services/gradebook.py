"""Score entry and the gradebook workflow (REGULATIONS §1; docs/grading.md).

draft ─save cells─▶ draft ─submit─▶ submitted ─approve─▶ approved (locked)
                                        └──return──▶ returned ─save/submit─▶ …

Each use case is one transaction. Writes lock the gradebook row (SELECT … FOR UPDATE) and
raise its version; a cell written at a version newer than the one the writer loaded is a
conflict (GradebookConflict → HTTP 409) unless it already holds the same value, so two tabs
never silently overwrite each other, while edits of different cells merge.

Approval locks the session's rows (the database refuses any later change), computes the
study rounds and every affected result in the same transaction, and opens the retake
session when some learner needs one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import APIException

from grading.models import (
    AttendanceMark,
    AttendanceSession,
    Gradebook,
    GradebookLog,
    GradebookStatus,
    ImprovementSitting,
    Score,
)
from grading.models.assessment import MAX_SITTINGS
from grading.rules import require_editable, require_office, require_teacher
from grading.services.common import lock_gradebook, log_action
from grading.services.results import results_recompute, rounds_refresh
from grading.sheet import (
    Column,
    InvalidCell,
    Sheet,
    load_sheet,
    needs_sitting,
    parse_cell,
    rederive,
)
from training.models import AssessmentKind, Section, SectionLearner
from vetschool.decisions import DECISION_REQUIRED

# --- Messages (tests assert on them) --------------------------------------------------------
NOT_ON_LIST = _("Learner #%(id)s is not on the list of this section.")
UNKNOWN_COLUMN = _("The module's assessment plan has no column %(column)s.")
COLUMN_CLOSED = _("%(column)s is not open for entry in exam session %(sitting)s.")
CELL_FINAL = _("%(column)s of %(learner)s is approved: only an amendment can change it.")
EXAM_NOT_NEEDED = _("%(learner)s does not sit the exam in session %(sitting)s.")
CONFLICT = _("Someone else changed this gradebook after you opened it: %(changes)s. Their "
             "values are now shown; check them and enter yours again if needed.")
STALE_SUBMIT = _("The gradebook changed after you opened the summary: %(changes)s. Review it "
                 "again before submitting.")
NOT_SUBMITTED = _("Only a submitted gradebook can be approved or returned.")
IMPROVEMENT_NOT_PASSED = _("%(learner)s has not passed this module in this section: a retake or "
                           "re-study applies, not an improvement.")
IMPROVEMENT_NO_SESSION = _("No exam session is left in this gradebook for an improvement.")
IMPROVEMENT_EXISTS = _("%(learner)s already may sit the exam of session %(sitting)s.")
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
class CellInput:
    """One cell as a client sends it: section learner id, column code (TX1, DK2, THI1), text."""

    learner: int
    column: str
    value: object


@dataclass(frozen=True)
class CellChange:
    learner: int
    learner_name: str
    column: str
    column_label: str
    value: str
    by: str
    at: object
    version: int

    def describe(self) -> str:
        value = self.value or _t("(empty)")
        return f"{self.learner_name} {self.column_label} = {value} ({self.by})"

    def as_json(self) -> dict:
        return {"learner": self.learner, "learner_name": self.learner_name,
                "column": self.column, "value": self.value, "by": self.by,
                "at": self.at.isoformat() if self.at else None, "version": self.version}


class GradebookConflict(APIException):
    """Raised when a write is based on a version older than a changed cell: an HTTP 409 in
    the API's one error shape (vetschool.api), with the book's version and the changes."""

    status_code = 409
    default_code = "conflict"

    def __init__(self, *, version: int, changes: list[CellChange], message=CONFLICT):
        self.version = version
        self.changes = changes
        listed = "; ".join(change.describe() for change in changes[:10])
        if len(changes) > 10:
            listed += " …"
        super().__init__(str(message % {"changes": listed}), code=self.default_code)

    @property
    def message(self) -> str:
        return str(self.detail)

    @property
    def extra_fields(self) -> dict:
        return {"version": self.version, "changes": [c.as_json() for c in self.changes]}


@dataclass
class SaveResult:
    version: int
    saved: list[CellChange]
    others: list[CellChange]
    sheet: Sheet
    changed_learners: set[int] = field(default_factory=set)


@dataclass(frozen=True)
class Problem:
    learner: int | None
    column: str
    message: str


# =============================================================================
# Gradebook rows
# =============================================================================


def gradebook_for_section(*, section: Section) -> Gradebook:
    """The section's gradebook, created empty (draft, session 1) on first use."""
    book = Gradebook.objects.filter(section=section).first()
    if book is not None:
        return book
    with transaction.atomic():
        book, _created = Gradebook.objects.get_or_create(section=section)
    return book


def changes_since(sheet: Sheet, version: int, *, exclude=frozenset()) -> list[CellChange]:
    """The cells written after `version` (by anyone), for a client to catch up."""
    out = []
    for row in sheet.rows:
        for code, cell in row.cells.items():
            if cell.version > version and (row.id, code) not in exclude:
                out.append(_change(row, cell))
    return sorted(out, key=lambda change: change.version)


def _change(row, cell) -> CellChange:
    return CellChange(row.id, row.learner.full_name, cell.column.code, cell.column.label,
                      cell.stored.text, cell.updated_by, cell.updated_at, cell.version)


# =============================================================================
# Entering scores
# =============================================================================


def gradebook_cells_save(*, gradebook: Gradebook, by, base_version: int,
                         cells: Sequence[CellInput], replace: bool = False) -> SaveResult:
    """Save cells of the open session in one transaction: all of them or none.

    `base_version` is the gradebook version the writer last saw. `replace` (a full PUT)
    also empties every open cell that `cells` does not mention.
    """
    parsed, errors = _parse(cells)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        book = lock_gradebook(gradebook)
        require_teacher(by, book)
        require_editable(book)
        sheet = load_sheet(book)
        if replace:
            mentioned = {(learner, column.code) for learner, column, _value in parsed}
            parsed += [(row.id, column, parse_cell(""))
                       for row in sheet.rows for column in sheet.columns
                       if (row.id, column.code) not in mentioned
                       and sheet.cell_editable(row, column)]
        writes, conflicts = [], []
        for learner_id, column, value in parsed:
            key = f"{learner_id}:{column.code}"
            row = sheet.row(learner_id)
            problem = _cell_problem(sheet, row, column, value, learner_id)
            if problem:
                errors.setdefault(key, []).append(problem)
                continue
            cell = row.cells[column.code]
            if cell.stored == value:
                continue
            if cell.version > base_version:
                conflicts.append(_change(row, cell))
                continue
            writes.append((row, column, value))
        if errors:
            raise ValidationError(errors)
        if conflicts:
            raise GradebookConflict(version=book.version, changes=conflicts)
        saved = _write_cells(book, by, writes)
        _show_writes(sheet, writes, saved)
        written = {(change.learner, change.column) for change in saved}
        others = changes_since(sheet, base_version, exclude=written)
    return SaveResult(book.version, saved, others, sheet,
                      {change.learner for change in saved} | {c.learner for c in others})


def _parse(cells: Sequence[CellInput]):
    parsed, errors = [], {}
    for cell in cells:
        key = f"{cell.learner}:{cell.column}"
        try:
            column = Column.from_code(str(cell.column))
            learner = int(cell.learner)
        except (KeyError, TypeError, ValueError):
            errors.setdefault(key, []).append(
                ValidationError(UNKNOWN_COLUMN, params={"column": cell.column}))
            continue
        try:
            parsed.append((learner, column, parse_cell(cell.value)))
        except InvalidCell as exc:
            errors.setdefault(key, []).append(ValidationError(str(exc), code="invalid_score"))
    return parsed, errors


def _cell_problem(sheet: Sheet, row, column: Column, value, learner_id: int):
    if row is None:
        return ValidationError(NOT_ON_LIST, code="not_on_list", params={"id": learner_id})
    cell = row.cells.get(column.code)
    if cell is None:
        return ValidationError(UNKNOWN_COLUMN, code="unknown_column",
                               params={"column": column.label})
    if cell.is_final:
        return ValidationError(CELL_FINAL, code="final",
                               params={"column": column.label, "learner": row.learner.full_name})
    if not sheet.column_editable(column):
        return ValidationError(COLUMN_CLOSED, code="column_closed",
                               params={"column": column.label, "sitting": sheet.sitting})
    if (column.is_exam and column.number > 1 and not value.is_empty
            and not row.needs_sitting(column.number)):
        return ValidationError(EXAM_NOT_NEEDED, code="exam_not_needed",
                               params={"learner": row.learner.full_name,
                                       "sitting": column.number})
    return None


def _write_cells(book: Gradebook, by, writes) -> list[CellChange]:
    if not writes:
        return []
    book.version += 1
    now = timezone.now()
    Score.objects.bulk_create(
        [Score(gradebook=book, section_learner_id=row.id, kind=column.kind,
               number=column.number, score=value.score, mark=value.mark, version=book.version,
               updated_by=by, updated_at=now)
         for row, column, value in writes],
        update_conflicts=True, unique_fields=["section_learner", "kind", "number"],
        update_fields=["score", "mark", "version", "updated_by", "updated_at"],
    )
    book.save(update_fields=["version", "updated_at"])
    name = by.get_full_name() if by else ""
    return [CellChange(row.id, row.learner.full_name, column.code, column.label, value.text,
                       name, now, book.version) for row, column, value in writes]


def _show_writes(sheet: Sheet, writes, saved: list[CellChange]) -> None:
    """Put the written values on the sheet already loaded, as a second load would read them,
    and derive the changed rows again."""
    for (row, column, value), change in zip(writes, saved, strict=True):
        cell = row.cells[column.code]
        cell.stored, cell.version = value, change.version
        cell.updated_by, cell.updated_at = change.by, change.at
    rederive(sheet, list({row.id: row for row, _column, _value in writes}.values()))


# =============================================================================
# Submission, return, approval
# =============================================================================


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


def improvement_sitting_grant(*, section_learner: SectionLearner, by, decision_number: str,
                              reason: str = "") -> ImprovementSitting:
    """Let a learner who passed sit the exam again in this section to improve (REGULATIONS
    §1.7, with the principal's approval): at the open session if it is a later one, else at
    the next session, opened now if the gradebook was complete."""
    decision_number = (decision_number or "").strip()
    if not decision_number:
        raise ValidationError({"decision_number": ValidationError(DECISION_REQUIRED,
                                                                  code="required")})
    with transaction.atomic():
        book = lock_gradebook(section_learner.section.gradebook)
        require_office(by)
        sheet = load_sheet(book, final_only=True)
        row = sheet.row(section_learner.pk)
        name = section_learner.enrollment.learner.full_name
        if row is None or row.preview is None or not row.preview.passed:
            raise ValidationError(IMPROVEMENT_NOT_PASSED, code="not_passed",
                                  params={"learner": name})
        opened_now = book.status == GradebookStatus.APPROVED
        sitting = book.sitting + 1 if opened_now or book.sitting == 1 else book.sitting
        if sitting > MAX_SITTINGS:
            raise ValidationError(IMPROVEMENT_NO_SESSION, code="no_session")
        if ImprovementSitting.objects.filter(section_learner=section_learner,
                                             sitting=sitting).exists():
            raise ValidationError(IMPROVEMENT_EXISTS, code="exists",
                                  params={"learner": name, "sitting": sitting})
        grant = ImprovementSitting.objects.create(
            section_learner=section_learner, sitting=sitting, decision_number=decision_number,
            reason=(reason or "").strip(), granted_by=by)
        if opened_now:
            open_next_sitting(book, by=by)
        else:
            book.version += 1
            book.save(update_fields=["version", "updated_at"])
    return grant
