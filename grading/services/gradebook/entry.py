"""Entering scores: saving cells of the open session, all of them or none, merging edits of
different cells and refusing a write based on a stale version (GradebookConflict)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grading.models import Gradebook, Score
from grading.rules import require_editable, require_teacher
from grading.services.common import lock_gradebook
from grading.services.gradebook.changes import (
    CellChange,
    CellInput,
    GradebookConflict,
    cell_change,
    changes_since,
)
from grading.sheet import Column, InvalidCell, Sheet, load_sheet, parse_cell, rederive
from training.models import Section

# --- Messages (tests assert on them) --------------------------------------------------------
NOT_ON_LIST = _("Learner #%(id)s is not on the list of this section.")
UNKNOWN_COLUMN = _("The module's assessment plan has no column %(column)s.")
COLUMN_CLOSED = _("%(column)s is not open for entry in exam session %(sitting)s.")
CELL_FINAL = _("%(column)s of %(learner)s is approved: only an amendment can change it.")
EXAM_NOT_NEEDED = _("%(learner)s does not sit the exam in session %(sitting)s.")


@dataclass
class SaveResult:
    version: int
    saved: list[CellChange]
    others: list[CellChange]
    sheet: Sheet
    changed_learners: set[int] = field(default_factory=set)


def gradebook_for_section(*, section: Section) -> Gradebook:
    """The section's gradebook, created empty (draft, session 1) on first use."""
    book = Gradebook.objects.filter(section=section).first()
    if book is not None:
        return book
    with transaction.atomic():
        book, _created = Gradebook.objects.get_or_create(section=section)
    return book


def gradebook_cells_save(*, gradebook: Gradebook, by, base_version: int,
                         cells: Sequence[CellInput], replace: bool = False) -> SaveResult:
    """Save cells of the open session in one transaction: all of them or none.

    `base_version` is the gradebook version the writer last saw. `replace` (a full PUT)
    also empties every open cell that `cells` does not mention.
    """
    return gradebook_cells_write(gradebook, by=by, base_version=base_version, cells=cells,
                       replace=replace, authorize=lambda book: require_teacher(by, book))


def gradebook_cells_write(gradebook: Gradebook, *, by, base_version: int | None,
                          cells: Sequence[CellInput], replace: bool = False,
                          authorize=None, allow=None, by_name: str | None = None) -> SaveResult:
    """The one path of every cell write — the teacher's (`gradebook_cells_save`) and the
    internship mentor's (grading.services.internships): parse, lock, check who
    (`authorize`) and what (`allow(row, column)` → a refusal or None), merge by version,
    write.

    `base_version=None` writes on the version read under the lock (a writer that saw no
    sheet, like an enterprise mentor: it never conflicts, history keeps what it replaced).
    """
    parsed, errors = _parse(cells)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        book = lock_gradebook(gradebook)
        if authorize is not None:
            authorize(book)
        require_editable(book)
        sheet = load_sheet(book)
        if base_version is None:
            base_version = book.version
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
            if problem is None and allow is not None:
                problem = allow(row, column)
            if problem:
                errors.setdefault(key, []).append(problem)
                continue
            cell = row.cells[column.code]
            if cell.stored == value:
                continue
            if cell.version > base_version:
                conflicts.append(cell_change(row, cell))
                continue
            writes.append((row, column, value))
        if errors:
            raise ValidationError(errors)
        if conflicts:
            raise GradebookConflict(version=book.version, changes=conflicts)
        saved = _write_cells(book, by, writes, by_name=by_name)
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


def _write_cells(book: Gradebook, by, writes, *, by_name: str | None = None
                 ) -> list[CellChange]:
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
    name = by_name if by_name is not None else (by.get_full_name() if by else "")
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
