"""Accreditation self-assessment rules (REGULATIONS §8): pure functions, no database.

A standard is met when it was complied with in every year of the compliance window
(Circular 14/2024: 3 years for a college, 2 for an intermediate school); a met standard is
worth the framework's points per standard (2 under 14/2024, 1 under 15/2017). The cycle
passes when the total reaches the framework's pass total, every criterion reaches its
minimum share of its benchmark, and the key criteria (2–5 under 15/2017) their higher share.

Thresholds are data (the admin edits them). A threshold that is not known (None) makes the
verdict `None` — "unknown" — never a silent pass or fail.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Thresholds:
    points_per_standard: Decimal
    pass_total: Decimal | None = None
    min_criterion_ratio: Decimal | None = None      # e.g. 0.60
    key_criteria: frozenset[int] = frozenset()
    key_criterion_ratio: Decimal | None = None      # e.g. 0.80


@dataclass(frozen=True)
class CriterionInput:
    number: int
    benchmark: Decimal | None          # None: benchmark points unknown
    standards_met: tuple[bool | None, ...]  # one per standard; None = not yet rated


@dataclass(frozen=True)
class CriterionResult:
    number: int
    points: Decimal
    benchmark: Decimal | None
    required: Decimal | None            # points needed for this criterion; None = unknown
    ok: bool | None
    unrated: int

    @property
    def shortfall(self) -> Decimal:
        if self.required is None or self.points >= self.required:
            return Decimal(0)
        return self.required - self.points


@dataclass(frozen=True)
class Shortfall:
    """What is missing to pass: `criterion` None for the total."""
    criterion: int | None
    points: Decimal
    required: Decimal

    @property
    def needed(self) -> Decimal:
        return self.required - self.points


@dataclass(frozen=True)
class Result:
    total: Decimal
    maximum: Decimal
    criteria: tuple[CriterionResult, ...]
    passed: bool | None   # None: a threshold is unknown or some standard is not yet rated
    missing: tuple[Shortfall, ...] = ()


def window_years(assessment_year: int, years: int) -> list[int]:
    """The compliance window ending with the assessment year, oldest first."""
    return list(range(assessment_year - years + 1, assessment_year + 1))


def standard_met(ratings: Mapping[int, bool], window: Iterable[int]) -> bool | None:
    """Met only when complied with in every year of the window; None while a year is
    unrated and no year already failed."""
    values = [ratings.get(year) for year in window]
    if any(value is False for value in values):
        return False
    if any(value is None for value in values):
        return None
    return True


def _required(benchmark: Decimal | None, ratio: Decimal | None, step: Decimal) -> Decimal | None:
    """Points needed to reach `ratio` of the benchmark, rounded up to whole standards."""
    if benchmark is None or ratio is None:
        return None
    raw = benchmark * ratio
    return Decimal(math.ceil(raw / step)) * step


def _cannot_pass(thresholds: Thresholds, results, step: Decimal) -> bool:
    """True when meeting every still-unrated standard would not be enough."""
    best_total = sum((r.points + step * r.unrated for r in results), Decimal(0))
    if thresholds.pass_total is not None and best_total < thresholds.pass_total:
        return True
    return any(r.required is not None and r.points + step * r.unrated < r.required
               for r in results)


def evaluate(thresholds: Thresholds, criteria: Iterable[CriterionInput]) -> Result:
    """Totals against the thresholds. `missing` says what the ratings so far lack to pass;
    `passed` is False once even meeting every unrated standard could not pass, None while
    it still could or a threshold is unknown."""
    criteria = list(criteria)
    step = thresholds.points_per_standard
    results = []
    missing: list[Shortfall] = []
    unknown = False
    for criterion in criteria:
        points = step * sum(1 for met in criterion.standards_met if met)
        unrated = sum(1 for met in criterion.standards_met if met is None)
        ratio = (thresholds.key_criterion_ratio if criterion.number in thresholds.key_criteria
                 else thresholds.min_criterion_ratio)
        required = _required(criterion.benchmark, ratio, step)
        ok = None if required is None else points >= required
        if required is None:
            unknown = True
        elif not ok:
            missing.append(Shortfall(criterion.number, points, required))
        results.append(CriterionResult(criterion.number, points, criterion.benchmark,
                                       required, ok, unrated))
    total = sum((r.points for r in results), Decimal(0))
    maximum = step * sum(len(c.standards_met) for c in criteria)
    if thresholds.pass_total is None:
        unknown = True
    elif total < thresholds.pass_total:
        missing.insert(0, Shortfall(None, total, thresholds.pass_total))
    unrated = sum(r.unrated for r in results)
    if missing and _cannot_pass(thresholds, results, step):
        passed = False
    elif missing or unknown or unrated:
        passed = None
    else:
        passed = True
    return Result(total, maximum, tuple(results), passed, tuple(missing))


def evidence_code(criterion: int, standard: int, seq: int) -> str:
    """REGULATIONS §8.3: `[criterion.standard.seq]`, standard and sequence on two digits,
    e.g. 2.03.07 (shown in brackets)."""
    return f"{criterion}.{standard:02d}.{seq:02d}"


MIN_ENTERPRISE_REPRESENTATIVES = 2


def council_warnings(members: Iterable[tuple[str, bool]]) -> list[str]:
    """`members` as (role, is enterprise representative); the English keys of warnings."""
    members = list(members)
    warnings = []
    if sum(1 for _role, rep in members if rep) < MIN_ENTERPRISE_REPRESENTATIVES:
        warnings.append("few_enterprise_representatives")
    if not any(role == "chair" for role, _rep in members):
        warnings.append("no_chair")
    return warnings
