"""Academic standing (§3.1–3.2) and maximum study duration (§3.3)."""

from __future__ import annotations

from decimal import ROUND_FLOOR, Decimal

from grading.regulation.codes import (
    CONSECUTIVE_WARNINGS,
    CUMULATIVE_GPA,
    INVALID_COUNT,
    INVALID_CREDITS,
    INVALID_SEMESTER_INDEX,
    MAX_DURATION,
    OUTSTANDING_F,
    SEMESTER_GPA,
    STANDING_DISMISSED,
    STANDING_NORMAL,
    STANDING_WARNING,
    GradingError,
    ProgramLengthOutOfRange,
    ScoreInput,
)
from grading.regulation.results import AcademicStanding
from grading.regulation.rules import DEFAULT_RULES, GradingRules
from grading.regulation.scores import optional_gpa, validate_count


def _threshold_for(semester_index: int, table: tuple[tuple[int, Decimal], ...]) -> Decimal:
    return [value for start, value in table if start <= semester_index][-1]


def warning_reasons(
    semester_index: int,
    semester_gpa_4: ScoreInput | None,
    cumulative_gpa_4: ScoreInput | None,
    outstanding_f_credits: int,
    outstanding_f_modules: int,
    *,
    rules: GradingRules = DEFAULT_RULES,
) -> tuple[str, ...]:
    """The academic-warning criteria met after main semester ``semester_index`` (§3.1)."""
    if isinstance(semester_index, bool) or not isinstance(semester_index, int):
        raise TypeError(f"semester_index must be an int, not {type(semester_index).__name__}")
    if semester_index < 1:
        raise GradingError(INVALID_SEMESTER_INDEX, f"semester index must be >= 1: {semester_index}")
    semester = optional_gpa(semester_gpa_4, rules)
    cumulative = optional_gpa(cumulative_gpa_4, rules)
    f_credits = validate_count(outstanding_f_credits, INVALID_CREDITS, "outstanding_f_credits")
    f_modules = validate_count(outstanding_f_modules, INVALID_COUNT, "outstanding_f_modules")
    reasons: list[str] = []
    # A null GPA is not evaluated (§3.1): e.g. a semester of condition modules only.
    semester_limit = _threshold_for(semester_index, rules.semester_gpa_warning)
    cumulative_limit = _threshold_for(semester_index, rules.cumulative_gpa_warning)
    if semester is not None and semester < semester_limit:
        reasons.append(SEMESTER_GPA)
    if cumulative is not None and cumulative < cumulative_limit:
        reasons.append(CUMULATIVE_GPA)
    if f_credits > rules.outstanding_f_max_credits or f_modules > rules.outstanding_f_max_modules:
        reasons.append(OUTSTANDING_F)
    return tuple(reasons)


def academic_standing(
    semester_index: int,
    semester_gpa_4: ScoreInput | None,
    cumulative_gpa_4: ScoreInput | None,
    outstanding_f_credits: int,
    outstanding_f_modules: int,
    *,
    previous_consecutive_warnings: int = 0,
    exceeded_max_duration: bool = False,
    rules: GradingRules = DEFAULT_RULES,
) -> AcademicStanding:
    """normal / warning / dismissed after a main semester, with reasons (§3.1–3.2).

    ``previous_consecutive_warnings`` is the ``consecutive_warnings`` returned for
    the previous main semester (a bool "previous semester warned" works too).
    Reasons: MAX_DURATION, CONSECUTIVE_WARNINGS, then the warning criteria.
    """
    previous = validate_count(
        int(previous_consecutive_warnings), INVALID_COUNT, "previous_consecutive_warnings"
    )
    warnings = warning_reasons(
        semester_index,
        semester_gpa_4,
        cumulative_gpa_4,
        outstanding_f_credits,
        outstanding_f_modules,
        rules=rules,
    )
    warned = bool(warnings)
    # §3.2: a semester without a warning resets the count.
    consecutive = previous + 1 if warned else 0
    dismissal: list[str] = []
    if exceeded_max_duration:
        dismissal.append(MAX_DURATION)
    if consecutive >= rules.consecutive_warnings_to_dismiss:
        dismissal.append(CONSECUTIVE_WARNINGS)
    reasons = (*dismissal, *warnings)
    if dismissal:
        return AcademicStanding(STANDING_DISMISSED, reasons, warned, consecutive)
    standing = STANDING_WARNING if warned else STANDING_NORMAL
    return AcademicStanding(standing, reasons, warned, consecutive)


def max_study_months(program_months: int, *, rules: GradingRules = DEFAULT_RULES) -> int:
    """Longest study time allowed, reserved time not counted (§3.3); floors 40.5 to 40.

    Raises ProgramLengthOutOfRange for a length no bracket covers.
    """
    if isinstance(program_months, bool) or not isinstance(program_months, int):
        raise TypeError(f"program_months must be an int, not {type(program_months).__name__}")
    for bracket in rules.duration_brackets:
        if bracket.min_months <= program_months <= bracket.max_months:
            # "không vượt quá": the limit must not be exceeded, so round down.
            limit = (bracket.multiplier * program_months).to_integral_value(rounding=ROUND_FLOOR)
            return int(limit)
    raise ProgramLengthOutOfRange(program_months)
