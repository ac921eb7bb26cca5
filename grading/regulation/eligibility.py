"""Exam eligibility (§1.6)."""

from __future__ import annotations

from decimal import Decimal

from grading.regulation.codes import (
    CHECKS_AVERAGE,
    INVALID_HOURS,
    PRACTICE_ATTENDANCE,
    THEORY_ATTENDANCE,
    GradingError,
    ScoreInput,
)
from grading.regulation.results import ExamEligibility
from grading.regulation.rules import DEFAULT_RULES, GradingRules
from grading.regulation.scores import validate_hours, validate_score


def _theory_attendance_ok(planned: Decimal, attended: Decimal, rules: GradingRules) -> bool:
    # Multiplying instead of dividing keeps 21/30 ≥ 0.70 exact; no theory, no condition.
    return planned == 0 or attended >= rules.theory_min_ratio * planned


def _practice_attendance_ok(
    planned: Decimal, unexcused: Decimal, excused: Decimal, made_up: bool, rules: GradingRules
) -> bool:
    if unexcused > 0:
        return False
    if excused == 0:
        return True
    # Strictly below the ratio (15 % exactly fails) and made up (§1.6 item 2).
    return made_up and excused < rules.practice_excused_max_ratio * planned


def exam_eligibility(
    *,
    theory_planned_hours: ScoreInput,
    theory_attended_hours: ScoreInput,
    practice_planned_hours: ScoreInput,
    practice_unexcused_absent_hours: ScoreInput,
    practice_excused_absent_hours: ScoreInput,
    excused_hours_made_up: bool,
    checks_average: ScoreInput,
    attendance_waived: bool = False,
    rules: GradingRules = DEFAULT_RULES,
) -> ExamEligibility:
    """May the learner sit the final exam (§1.6)? Reasons in the fixed order of §1.6.

    ``attendance_waived`` is the principal's priority for a learner with a
    disability certificate: it lifts both attendance conditions, never the
    checks average; the caller records the decision and its reason.
    """
    theory_planned = validate_hours(theory_planned_hours, "theory_planned_hours")
    theory_attended = validate_hours(theory_attended_hours, "theory_attended_hours")
    practice_planned = validate_hours(practice_planned_hours, "practice_planned_hours")
    unexcused = validate_hours(practice_unexcused_absent_hours, "practice_unexcused_absent_hours")
    excused = validate_hours(practice_excused_absent_hours, "practice_excused_absent_hours")
    if theory_attended > theory_planned:
        raise GradingError(INVALID_HOURS, "attended theory hours exceed planned hours")
    if unexcused + excused > practice_planned:
        raise GradingError(INVALID_HOURS, "practice absences exceed planned practice hours")
    average = validate_score(checks_average, rules=rules)

    reasons: list[str] = []
    if not attendance_waived:
        if not _theory_attendance_ok(theory_planned, theory_attended, rules):
            reasons.append(THEORY_ATTENDANCE)
        if not _practice_attendance_ok(
            practice_planned, unexcused, excused, excused_hours_made_up, rules
        ):
            reasons.append(PRACTICE_ATTENDANCE)
    if average < rules.checks_min:
        reasons.append(CHECKS_AVERAGE)
    return ExamEligibility(not reasons, tuple(reasons))
