"""The gradebook as the grid shows it: columns, cells with their effective values, and what
the regulation derives per learner (checks average, exam eligibility and its reasons, the
provisional module score and which exam session each learner needs).

`load_sheet()` reads a section's gradebook in a constant number of queries whatever the
number of learners; the grid page, the API, XLSX export, submission checks and approval all
read through it, so they can never disagree on what a cell holds.

Cell text (docs/grading.md, "Reason codes"): a score 0–10 with at most one decimal ("8.5",
"8,5" and "8.50" are the same score), `V` (absent with permission, vắng có phép) or `KP`
(absent without permission, vắng không phép); empty clears the cell.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from grading import regulation
from grading.config import grading_rules
from grading.models import (
    Amendment,
    AmendmentStatus,
    AttendanceKind,
    AttendanceMark,
    AttendanceSession,
    AttendanceStatus,
    EligibilityWaiver,
    Gradebook,
    ImprovementSitting,
    Score,
    ScoreMark,
)
from grading.models.assessment import MAX_SITTINGS
from training.models import (
    AssessmentKind,
    ClassMembership,
    Section,
    SectionLearner,
    SectionLearnerSource,
    default_check_counts,
)

# --- Messages ------------------------------------------------------------------------------
INVALID_CELL = _(
    "“%(value)s” is not a score: enter 0 to 10 with at most one decimal (e.g. 7.5), "
    "V (absent with permission) or KP (absent without permission)."
)
UNKNOWN_COLUMN = _("Unknown column “%(code)s”.")

REASON_LABELS = {
    regulation.THEORY_ATTENDANCE: _("theory attendance below 70 %"),
    regulation.PRACTICE_ATTENDANCE: _("practice absences (unexcused, ≥ 15 % or not made up)"),
    regulation.CHECKS_AVERAGE: _("checks average below 5.0"),
}

CODE_PREFIX = {AssessmentKind.CONTINUOUS: "TX", AssessmentKind.PERIODIC: "DK",
               AssessmentKind.EXAM: "THI"}
PREFIX_KIND = {"TX": AssessmentKind.CONTINUOUS, "DK": AssessmentKind.PERIODIC,
               "ĐK": AssessmentKind.PERIODIC, "THI": AssessmentKind.EXAM}
_CODE = re.compile(r"^(TX|DK|ĐK|THI)\s*([1-9][0-9]?)$", re.IGNORECASE)
_SCORE_TEXT = re.compile(r"^[0-9]{1,2}([.,][0-9]+)?$")
MARK_ALIASES = {"V": ScoreMark.EXCUSED, "KP": ScoreMark.UNEXCUSED}
SITTING_MARK = {ScoreMark.EXCUSED: regulation.ABSENT_EXCUSED,
                ScoreMark.UNEXCUSED: regulation.ABSENT_UNEXCUSED}


class InvalidCell(ValueError):
    def __init__(self, text: str):
        super().__init__(str(INVALID_CELL % {"value": text}))
        self.text = text


@dataclass(frozen=True, order=True)
class Column:
    """A column of the grid: continuous check n (TX n), periodic check n (ĐK n) or the exam
    at session n (THI n: 1 main, 2 retake)."""

    order: int
    kind: str
    number: int

    @classmethod
    def of(cls, kind: str, number: int) -> Column:
        order = {AssessmentKind.CONTINUOUS: 0, AssessmentKind.PERIODIC: 1,
                 AssessmentKind.EXAM: 2}[kind]
        return cls(order, str(kind), number)

    @classmethod
    def from_code(cls, code: str) -> Column:
        match = _CODE.match((code or "").strip())
        if not match:
            raise KeyError(str(UNKNOWN_COLUMN % {"code": code}))
        return cls.of(PREFIX_KIND[match.group(1).upper()], int(match.group(2)))

    @property
    def code(self) -> str:
        return f"{CODE_PREFIX[self.kind]}{self.number}"

    @property
    def label(self) -> str:
        if self.kind == AssessmentKind.EXAM:
            return str(_("Exam %(n)s") % {"n": self.number})
        return f"{'TX' if self.kind == AssessmentKind.CONTINUOUS else 'ĐK'}{self.number}"

    @property
    def title(self) -> str:
        if self.kind == AssessmentKind.CONTINUOUS:
            return str(_("Continuous check %(n)s") % {"n": self.number})
        if self.kind == AssessmentKind.PERIODIC:
            return str(_("Periodic check %(n)s") % {"n": self.number})
        if self.number == 1:
            return str(_("Final exam, main session"))
        return str(_("Final exam, session %(n)s (retake)") % {"n": self.number})

    @property
    def is_exam(self) -> bool:
        return self.kind == AssessmentKind.EXAM

    @property
    def sitting(self) -> int:
        """The exam session whose approval locks this column."""
        return self.number if self.is_exam else 1


@dataclass(frozen=True)
class CellValue:
    score: Decimal | None = None
    mark: str = ""

    @property
    def is_empty(self) -> bool:
        return self.score is None and not self.mark

    @property
    def text(self) -> str:
        return self.mark or ("" if self.score is None else f"{self.score:.1f}")

    def as_sitting(self) -> str | None:
        """The value as an exam sitting for grading.regulation (None when empty)."""
        if self.mark:
            return SITTING_MARK[self.mark]
        return None if self.score is None else str(self.score)


EMPTY = CellValue()


def parse_cell(text, *, rules: regulation.GradingRules | None = None) -> CellValue:
    """A cell's text → CellValue; InvalidCell when it is neither a score nor a reason code."""
    rules = rules or grading_rules()
    if text is None:
        return EMPTY
    raw = str(text).strip()
    if not raw:
        return EMPTY
    mark = MARK_ALIASES.get(raw.upper())
    if mark:
        return CellValue(mark=mark)
    if not _SCORE_TEXT.match(raw):
        raise InvalidCell(raw)
    try:
        score = regulation.validate_score(raw.replace(",", "."), rules=rules)
    except regulation.InvalidScore as exc:
        raise InvalidCell(raw) from exc
    return CellValue(score=score)


