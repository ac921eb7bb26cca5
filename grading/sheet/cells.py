"""Cells and columns of the gradebook grid: the column codes (TX n, ĐK n, THI n), a cell's
value and the parsing of what a teacher types into it.

Cell text (docs/grading.md, "Reason codes"): a score 0–10 with at most one decimal ("8.5",
"8,5" and "8.50" are the same score), `V` (absent with permission, vắng có phép) or `KP`
(absent without permission, vắng không phép); empty clears the cell.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from grading import regulation
from grading.config import grading_rules
from grading.models import ScoreMark
from training.models import AssessmentKind, default_check_counts

# --- Messages ------------------------------------------------------------------------------
INVALID_CELL = _(
    "“%(value)s” is not a score: enter 0 to 10 with at most one decimal (e.g. 7.5), "
    "V (absent with permission) or KP (absent without permission)."
)
UNKNOWN_COLUMN = _("Unknown column “%(code)s”.")

REASON_LABELS = {
    regulation.THEORY_ATTENDANCE: _("theory attendance below 70 %"),
    # xgettext:no-python-format (a percent sign, not a placeholder)
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

