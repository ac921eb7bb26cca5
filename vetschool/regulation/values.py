"""The regulation's rule set (REGULATIONS.md §11): every threshold, weight, band, age and
ratio the system uses, validated when built.

Pure values, no Django: it lives in the platform because every domain app reads it —
grading (§1–§3), degrees (§4), training (§3.5, §10.2) and enrollment (§10.1) — and the
lower apps may not import grading. `vetschool.regulation.config` builds the running one
from settings; grading re-exports both (`grading.regulation`, `grading.config`).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

# §2.4 / §4.2 classification levels, best first (the API values of §4.2).
EXCELLENT = "excellent"
VERY_GOOD = "very_good"
GOOD = "good"
AVERAGE = "average"
CLASS_LEVELS = (EXCELLENT, VERY_GOOD, GOOD, AVERAGE)

INTERMEDIATE = "intermediate"
COLLEGE = "college"


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
    # §4.1 b / §4.2 graduation minimum (degrees.graduation); with `class_bands` and
    # `downgrade_retakes` above, the graduation review reads the same bands and counts.
    graduation_min_gpa: Decimal = Decimal("2.00")
    # §4.3 b: re-studied credits beyond this share of the program lower (strictly >).
    downgrade_restudy_max_ratio: Decimal = Decimal("0.10")
    # §10.1 admission age in the admission year (enrollment.eligibility); no maximum.
    min_age_intermediate: int = 15
    min_age_college: int = 17
    # §3.5 semester lengths in weeks, exams included (training calendar).
    main_semester_min_weeks: int = 15
    sub_semester_min_weeks: int = 4
    # §3.5 learners of a practice/integrated class; fewer for hazardous occupations.
    practice_class_max_learners: int = 18
    practice_class_max_learners_hazardous: int = 10
    # §10.2 minimum credits of a program: college, intermediate for upper-secondary
    # graduates, intermediate for learners admitted after lower-secondary school.
    min_credits_college: int = 60
    min_credits_intermediate: int = 35
    min_credits_intermediate_lower_secondary: int = 50

    def min_age(self, level: str) -> int:
        """§10.1 minimum admission age of a level (intermediate or college)."""
        return {INTERMEDIATE: self.min_age_intermediate, COLLEGE: self.min_age_college}[level]

    def min_credits(self, level: str, *, after_lower_secondary: bool = False) -> int:
        """§10.2 minimum credits of a program of `level` (for lower-secondary entrants)."""
        if level == COLLEGE:
            return self.min_credits_college
        if level == INTERMEDIATE:
            return (self.min_credits_intermediate_lower_secondary if after_lower_secondary
                    else self.min_credits_intermediate)
        raise KeyError(level)

    def practice_class_max(self, *, hazardous: bool) -> int:
        """§3.5 most learners of a practice or integrated class."""
        return (self.practice_class_max_learners_hazardous if hazardous
                else self.practice_class_max_learners)

    def semester_min_weeks(self, *, sub_semester: bool) -> int:
        """§3.5 shortest main semester or sub-semester, in weeks."""
        return self.sub_semester_min_weeks if sub_semester else self.main_semester_min_weeks

    def class_floor(self, level: str) -> Decimal:
        """The lowest GPA of a classification level (§2.4, §4.2)."""
        return next(band.min_gpa for band in self.class_bands if band.level == level)

    def retakes_lowering(self, level: str) -> int | None:
        """Retaken modules that lower `level` one step (§2.4 b, §4.3 a); None: never."""
        return dict(self.downgrade_retakes).get(level)

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
        # The graduation review (§4.2–4.3) classifies with these same bands and counts.
        if tuple(band.level for band in self.class_bands) != CLASS_LEVELS:
            raise ValueError(f"class_bands must give the levels {', '.join(CLASS_LEVELS)}, "
                             "in this order")
        levels = [level for level, _ in self.downgrade_retakes]
        if (len(levels) != len(set(levels)) or not set(levels) <= {EXCELLENT, VERY_GOOD}
                or any(count < 1 for _, count in self.downgrade_retakes)):
            raise ValueError("downgrade_retakes: at most one positive count each for "
                             "excellent and very_good (§4.3: good and average never lower)")
        if not self.class_floor(AVERAGE) <= self.graduation_min_gpa < self.class_floor(GOOD):
            raise ValueError("graduation_min_gpa must lie from the floor of average up to "
                             "below the floor of good")
        if not Decimal(0) <= self.downgrade_restudy_max_ratio <= 1:
            raise ValueError("downgrade_restudy_max_ratio must lie within 0..1")
        counts = ("min_age_intermediate", "min_age_college", "main_semester_min_weeks",
                  "sub_semester_min_weeks", "practice_class_max_learners",
                  "practice_class_max_learners_hazardous", "min_credits_college",
                  "min_credits_intermediate", "min_credits_intermediate_lower_secondary")
        for name in counts:
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be >= 1")
        if self.practice_class_max_learners_hazardous > self.practice_class_max_learners:
            raise ValueError("practice_class_max_learners_hazardous must not exceed "
                             "practice_class_max_learners")


DEFAULT_RULES = GradingRules()