def check_counts(module, plan_lines) -> tuple[int, int]:
    """(continuous, periodic) checks of the module's assessment plan; the college default by
    credits when the plan names none (REGULATIONS §1.3)."""
    counts = {line.kind: line.count for line in plan_lines}
    continuous = counts.get(AssessmentKind.CONTINUOUS, 0)
    periodic = counts.get(AssessmentKind.PERIODIC, 0)
    if not continuous and not periodic:
        return default_check_counts(module.credits)
    return continuous, periodic


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


_ALPHABET = ["a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "f", "g", "h", "i", "j", "k", "l",
             "m", "n", "o", "ô", "ơ", "p", "q", "r", "s", "t", "u", "ư", "v", "w", "x", "y", "z"]
_RANK = {letter: rank for rank, letter in enumerate(_ALPHABET)}
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


def _collate(word: str) -> tuple[tuple, tuple]:
    """Vietnamese alphabetical order: letters (a ă â b c d đ …) first, tones second."""
    letters, tones = [], []
    for char in word.casefold():
        base, *marks = unicodedata.normalize("NFD", char)
        tone = next((_TONES[m] for m in marks if m in _TONES), 0)
        letter = unicodedata.normalize("NFC", base + "".join(m for m in marks
                                                             if m not in _TONES))
        letters.append(_RANK.get(letter, 100 + ord(letter[0])))
        tones.append(tone)
    return tuple(letters), tuple(tones)


def vietnamese_sort_key(full_name: str) -> tuple:
    """Class lists sort by given name (the last word), then family and middle names."""
    parts = full_name.split()
    given = _collate(parts[-1]) if parts else ((), ())
    rest = [_collate(part) for part in parts[:-1]]
    return (given[0], [r[0] for r in rest], given[1], [r[1] for r in rest])


