"""Grading regulation as pure functions over plain values.

Implements REGULATIONS.md §1 (scores, rounding, module score, letters, exam
eligibility, attempts), §2 (GPA, semester classification) and §3 (standing,
maximum study duration), with every threshold in ``GradingRules`` (§11).

Deliberately free of Django and of any I/O so that it can be tested
exhaustively anywhere. Every number is a ``Decimal``; ``float`` is refused
because binary floats cannot hold one-decimal scores exactly (§1.2).

One module per topic: ``codes`` (codes and errors), ``rules`` (configuration),
``results`` (returned values), ``scores`` (§1.1–1.5), ``eligibility`` (§1.6),
``module_results`` (§1.7–1.8), ``averages`` (§2), ``standing`` (§3). Every public name is
re-exported here, so callers write ``regulation.round1(...)``.
"""

from __future__ import annotations

from grading.regulation.averages import (
    cumulative_gpa,
    gpa,
    gpa_level,
    semester_classification,
    semester_gpa,
)
from grading.regulation.codes import (
    ABSENT_EXCUSED,
    ABSENT_UNEXCUSED,
    AVERAGE,
    CHECKS_AVERAGE,
    CONSECUTIVE_WARNINGS,
    CUMULATIVE_GPA,
    EXCELLENT,
    GOOD,
    INVALID_COUNT,
    INVALID_CREDITS,
    INVALID_GPA,
    INVALID_HOURS,
    INVALID_ROUNDS,
    INVALID_SCORE,
    INVALID_SEMESTER_INDEX,
    MAX_DURATION,
    MISSING_CHECKS,
    MISSING_SCORE,
    OUTSTANDING_F,
    PRACTICE_ATTENDANCE,
    PROGRAM_LENGTH_OUT_OF_RANGE,
    SCOPE_CUMULATIVE,
    SCOPE_SEMESTER,
    SEMESTER_GPA,
    STANDING_DISMISSED,
    STANDING_NORMAL,
    STANDING_WARNING,
    STATUS_MUST_RESTUDY,
    STATUS_PASSED,
    STATUS_PENDING,
    STATUS_RETAKE_DUE,
    THEORY_ATTENDANCE,
    VERY_GOOD,
    WEAK,
    GradingError,
    InvalidScore,
    ProgramLengthOutOfRange,
    ScoreInput,
)
from grading.regulation.eligibility import (
    exam_eligibility,
)
from grading.regulation.module_results import (
    module_result,
)
from grading.regulation.results import (
    AcademicStanding,
    Classification,
    ExamEligibility,
    Gpa,
    GpaModule,
    LetterGrade,
    ModuleGrade,
    ModuleResult,
    StudyRound,
)
from grading.regulation.rules import (
    DEFAULT_RULES,
    ClassBand,
    DurationBracket,
    GradingRules,
    LetterBand,
)
from grading.regulation.scores import (
    checks_average,
    grade_module,
    grade_sitting,
    letter_grade,
    module_score,
    round1,
    round2,
    validate_score,
)
from grading.regulation.standing import (
    academic_standing,
    max_study_months,
    warning_reasons,
)

__all__ = [
    "ABSENT_EXCUSED", "ABSENT_UNEXCUSED", "AVERAGE", "AcademicStanding", "CHECKS_AVERAGE",
    "CONSECUTIVE_WARNINGS", "CUMULATIVE_GPA", "ClassBand", "Classification", "DEFAULT_RULES",
    "DurationBracket", "EXCELLENT", "ExamEligibility", "GOOD", "Gpa", "GpaModule",
    "GradingError", "GradingRules", "INVALID_COUNT", "INVALID_CREDITS", "INVALID_GPA",
    "INVALID_HOURS", "INVALID_ROUNDS", "INVALID_SCORE", "INVALID_SEMESTER_INDEX",
    "InvalidScore", "LetterBand", "LetterGrade", "MAX_DURATION", "MISSING_CHECKS",
    "MISSING_SCORE", "ModuleGrade", "ModuleResult", "OUTSTANDING_F", "PRACTICE_ATTENDANCE",
    "PROGRAM_LENGTH_OUT_OF_RANGE", "ProgramLengthOutOfRange", "SCOPE_CUMULATIVE",
    "SCOPE_SEMESTER", "SEMESTER_GPA", "STANDING_DISMISSED", "STANDING_NORMAL",
    "STANDING_WARNING", "STATUS_MUST_RESTUDY", "STATUS_PASSED", "STATUS_PENDING",
    "STATUS_RETAKE_DUE", "ScoreInput", "StudyRound", "THEORY_ATTENDANCE", "VERY_GOOD", "WEAK",
    "academic_standing", "checks_average", "cumulative_gpa", "exam_eligibility", "gpa",
    "gpa_level", "grade_module", "grade_sitting", "letter_grade", "max_study_months",
    "module_result", "module_score", "round1", "round2", "semester_classification",
    "semester_gpa", "validate_score", "warning_reasons",
]
