"""GPA (§2.1–2.3) and semester classification (§2.4, bands shared with graduation §4.2)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from grading.regulation.codes import (
    EXCELLENT,
    INVALID_COUNT,
    INVALID_CREDITS,
    MISSING_SCORE,
    SCOPE_CUMULATIVE,
    SCOPE_SEMESTER,
    VERY_GOOD,
    WEAK,
    GradingError,
    ScoreInput,
)
from grading.regulation.results import Classification, Gpa, GpaModule, LetterGrade
from grading.regulation.rules import DEFAULT_RULES, GradingRules
from grading.regulation.scores import (
    band_for_letter,
    divide,
    grade_of_band,
    letter_grade,
    round_gpa,
    validate_count,
    validate_gpa,
    validate_score,
)


@dataclass(frozen=True)
class _GpaEntry:
    credits: int
    score_10: Decimal
    grade: LetterGrade
    counts_in_gpa: bool
    key: object


def _gpa_entry(module: GpaModule, position: int, rules: GradingRules) -> _GpaEntry | None:
    credits = validate_count(module.credits, INVALID_CREDITS, "credits")
    if module.exempted:
        return None  # §2.2: exempted modules are neither in the GPA nor earned
    if module.score_10 is None:
        raise GradingError(MISSING_SCORE, "a module in a GPA needs its counted score")
    score = validate_score(module.score_10, rules=rules)
    if module.letter is None:
        grade = letter_grade(score, rules=rules)
    else:
        grade = grade_of_band(band_for_letter(module.letter, rules), rules)
    key = module.module if module.module is not None else ("#", position)
    return _GpaEntry(credits, score, grade, module.counts_in_gpa, key)


def _best_per_module(entries: Iterable[_GpaEntry]) -> list[_GpaEntry]:
    # §2.3: each module once, at its best score (in the semester / since admission).
    best: dict[object, _GpaEntry] = {}
    for entry in entries:
        current = best.get(entry.key)
        if current is None or (entry.grade.passed, entry.score_10) > (
            current.grade.passed,
            current.score_10,
        ):
            best[entry.key] = entry
    return list(best.values())


def _gpa(modules: Iterable[GpaModule], includes_failed: bool, rules: GradingRules) -> Gpa:
    entries = [_gpa_entry(module, i, rules) for i, module in enumerate(modules)]
    kept = _best_per_module(entry for entry in entries if entry is not None)
    # §2.3: condition modules (counts_in_gpa=False) still earn their credits.
    credits_earned = sum(entry.credits for entry in kept if entry.grade.passed)
    counted = [
        entry for entry in kept if entry.counts_in_gpa and (entry.grade.passed or includes_failed)
    ]
    credits_in_gpa = sum(entry.credits for entry in counted)
    if credits_in_gpa == 0:
        return Gpa(None, None, 0, credits_earned)  # §2.1: null, not 0.00
    points = sum((entry.grade.score_4 * entry.credits for entry in counted), Decimal(0))
    scores = sum((entry.score_10 * entry.credits for entry in counted), Decimal(0))
    return Gpa(
        gpa_4=round_gpa(divide(points, Decimal(credits_in_gpa)), rules),
        gpa_10=round_gpa(divide(scores, Decimal(credits_in_gpa)), rules),
        credits_in_gpa=credits_in_gpa,
        credits_earned=credits_earned,
    )


def semester_gpa(modules: Iterable[GpaModule], *, rules: GradingRules = DEFAULT_RULES) -> Gpa:
    """GPA of the results recorded in one semester; F counts as 0 by default (§2.3)."""
    return _gpa(modules, rules.semester_gpa_includes_failed, rules)


def cumulative_gpa(modules: Iterable[GpaModule], *, rules: GradingRules = DEFAULT_RULES) -> Gpa:
    """GPA since admission over accumulated (passed) modules by default (§2.3)."""
    return _gpa(modules, rules.cumulative_gpa_includes_failed, rules)


def gpa(modules: Iterable[GpaModule], scope: str, *, rules: GradingRules = DEFAULT_RULES) -> Gpa:
    """``semester_gpa`` or ``cumulative_gpa`` by ``scope`` (SCOPE_SEMESTER / SCOPE_CUMULATIVE)."""
    if scope == SCOPE_SEMESTER:
        return semester_gpa(modules, rules=rules)
    if scope == SCOPE_CUMULATIVE:
        return cumulative_gpa(modules, rules=rules)
    raise ValueError(f"unknown GPA scope: {scope!r}")


# =============================================================================
# Classification (§2.4, bands shared with graduation §4.2)
# =============================================================================


def _levels(rules: GradingRules) -> list[str]:
    return [band.level for band in rules.class_bands] + [WEAK]


def gpa_level(gpa_4: ScoreInput, *, rules: GradingRules = DEFAULT_RULES) -> str:
    """Level of a two-decimal 4-point GPA: excellent … average, else weak (§2.4, Art. 32(1))."""
    value = validate_gpa(gpa_4, rules)
    for band in rules.class_bands:
        if value >= band.min_gpa:
            return band.level
    return WEAK


def semester_classification(
    cumulative_gpa_4: ScoreInput | None,
    *,
    retaken_modules: int = 0,
    disciplined_warning_or_higher: bool = False,
    rules: GradingRules = DEFAULT_RULES,
) -> Classification:
    """Semester classification by the cumulative GPA, lowered one level at most (§2.4).

    ``retaken_modules`` counts the semester's modules whose exam had to be retaken
    (condition, postponed and exempted modules already left out by the caller);
    ``disciplined_warning_or_higher`` excludes the forms of Art. 17(2)–(3).
    A null GPA (nothing accumulated) gives no classification.
    """
    retaken = validate_count(retaken_modules, INVALID_COUNT, "retaken_modules")
    if cumulative_gpa_4 is None:
        return Classification(None, None, False)
    base = gpa_level(cumulative_gpa_4, rules=rules)
    # "Very good or higher" is lowered (§2.4, as §4.3 at graduation): by discipline always,
    # by retakes where the rule set gives a count for the level.
    retake_limit = rules.retakes_lowering(base)
    downgraded = base in (EXCELLENT, VERY_GOOD) and (
        disciplined_warning_or_higher or (retake_limit is not None and retaken >= retake_limit)
    )
    if not downgraded:
        return Classification(base, base, False)
    levels = _levels(rules)
    return Classification(levels[levels.index(base) + 1], base, True)
