"""The plain values the regulation functions take and return."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from grading.regulation.codes import ScoreInput


@dataclass(frozen=True)
class LetterGrade:
    letter: str
    score_4: Decimal
    passed: bool


@dataclass(frozen=True)
class ModuleGrade:
    """One sitting graded: the inputs as used and the outcome (§1.3–1.5)."""

    checks_average: Decimal
    exam_score: Decimal
    score_10: Decimal
    letter: str
    score_4: Decimal
    passed: bool


@dataclass(frozen=True)
class ExamEligibility:
    eligible: bool
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class StudyRound:
    """One study round (lượt học) of a module, §1.7.

    ``exams`` holds the sittings in order: a score, ``ABSENT_UNEXCUSED`` or
    ``ABSENT_EXCUSED``. ``improvement`` marks an approved improvement round.
    """

    checks_average: ScoreInput
    eligible: bool = True
    exams: tuple[ScoreInput, ...] = ()
    improvement: bool = False


@dataclass(frozen=True)
class ModuleResult:
    """A module's outcome over all its rounds; score fields are None if never sat."""

    score_10: Decimal | None
    letter: str | None
    score_4: Decimal | None
    passed: bool
    attempts: int
    had_to_retake: bool
    had_to_restudy: bool
    status: str


@dataclass(frozen=True)
class GpaModule:
    """A module as it enters a GPA (§2): its counted score for the scope.

    ``module`` (an identifier) lets the same module given twice count once, at its
    best score. ``letter`` overrides the letter derived from ``score_10`` (pass the
    result's letter when a ``min_exam_score`` may have failed it).
    """

    credits: int
    score_10: ScoreInput | None
    counts_in_gpa: bool = True
    exempted: bool = False
    module: str | None = None
    letter: str | None = None


@dataclass(frozen=True)
class Gpa:
    gpa_4: Decimal | None
    gpa_10: Decimal | None
    credits_in_gpa: int
    credits_earned: int


@dataclass(frozen=True)
class Classification:
    level: str | None
    base_level: str | None
    downgraded: bool


@dataclass(frozen=True)
class AcademicStanding:
    """``consecutive_warnings`` is the count after this semester, to be stored for the next."""

    standing: str
    reasons: tuple[str, ...]
    warned: bool
    consecutive_warnings: int
