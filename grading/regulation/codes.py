"""The words the regulation functions speak: error codes, eligibility and standing
reasons, statuses and levels, the errors raised and the score input type.
"""

from __future__ import annotations

from decimal import Decimal

from vetschool.regulation.values import AVERAGE as AVERAGE
from vetschool.regulation.values import EXCELLENT as EXCELLENT
from vetschool.regulation.values import GOOD as GOOD
from vetschool.regulation.values import VERY_GOOD as VERY_GOOD

# --- Error codes (GradingError.code) ----------------------------------------
INVALID_SCORE = "invalid_score"
INVALID_GPA = "invalid_gpa"
INVALID_HOURS = "invalid_hours"
INVALID_CREDITS = "invalid_credits"
MISSING_CHECKS = "missing_checks"
MISSING_SCORE = "missing_score"
INVALID_ROUNDS = "invalid_rounds"
INVALID_SEMESTER_INDEX = "invalid_semester_index"
INVALID_COUNT = "invalid_count"
PROGRAM_LENGTH_OUT_OF_RANGE = "program_length_out_of_range"

# --- Exam eligibility reasons, in the fixed reporting order of §1.6 ----------
THEORY_ATTENDANCE = "THEORY_ATTENDANCE"
PRACTICE_ATTENDANCE = "PRACTICE_ATTENDANCE"
CHECKS_AVERAGE = "CHECKS_AVERAGE"

# --- Exam sitting markers (§1.8), used in StudyRound.exams --------------------
ABSENT_UNEXCUSED = "ABSENT_UNEXCUSED"
ABSENT_EXCUSED = "ABSENT_EXCUSED"

# --- Module status (§1.7) ------------------------------------------------------
STATUS_PASSED = "passed"
STATUS_RETAKE_DUE = "retake_due"
STATUS_MUST_RESTUDY = "must_restudy"
STATUS_PENDING = "pending"

# --- GPA scopes (§2.3) -----------------------------------------------------------
SCOPE_SEMESTER = "semester"
SCOPE_CUMULATIVE = "cumulative"

# --- Classification levels (§2.4; the same bands classify graduation, §4.2) ---
# excellent … average are the rule set's (EXCELLENT, VERY_GOOD, GOOD, AVERAGE, imported above).
WEAK = "weak"

# --- Academic standing (§3.1–3.2) and its reasons, in reporting order ---------
STANDING_NORMAL = "normal"
STANDING_WARNING = "warning"
STANDING_DISMISSED = "dismissed"
MAX_DURATION = "MAX_DURATION"
CONSECUTIVE_WARNINGS = "CONSECUTIVE_WARNINGS"
SEMESTER_GPA = "SEMESTER_GPA"
CUMULATIVE_GPA = "CUMULATIVE_GPA"
OUTSTANDING_F = "OUTSTANDING_F"

ScoreInput = Decimal | int | str


class GradingError(ValueError):
    """Invalid input to a grading rule; ``code`` is one of the module's error codes."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


class InvalidScore(GradingError):
    """A score outside 0.0–10.0 or with more than one significant decimal (§1.1)."""

    def __init__(self, value: object) -> None:
        super().__init__(INVALID_SCORE, f"invalid score: {value!r}")
        self.value = value


class ProgramLengthOutOfRange(GradingError):
    """A program length that no maximum-duration bracket covers (§3.3)."""

    def __init__(self, program_months: int) -> None:
        super().__init__(
            PROGRAM_LENGTH_OUT_OF_RANGE, f"program length out of range: {program_months} months"
        )
        self.program_months = program_months