def load_sheet(gradebook: Gradebook, *, section: Section | None = None,
               rules: regulation.GradingRules | None = None, final_only: bool = False,
               extra_sittings: int = 0) -> Sheet:
    """Read a gradebook with everything the grid needs, in a constant number of queries.

    `final_only` derives everything from approved values alone (what results are computed
    from); `extra_sittings` adds that many exam columns after the last one in use.
    """
    rules = rules or grading_rules()
    section = section or (
        Section.objects.select_related("module", "semester__school_year")
        .prefetch_related("module__assessment_plan", "classes")
        .get(pk=gradebook.section_id)
    )
    module = section.module
    learners = list(
        SectionLearner.objects.filter(section=section, removed_at__isnull=True)
        .select_related("enrollment__learner")
    )
    enrollment_ids = [sl.enrollment_id for sl in learners]
    class_codes = dict(
        ClassMembership.objects.filter(enrollment_id__in=enrollment_ids, to_date__isnull=True)
        .values_list("enrollment_id", "homeroom_class__code")
    )
    scores = list(Score.objects.filter(gradebook=gradebook).select_related("updated_by"))
    amendments = list(
        Amendment.objects.filter(gradebook=gradebook)
        .exclude(status__in=[AmendmentStatus.REJECTED, AmendmentStatus.WITHDRAWN])
        .select_related("requested_by", "decided_by").order_by("decided_at", "id")
    )
    sessions = list(
        AttendanceSession.objects.filter(gradebook=gradebook).prefetch_related(
            Prefetch("marks", queryset=AttendanceMark.objects.exclude(
                status=AttendanceStatus.PRESENT))
        )
    )
    waivers = {w.section_learner_id: w for w in
               EligibilityWaiver.objects.filter(section_learner__in=[sl.pk for sl in learners])}
    improvements = defaultdict(set)
    for sl_id, sitting in ImprovementSitting.objects.filter(
            section_learner__section=section).values_list("section_learner_id", "sitting"):
        improvements[sl_id].add(sitting)

    continuous, periodic = check_counts(module, section.module.assessment_plan.all())
    columns = [Column.of(AssessmentKind.CONTINUOUS, n) for n in range(1, continuous + 1)]
    columns += [Column.of(AssessmentKind.PERIODIC, n) for n in range(1, periodic + 1)]
    last_exam = max([gradebook.sitting]
                    + [s.number for s in scores if s.kind == AssessmentKind.EXAM]
                    + [a.number for a in amendments if a.kind == AssessmentKind.EXAM]
                    + [n for ns in improvements.values() for n in ns])
    last_exam = min(last_exam + extra_sittings, MAX_SITTINGS)
    columns += [Column.of(AssessmentKind.EXAM, n) for n in range(1, last_exam + 1)]

    cells: dict[tuple[int, str], Cell] = {}
    for score in scores:
        column = Column.of(score.kind, score.number)
        cells[(score.section_learner_id, column.code)] = Cell(
            column, CellValue(score.score, score.mark), score.locked, score.version,
            score.updated_by.get_full_name() if score.updated_by else "", score.updated_at,
        )
    for amendment in amendments:
        column = Column.of(amendment.kind, amendment.number)
        cell = cells.setdefault((amendment.section_learner_id, column.code), Cell(column))
        cell.amendments.append(AmendmentInfo(
            amendment.pk, CellValue(amendment.old_score, amendment.old_mark),
            CellValue(amendment.new_score, amendment.new_mark), amendment.status,
            amendment.reason, amendment.requested_by.get_full_name(),
            amendment.decided_by.get_full_name() if amendment.decided_by else "",
            amendment.decided_at, amendment.requested_at,
        ))

    attendance: dict[int, Attendance] = defaultdict(Attendance)
    for session in sessions:
        for mark in session.marks.all():
            figures = attendance[mark.section_learner_id]
            if session.kind == AttendanceKind.THEORY:
                figures.theory_absent += mark.absent_hours
            elif mark.status == AttendanceStatus.UNEXCUSED:
                figures.practice_unexcused += mark.absent_hours
            else:
                figures.practice_excused += mark.absent_hours
                figures.excused_made_up = figures.excused_made_up and mark.made_up

    rows = []
    for sl in sorted(learners, key=lambda sl: vietnamese_sort_key(sl.enrollment.learner.full_name)):
        row_cells = {column.code: cells.get((sl.pk, column.code), Cell(column))
                     for column in columns}
        row = Row(sl, class_codes.get(sl.enrollment_id, ""), row_cells, attendance[sl.pk],
                  waivers.get(sl.pk), final_only=final_only,
                  improvement_sittings=improvements.get(sl.pk, set()))
        derive(row, columns, module, rules)
        rows.append(row)
    return Sheet(gradebook, section, columns, rows, sessions, rules)


