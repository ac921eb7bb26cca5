"""The college's grading configuration (REGULATIONS.md §11): every threshold and weight
of §1–§3, validated when built.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from grading.regulation.codes import AVERAGE, EXCELLENT, GOOD, VERY_GOOD


@dataclass(frozen=True)
class LetterBand:
    """Module scores from ``min_score`` up to the next band get ``letter`` / ``points``."""

    min_score: Decimal
    letter: str
    points: Decimal


@dataclass(frozen=True)
class ClassBand:
    """A 4-point GPA from ``min_gpa`` up to the next band is classified ``level``."""

    min_gpa: Decimal
    level: str


@dataclass(frozen=True)
class DurationBracket:
    """Programs of ``min_months``–``max_months`` (inclusive) may last ``multiplier`` × as long."""

    min_months: int
    max_months: int
    multiplier: Decimal


@dataclass(frozen=True)
class GradingRules:
    """Every threshold and weight of REGULATIONS.md §1–§3, §11, defaults as written there.

    Thresholds given "per semester index" are tuples of ``(from_index, value)``:
    the value applies from that main-semester index until the next entry.
    """

    # §1.1–1.2 scale and rounding
    score_min: Decimal = Decimal("0.0")
    score_max: Decimal = Decimal("10.0")
    score_places: int = 1
    gpa_places: int = 2
    rounding: str = ROUND_HALF_UP
    # §1.3 check weights (Art. 16(1)(b))
    continuous_check_weight: Decimal = Decimal("1")
    periodic_check_weight: Decimal = Decimal("2")
    # §1.4 module weights (Art. 16(1)(a)); one setting for every module, must sum to 1
    checks_weight: Decimal = Decimal("0.4")
    exam_weight: Decimal = Decimal("0.6")
    min_exam_score: Decimal | None = None
    # §1.5 letter bands, highest first; the last band must start at 0
    letter_bands: tuple[LetterBand, ...] = (
        LetterBand(Decimal("8.5"), "A", Decimal("4.0")),
        LetterBand(Decimal("7.0"), "B", Decimal("3.0")),
        LetterBand(Decimal("5.5"), "C", Decimal("2.0")),
        LetterBand(Decimal("4.0"), "D", Decimal("1.0")),
        LetterBand(Decimal("0.0"), "F", Decimal("0.0")),
    )
    pass_mark: Decimal = Decimal("4.0")
    # §1.6 exam eligibility
    theory_min_ratio: Decimal = Decimal("0.70")
    practice_excused_max_ratio: Decimal = Decimal("0.15")
    checks_min: Decimal = Decimal("5.0")
    # §1.7 sittings
    sittings_per_round: int = 2
    # §2.3 which results enter each GPA
    semester_gpa_includes_failed: bool = True
    cumulative_gpa_includes_failed: bool = False
    # §2.4 / §4.2 classification bands, highest first; below the last one is WEAK
    class_bands: tuple[ClassBand, ...] = (
        ClassBand(Decimal("3.50"), EXCELLENT),
        ClassBand(Decimal("3.00"), VERY_GOOD),
        ClassBand(Decimal("2.50"), GOOD),
        ClassBand(Decimal("2.00"), AVERAGE),
    )
    # §2.4 / §4.3 a: retaken modules that lower a level by one
    downgrade_retakes: tuple[tuple[str, int], ...] = ((EXCELLENT, 1), (VERY_GOOD, 2))
    # §3.1 warnings
    semester_gpa_warning: tuple[tuple[int, Decimal], ...] = (
        (1, Decimal("0.80")),
        (2, Decimal("1.00")),
    )
    cumulative_gpa_warning: tuple[tuple[int, Decimal], ...] = (
        (1, Decimal("1.20")),
        (3, Decimal("1.40")),
    )
    outstanding_f_max_credits: int = 24
    outstanding_f_max_modules: int = 6
    # §3.2 dismissal
    consecutive_warnings_to_dismiss: int = 2
    # §3.3 maximum study duration
    duration_brackets: tuple[DurationBracket, ...] = (
        DurationBracket(24, 36, Decimal("1.5")),
        DurationBracket(12, 23, Decimal("2")),
    )
    # Consumed by graduation (§4.2–4.3) and admission (§10.1) logic, kept here so that
    # the college configures every grading threshold in one place (§11).
    graduation_min_gpa: Decimal = Decimal("2.00")
    downgrade_restudy_max_ratio: Decimal = Decimal("0.10")
    min_age_intermediate: int = 15
    min_age_college: int = 17

    def __post_init__(self) -> None:
        # A misconfiguration must fail at start-up, not produce wrong transcripts.
        if self.checks_weight + self.exam_weight != 1:
            raise ValueError("checks_weight + exam_weight must equal 1 (§1.4)")
        if min(self.checks_weight, self.exam_weight) < 0:
            raise ValueError("module weights must not be negative")
        if self.continuous_check_weight <= 0 or self.periodic_check_weight <= 0:
            raise ValueError("check weights must be positive")
        mins = [band.min_score for band in self.letter_bands]
        if not mins or mins != sorted(set(mins), reverse=True) or mins[-1] != self.score_min:
            raise ValueError("letter_bands must be strictly descending and end at score_min")
        gpas = [band.min_gpa for band in self.class_bands]
        if gpas != sorted(set(gpas), reverse=True):
            raise ValueError("class_bands must be strictly descending")
        for name in ("semester_gpa_warning", "cumulative_gpa_warning"):
            starts = [start for start, _ in getattr(self, name)]
            if not starts or starts[0] != 1 or starts != sorted(set(starts)):
                raise ValueError(f"{name} must start at semester 1 and be strictly increasing")
        if self.sittings_per_round < 1 or self.consecutive_warnings_to_dismiss < 1:
            raise ValueError("sittings_per_round and consecutive_warnings_to_dismiss must be >= 1")


DEFAULT_RULES = GradingRules()
