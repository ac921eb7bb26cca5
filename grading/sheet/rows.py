"""The grid's data: a Sheet of Rows, each Row a learner's Cells (stored value, lock, version,
amendments), attendance and what the regulation derives for them (filled by `derive`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from grading import regulation
from grading.models import (
    AmendmentStatus,
    AttendanceSession,
    EligibilityWaiver,
    Gradebook,
)
from grading.sheet.cells import EMPTY, REASON_LABELS, CellValue, Column
from training.models import Section, SectionLearner, SectionLearnerSource


@dataclass
class AmendmentInfo:
    id: int
    old: CellValue
    new: CellValue
    status: str
    reason: str
    requested_by: str
    decided_by: str
    decided_at: object
    requested_at: object


@dataclass
class Cell:
    column: Column
    stored: CellValue = EMPTY
    locked: bool = False
    version: int = 0
    updated_by: str = ""
    updated_at: object = None
    amendments: list[AmendmentInfo] = field(default_factory=list)

    @property
    def value(self) -> CellValue:
        """The effective value: the latest approved amendment's, else the stored one."""
        approved = [a for a in self.amendments if a.status == AmendmentStatus.APPROVED]
        return approved[-1].new if approved else self.stored

    @property
    def amended(self) -> bool:
        return any(a.status == AmendmentStatus.APPROVED for a in self.amendments)

    @property
    def pending_amendment(self) -> AmendmentInfo | None:
        return next((a for a in self.amendments if a.status == AmendmentStatus.REQUESTED), None)

    @property
    def is_final(self) -> bool:
        """Approved: changed only by an amendment."""
        return self.locked or self.amended


@dataclass
class Attendance:
    theory_absent: Decimal = Decimal(0)
    practice_excused: Decimal = Decimal(0)
    practice_unexcused: Decimal = Decimal(0)
    excused_made_up: bool = True


@dataclass
class Row:
    section_learner: SectionLearner
    class_code: str
    cells: dict[str, Cell]
    attendance: Attendance
    waiver: EligibilityWaiver | None
    checks_average: Decimal | None = None
    checks_missing: int = 0
    eligibility: regulation.ExamEligibility | None = None
    attendance_figures: dict = field(default_factory=dict)
    sittings: list[str] = field(default_factory=list)
    preview: regulation.ModuleResult | None = None
    needs: dict[int, bool] = field(default_factory=dict)
    final_only: bool = False
    improvement_sittings: set[int] = field(default_factory=set)

    @property
    def id(self) -> int:
        return self.section_learner.pk

    @property
    def learner(self):
        return self.section_learner.enrollment.learner

    @property
    def is_improvement(self) -> bool:
        return self.section_learner.source == SectionLearnerSource.IMPROVEMENT

    @property
    def eligible(self) -> bool | None:
        return None if self.eligibility is None else self.eligibility.eligible

    @property
    def reason_labels(self) -> list[str]:
        if self.eligibility is None:
            return []
        return [str(REASON_LABELS[code]) for code in self.eligibility.reasons]

    def value(self, code: str) -> CellValue:
        """The cell's effective value; only approved values when the row is `final_only`."""
        cell = self.cells.get(code)
        if cell is None or (self.final_only and not cell.is_final):
            return EMPTY
        return cell.value

    def needs_sitting(self, sitting: int) -> bool:
        return self.needs.get(sitting, False)


@dataclass
class Sheet:
    gradebook: Gradebook
    section: Section
    columns: list[Column]
    rows: list[Row]
    sessions: list[AttendanceSession]
    rules: regulation.GradingRules

    @property
    def module(self):
        return self.section.module

    @property
    def sitting(self) -> int:
        return self.gradebook.sitting

    @property
    def check_columns(self) -> list[Column]:
        return [c for c in self.columns if not c.is_exam]

    @property
    def exam_columns(self) -> list[Column]:
        return [c for c in self.columns if c.is_exam]

    def column_editable(self, column: Column) -> bool:
        """The column is open for entry in the current session while the book is editable."""
        return self.gradebook.is_editable and column.sitting == self.sitting

    def cell_editable(self, row: Row, column: Column) -> bool:
        if not self.column_editable(column):
            return False
        cell = row.cells.get(column.code)
        if cell is not None and cell.is_final:
            return False
        # The exam of a later session is for those who need it (a retake, a postponed exam).
        return not (column.is_exam and column.number > 1 and not row.needs_sitting(column.number)
                    and row.value(column.code).is_empty)

    def row(self, section_learner_id: int) -> Row | None:
        return self._by_id.get(section_learner_id)

    def __post_init__(self):
        self._by_id = {row.id: row for row in self.rows}