def rederive(sheet: Sheet, rows, *, final_only: bool | None = None) -> None:
    """Derive `rows` again after their cells changed in memory (a save, an approval's lock),
    so a write does not read the gradebook a second time; `final_only` switches the view."""
    for row in rows:
        if final_only is not None:
            row.final_only = final_only
        derive(row, sheet.columns, sheet.module, sheet.rules)


def attendance_figures(attendance: Attendance, module) -> dict:
    """The inputs of exam eligibility (REGULATIONS §1.6) from a learner's absences, capped at
    the module's planned hours so that a surplus of sessions never breaks the rule."""
    theory_planned = Decimal(module.theory_hours)
    practice_planned = Decimal(module.practice_hours)
    unexcused = min(attendance.practice_unexcused, practice_planned)
    excused = min(attendance.practice_excused, practice_planned - unexcused)
    return {
        "theory_planned_hours": theory_planned,
        "theory_attended_hours": max(theory_planned - attendance.theory_absent, Decimal(0)),
        "practice_planned_hours": practice_planned,
        "practice_unexcused_absent_hours": unexcused,
        "practice_excused_absent_hours": excused,
        "excused_hours_made_up": attendance.excused_made_up,
    }


def derive(row: Row, columns: list[Column], module, rules: regulation.GradingRules) -> None:
    """Fill the row's checks average, eligibility, sittings, preview and needed sessions."""
    continuous, periodic, missing = [], [], 0
    for column in columns:
        if column.is_exam:
            continue
        value = row.value(column.code)
        if value.is_empty:
            missing += 1
        elif value.mark == ScoreMark.UNEXCUSED:
            # A check missed without permission scores 0.0 (docs/grading.md); one missed
            # with permission is left out of the average until made up.
            (continuous if column.kind == AssessmentKind.CONTINUOUS else periodic).append(
                rules.score_min)
        elif value.score is not None:
            (continuous if column.kind == AssessmentKind.CONTINUOUS else periodic).append(
                value.score)
    row.checks_missing = missing
    row.checks_average = (regulation.checks_average(continuous, periodic, rules=rules)
                          if continuous or periodic else None)
    row.attendance_figures = attendance_figures(row.attendance, module)
    row.eligibility = row.preview = None  # a row derived again starts from nothing
    if row.checks_average is not None:
        row.eligibility = regulation.exam_eligibility(
            **row.attendance_figures, checks_average=row.checks_average,
            attendance_waived=row.waiver is not None, rules=rules,
        )
    exams = [c for c in columns if c.is_exam]
    row.sittings = []
    row.needs = {}
    for column in exams:
        row.needs[column.number] = needs_sitting(row, column.number, rules)
        sitting = row.value(column.code).as_sitting()
        if sitting is not None:
            row.sittings.append(sitting)
    if row.eligibility is not None:
        row.preview = _round_result(row.checks_average, row.eligible, row.sittings, rules)


def _round_result(average, eligible, sittings, rules) -> regulation.ModuleResult | None:
    try:
        return regulation.module_result(
            [regulation.StudyRound(average, eligible, tuple(sittings))], rules=rules)
    except regulation.GradingError:
        return None  # e.g. an exam entered for an ineligible learner: submission says so


def needs_sitting(row: Row, sitting: int, rules) -> bool:
    """Does the learner sit the exam at this session? The main session is for every eligible
    learner; a later one for a failed sitting (retake) or a postponed (excused) exam."""
    if not row.eligible:
        return False
    if sitting == 1:
        return True
    before = [v for v in (row.value(f"THI{n}").as_sitting() for n in range(1, sitting))
              if v is not None]
    result = _round_result(row.checks_average, True, before, rules)
    if result is None:
        return False
    if sitting in row.improvement_sittings and result.passed:
        return True  # an improvement sitting granted by the principal
    if row.is_improvement:
        return result.status == regulation.STATUS_PENDING
    return result.status in (regulation.STATUS_RETAKE_DUE, regulation.STATUS_PENDING)
