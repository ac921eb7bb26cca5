"""Values and rounding (§1.1–1.2), module score and letter (§1.3–1.5)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal, localcontext

from grading.regulation.codes import (
    INVALID_GPA,
    INVALID_HOURS,
    INVALID_SCORE,
    MISSING_CHECKS,
    GradingError,
    InvalidScore,
    ScoreInput,
)
from grading.regulation.results import LetterGrade, ModuleGrade
from grading.regulation.rules import DEFAULT_RULES, GradingRules, LetterBand

_PLAIN_DECIMAL = re.compile(r"[0-9]+(\.[0-9]+)?")


def _to_decimal(value: object, *, what: str) -> Decimal:
    # bool is an int subclass and float is inexact: both are programming errors here.
    if isinstance(value, bool) or not isinstance(value, (Decimal, int, str)):
        raise TypeError(f"{what} must be Decimal, int or str, not {type(value).__name__}")
    return value if isinstance(value, Decimal) else Decimal(value)


def _quantize(value: ScoreInput, places: int, rules: GradingRules) -> Decimal:
    number = _to_decimal(value, what="value")
    return number.quantize(Decimal(1).scaleb(-places), rounding=rules.rounding)


def round1(value: ScoreInput, *, rules: GradingRules = DEFAULT_RULES) -> Decimal:
    """Round to one decimal, ties up (8.45 → 8.5): the score rounding of §1.2.

    Together with ``round2`` the only rounding of scores in the project.
    """
    return _quantize(value, 1, rules)


def round2(value: ScoreInput, *, rules: GradingRules = DEFAULT_RULES) -> Decimal:
    """Round to two decimals, ties up (2.495 → 2.50): the GPA rounding of §1.2 / §2.1."""
    return _quantize(value, 2, rules)


def _round_score(value: Decimal, rules: GradingRules) -> Decimal:
    return _quantize(value, rules.score_places, rules)


def round_gpa(value: Decimal, rules: GradingRules) -> Decimal:
    return _quantize(value, rules.gpa_places, rules)


def divide(numerator: Decimal, denominator: Decimal) -> Decimal:
    # 50 digits keep repeating quotients (26/9) far from any rounding tie, so
    # rounding the quotient afterwards is exact; terminating ones are exact anyway.
    with localcontext() as context:
        context.prec = 50
        return numerator / denominator


def _has_places(number: Decimal, places: int) -> bool:
    return number == number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def validate_score(value: ScoreInput, *, rules: GradingRules = DEFAULT_RULES) -> Decimal:
    """Return a check/exam/module score as a one-decimal Decimal, or raise InvalidScore.

    §1.1: 0.0–10.0 with one decimal; "8.50" is 8.5, "8.45" is rejected and never
    silently rounded.
    """
    if isinstance(value, str):
        # Plain decimal notation only: Decimal() would also take "1_0", "1e1" or "NaN".
        text = value.strip()
        if not _PLAIN_DECIMAL.fullmatch(text):
            raise InvalidScore(value)
        number = Decimal(text)
    else:
        number = _to_decimal(value, what="score")
    if not number.is_finite() or not rules.score_min <= number <= rules.score_max:
        raise InvalidScore(value)
    if not _has_places(number, rules.score_places):
        raise InvalidScore(value)
    # copy_abs: "-0.0" is a valid zero and must not be stored with its sign.
    return _round_score(number, rules).copy_abs()


def validate_gpa(value: ScoreInput, rules: GradingRules) -> Decimal:
    number = _to_decimal(value, what="GPA")
    top = max(band.points for band in rules.letter_bands)
    if (
        not number.is_finite()
        or not 0 <= number <= top
        or not _has_places(number, rules.gpa_places)
    ):
        raise GradingError(INVALID_GPA, f"invalid 4-point GPA: {value!r}")
    return number


def optional_gpa(value: ScoreInput | None, rules: GradingRules) -> Decimal | None:
    return None if value is None else validate_gpa(value, rules)


def validate_hours(value: ScoreInput, name: str) -> Decimal:
    number = _to_decimal(value, what=name)
    if not number.is_finite() or number < 0:
        raise GradingError(INVALID_HOURS, f"{name} must be a non-negative number: {value!r}")
    return number


def validate_count(value: int, code: str, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise GradingError(code, f"{name} must be a non-negative int: {value!r}")
    return value


# =============================================================================
# Module score and letter (§1.3–1.5)
# =============================================================================


def checks_average(
    continuous: Iterable[ScoreInput],
    periodic: Iterable[ScoreInput],
    *,
    rules: GradingRules = DEFAULT_RULES,
) -> Decimal:
    """Weighted average of the checks, rounded to one decimal before any further use (§1.3)."""
    continuous_scores = [validate_score(score, rules=rules) for score in continuous]
    periodic_scores = [validate_score(score, rules=rules) for score in periodic]
    if not continuous_scores and not periodic_scores:
        raise GradingError(MISSING_CHECKS, "at least one check score is required (§1.3)")
    total = (
        sum(continuous_scores, Decimal(0)) * rules.continuous_check_weight
        + sum(periodic_scores, Decimal(0)) * rules.periodic_check_weight
    )
    weight = (
        len(continuous_scores) * rules.continuous_check_weight
        + len(periodic_scores) * rules.periodic_check_weight
    )
    return _round_score(divide(total, weight), rules)


def module_score(
    checks_avg: ScoreInput, exam_score: ScoreInput, *, rules: GradingRules = DEFAULT_RULES
) -> Decimal:
    """round1(w_checks × checks average + w_exam × exam), from already rounded inputs (§1.4)."""
    weighted = rules.checks_weight * validate_score(
        checks_avg, rules=rules
    ) + rules.exam_weight * validate_score(exam_score, rules=rules)
    return _round_score(weighted, rules)


def _band_for_score(score: Decimal, rules: GradingRules) -> LetterBand:
    return next(band for band in rules.letter_bands if score >= band.min_score)


def band_for_letter(letter: str, rules: GradingRules) -> LetterBand:
    for band in rules.letter_bands:
        if band.letter == letter:
            return band
    raise GradingError(INVALID_SCORE, f"unknown letter: {letter!r}")


def _failing_band(rules: GradingRules) -> LetterBand:
    return rules.letter_bands[-1]


def grade_of_band(band: LetterBand, rules: GradingRules) -> LetterGrade:
    return LetterGrade(band.letter, band.points, band.min_score >= rules.pass_mark)


def letter_grade(score: ScoreInput, *, rules: GradingRules = DEFAULT_RULES) -> LetterGrade:
    """Letter, 4-point value and pass (≥ pass mark) of a one-decimal module score (§1.5)."""
    return grade_of_band(_band_for_score(validate_score(score, rules=rules), rules), rules)


def grade_sitting(
    checks_avg: ScoreInput, exam_score: ScoreInput, *, rules: GradingRules = DEFAULT_RULES
) -> ModuleGrade:
    """Module score, letter and pass of one exam sitting given the round's checks average."""
    average = validate_score(checks_avg, rules=rules)
    exam = validate_score(exam_score, rules=rules)
    score = module_score(average, exam, rules=rules)
    grade = letter_grade(score, rules=rules)
    # §1.4: an optional college minimum on the exam fails the module whatever the average.
    if rules.min_exam_score is not None and exam < rules.min_exam_score:
        grade = grade_of_band(_failing_band(rules), rules)
    return ModuleGrade(average, exam, score, grade.letter, grade.score_4, grade.passed)


def grade_module(
    continuous: Iterable[ScoreInput],
    periodic: Iterable[ScoreInput],
    exam_score: ScoreInput,
    *,
    rules: GradingRules = DEFAULT_RULES,
) -> ModuleGrade:
    """Checks → rounded average → module score → letter, in the order of §1.4."""
    average = checks_average(continuous, periodic, rules=rules)
    return grade_sitting(average, exam_score, rules=rules)
