"""Graduation eligibility, classification and downgrade (credit mode) — REGULATIONS §4.

Pure rules over plain values; GPAs are `Decimal` with two decimals, already rounded by the
GPA computation (§2.1), so nothing is rounded here.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal
from itertools import pairwise

from vetschool.regulation.values import DEFAULT_RULES, GradingRules

# §4.1 reason codes, in the fixed reporting order.
CREDITS_OR_MODULES = "CREDITS_OR_MODULES"
GPA = "GPA"
CONDITION_MODULES = "CONDITION_MODULES"
OTHER_REQUIREMENTS = "OTHER_REQUIREMENTS"
DISCIPLINE_OR_PROSECUTION = "DISCIPLINE_OR_PROSECUTION"
NO_APPLICATION = "NO_APPLICATION"
ELIGIBILITY_REASONS = (
    CREDITS_OR_MODULES,
    GPA,
    CONDITION_MODULES,
    OTHER_REQUIREMENTS,
    DISCIPLINE_OR_PROSECUTION,
    NO_APPLICATION,
)

# §4.2 API values, best first; "one level lower" is the next one in this tuple.
EXCELLENT = "excellent"
VERY_GOOD = "very_good"
GOOD = "good"
AVERAGE = "average"
CLASSIFICATIONS = (EXCELLENT, VERY_GOOD, GOOD, AVERAGE)

# Disciplinary forms from the mildest up. The caller passes the highest form during study,
# leaving out records flagged `art17_excluded` (§4.3 c, Art. 17(2)–(3)).
NO_DISCIPLINE = "none"
REPRIMAND = "reprimand"  # khiển trách
WARNING = "warning"  # cảnh cáo
SUSPENSION = "suspension"  # đình chỉ học tập có thời hạn
EXPULSION = "expulsion"  # buộc thôi học
DISCIPLINE_LEVELS = (NO_DISCIPLINE, REPRIMAND, WARNING, SUSPENSION, EXPULSION)

# §4.3 reasons for lowering, in the order of its points a–c.
DOWNGRADE_RETAKES = "RETAKES"
DOWNGRADE_RESTUDY = "RESTUDY"
DOWNGRADE_DISCIPLINE = "DISCIPLINE"
DOWNGRADE_REASONS = (DOWNGRADE_RETAKES, DOWNGRADE_RESTUDY, DOWNGRADE_DISCIPLINE)

GPA_MIN = Decimal("0.00")
GPA_MAX = Decimal("4.00")
GPA_PLACES = Decimal("0.01")
# A retake count no learner reaches: the rule set gives no retake downgrade for a level.
NEVER = 10**6


def _require_decimal(value: object, what: str) -> None:
    # Scores and GPAs are never float (architecture; §1.2): a float is a caller bug.
    if not isinstance(value, Decimal) or not value.is_finite():
        raise TypeError(f"{what} must be a finite Decimal, not {value!r}")


@dataclass(frozen=True)
class GraduationRules:
    """Every §4 threshold, defaulting to the regulation values (settings summary §11)."""

    # §4.1 b: graduation minimum; it is also the floor of "average" (§4.2: < 2.00 not graduated).
    min_gpa: Decimal = Decimal("2.00")
    # §4.2 band floors (Art. 32(1) via Art. 35(1)).
    good_min_gpa: Decimal = Decimal("2.50")
    very_good_min_gpa: Decimal = Decimal("3.00")
    excellent_min_gpa: Decimal = Decimal("3.50")
    # §4.3 a: retaken modules that lower each class (`downgrade_retakes`).
    retaken_modules_lowering_excellent: int = 1
    retaken_modules_lowering_very_good: int = 2
    # §4.3 b: re-studied credits must stay within this share of the program (strict >).
    restudy_max_ratio: Decimal = Decimal("0.10")
    # §4.3 c: the mildest disciplinary form that lowers (reprimand does not).
    discipline_lowering_from: str = WARNING

    def __post_init__(self) -> None:
        floors = (self.min_gpa, self.good_min_gpa, self.very_good_min_gpa, self.excellent_min_gpa)
        for threshold in (*floors, self.restudy_max_ratio):
            _require_decimal(threshold, "threshold")
        if any(lower >= higher for lower, higher in pairwise(floors)):
            raise ValueError("GPA band floors must increase from average to excellent")
        if self.min_gpa < GPA_MIN or self.excellent_min_gpa > GPA_MAX:
            raise ValueError(f"GPA band floors must lie within {GPA_MIN}..{GPA_MAX}")
        if self.discipline_lowering_from not in DISCIPLINE_LEVELS:
            raise ValueError(f"unknown discipline level {self.discipline_lowering_from!r}")

    @classmethod
    def of(cls, rules: GradingRules) -> GraduationRules:
        """The §4 values of the one rule set (§11): its `graduation_min_gpa`, `class_bands`
        (the same as the semester classification's, §2.4), `downgrade_retakes` and
        `downgrade_restudy_max_ratio`."""
        return cls(
            min_gpa=rules.graduation_min_gpa,
            good_min_gpa=rules.class_floor(GOOD),
            very_good_min_gpa=rules.class_floor(VERY_GOOD),
            excellent_min_gpa=rules.class_floor(EXCELLENT),
            retaken_modules_lowering_excellent=rules.retakes_lowering(EXCELLENT) or NEVER,
            retaken_modules_lowering_very_good=rules.retakes_lowering(VERY_GOOD) or NEVER,
            restudy_max_ratio=rules.downgrade_restudy_max_ratio,
        )

    def band_floors(self) -> tuple[tuple[str, Decimal], ...]:
        return (
            (EXCELLENT, self.excellent_min_gpa),
            (VERY_GOOD, self.very_good_min_gpa),
            (GOOD, self.good_min_gpa),
            (AVERAGE, self.min_gpa),
        )


DEFAULT_GRADUATION_RULES = GraduationRules.of(DEFAULT_RULES)


@dataclass(frozen=True)
class GraduationEligibility:
    reasons: tuple[str, ...]

    @property
    def eligible(self) -> bool:
        return not self.reasons


@dataclass(frozen=True)
class GraduationClassification:
    classification: str | None  # None: not graduated (GPA below the minimum)
    downgraded: bool
    reasons: tuple[str, ...] = ()  # why it was lowered (DOWNGRADE_REASONS), when it was


def check_graduation_eligibility(
    *,
    required_credits: int,
    earned_credits: int,
    missing_required_modules: Collection[str],
    cumulative_gpa: Decimal | None,
    physical_education_done: bool,
    defence_security_done: bool,
    other_requirements_missing: Collection[str],
    under_suspension_or_higher: bool,
    criminally_prosecuted: bool,
    off_schedule: bool,
    applied: bool,
    rules: GraduationRules = DEFAULT_GRADUATION_RULES,
) -> GraduationEligibility:
    """§4.1: every unmet condition, in fixed order; eligible iff none.

    `cumulative_gpa` is the whole-course GPA_4, None when nothing counts yet (§2.1).
    `under_suspension_or_higher` and `criminally_prosecuted` are the state at review time.
    """
    if cumulative_gpa is not None:
        _require_gpa(cumulative_gpa)
    unmet = (
        (
            CREDITS_OR_MODULES,
            earned_credits < required_credits or bool(missing_required_modules),
        ),
        (GPA, cumulative_gpa is None or cumulative_gpa < rules.min_gpa),
        # §4.1: physical education and defence & security education are both required (S8).
        (CONDITION_MODULES, not (physical_education_done and defence_security_done)),
        (OTHER_REQUIREMENTS, bool(other_requirements_missing)),
        (DISCIPLINE_OR_PROSECUTION, under_suspension_or_higher or criminally_prosecuted),
        # §4.1 e: only finishing off the program schedule needs an application.
        (NO_APPLICATION, off_schedule and not applied),
    )
    return GraduationEligibility(reasons=tuple(code for code, failed in unmet if failed))


def classify_graduation(
    *,
    cumulative_gpa_4: Decimal | None,
    retaken_modules: int,
    restudied_credits: int,
    program_credits: int,
    discipline_during_study: str,
    rules: GraduationRules = DEFAULT_GRADUATION_RULES,
) -> GraduationClassification:
    """§4.2 classification by GPA, then §4.3's one-level downgrade of excellent / very good.

    `retaken_modules`: modules with `had_to_retake` (condition, postponed, exempted excluded).
    `restudied_credits`: credits of modules with `had_to_restudy`, each module once.
    """
    _require_count(retaken_modules, "retaken_modules")
    _require_count(restudied_credits, "restudied_credits")
    _require_count(program_credits, "program_credits")
    if program_credits == 0:
        raise ValueError("program_credits must be positive")
    if discipline_during_study not in DISCIPLINE_LEVELS:
        raise ValueError(f"unknown discipline level {discipline_during_study!r}")

    by_gpa = classification_by_gpa(cumulative_gpa_4, rules)
    if by_gpa is None:
        return GraduationClassification(classification=None, downgraded=False)
    lowered = downgrade_reasons(
        by_gpa,
        retaken_modules=retaken_modules,
        restudied_credits=restudied_credits,
        program_credits=program_credits,
        discipline_during_study=discipline_during_study,
        rules=rules,
    )
    if not lowered:
        return GraduationClassification(classification=by_gpa, downgraded=False)
    return GraduationClassification(classification=one_level_below(by_gpa), downgraded=True,
                                    reasons=lowered)


def classification_by_gpa(
    cumulative_gpa_4: Decimal | None, rules: GraduationRules = DEFAULT_GRADUATION_RULES
) -> str | None:
    """§4.2 band of the whole-course GPA_4; None below the graduation minimum."""
    if cumulative_gpa_4 is None:
        return None
    _require_gpa(cumulative_gpa_4)
    for classification, floor in rules.band_floors():
        if cumulative_gpa_4 >= floor:
            return classification
    return None


def must_be_lowered(
    classification: str,
    *,
    retaken_modules: int,
    restudied_credits: int,
    program_credits: int,
    discipline_during_study: str,
    rules: GraduationRules = DEFAULT_GRADUATION_RULES,
) -> bool:
    """§4.3: any one reason lowers excellent or very good; good and average never."""
    return bool(downgrade_reasons(
        classification, retaken_modules=retaken_modules, restudied_credits=restudied_credits,
        program_credits=program_credits, discipline_during_study=discipline_during_study,
        rules=rules))


def downgrade_reasons(
    classification: str,
    *,
    retaken_modules: int,
    restudied_credits: int,
    program_credits: int,
    discipline_during_study: str,
    rules: GraduationRules = DEFAULT_GRADUATION_RULES,
) -> tuple[str, ...]:
    """§4.3: every reason that lowers excellent or very good (a review shows them all);
    none for good and average, which are never lowered."""
    if classification not in (EXCELLENT, VERY_GOOD):
        return ()
    found = (
        (DOWNGRADE_RETAKES, _too_many_retakes(classification, retaken_modules, rules)),
        (DOWNGRADE_RESTUDY, _restudied_too_much(restudied_credits, program_credits, rules)),
        (DOWNGRADE_DISCIPLINE, _disciplined_enough_to_lower(discipline_during_study, rules)),
    )
    return tuple(code for code, applies in found if applies)


def highest_discipline(levels: Collection[str]) -> str:
    """The highest disciplinary form among `levels` (NO_DISCIPLINE when none); the caller
    leaves out revoked decisions and those flagged `art17_excluded` (§4.3 c)."""
    for level in levels:
        if level not in DISCIPLINE_LEVELS:
            raise ValueError(f"unknown discipline level {level!r}")
    return max(levels, key=DISCIPLINE_LEVELS.index, default=NO_DISCIPLINE)


def one_level_below(classification: str) -> str:
    # §4.3: one level only, however many reasons apply.
    position = CLASSIFICATIONS.index(classification)
    if position == len(CLASSIFICATIONS) - 1:
        raise ValueError(f"{classification!r} is the lowest classification")
    return CLASSIFICATIONS[position + 1]


def _too_many_retakes(classification: str, retaken_modules: int, rules: GraduationRules) -> bool:
    limit = (
        rules.retaken_modules_lowering_excellent
        if classification == EXCELLENT
        else rules.retaken_modules_lowering_very_good
    )
    return retaken_modules >= limit


def _restudied_too_much(
    restudied_credits: int, program_credits: int, rules: GraduationRules
) -> bool:
    # §4.3 b: "exceeds 10 %" — exactly 10 % does not lower; exact Decimal, no division.
    return restudied_credits > rules.restudy_max_ratio * program_credits


def _disciplined_enough_to_lower(discipline_during_study: str, rules: GraduationRules) -> bool:
    return DISCIPLINE_LEVELS.index(discipline_during_study) >= DISCIPLINE_LEVELS.index(
        rules.discipline_lowering_from
    )


def _require_gpa(gpa: Decimal) -> None:
    _require_decimal(gpa, "GPA")
    if not GPA_MIN <= gpa <= GPA_MAX:
        raise ValueError(f"GPA must be within {GPA_MIN}..{GPA_MAX}, not {gpa}")
    # An unrounded 3.495 would fall in the band below; rounding is §2.1's job, not ours.
    if gpa != gpa.quantize(GPA_PLACES):
        raise ValueError(f"GPA must be rounded to two decimals (§2.1), not {gpa}")


def _require_count(value: int, what: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{what} must be a non-negative int, not {value!r}")
