"""Grading regulation as pure functions over plain values.

Implements REGULATIONS.md §1 (scores, rounding, module score, letters, exam
eligibility, attempts), §2 (GPA, semester classification) and §3 (standing,
maximum study duration), with every threshold in ``GradingRules`` (§11).

Deliberately free of Django and of any I/O so that it can be tested
exhaustively anywhere. Every number is a ``Decimal``; ``float`` is refused
because binary floats cannot hold one-decimal scores exactly (§1.2).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal, localcontext

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
EXCELLENT = "excellent"
VERY_GOOD = "very_good"
GOOD = "good"
AVERAGE = "average"
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

_PLAIN_DECIMAL = re.compile(r"[0-9]+(\.[0-9]+)?")


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


# =============================================================================
# Configuration (§11)
# =============================================================================


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


# =============================================================================
# Results
# =============================================================================


@dataclass(frozen=True)
class LetterGrade:
    letter: str
    score_4: Decimal
    passed: bool


@dataclass(frozen=True)
class ModuleGrade:
    """One sitting graded: the inputs as used and the outcome (§1.3–1.5)."""

    checks_average: Decimal
    exam_score: Decimal
    score_10: Decimal
    letter: str
    score_4: Decimal
    passed: bool


@dataclass(frozen=True)
class ExamEligibility:
    eligible: bool
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class StudyRound:
    """One study round (lượt học) of a module, §1.7.

    ``exams`` holds the sittings in order: a score, ``ABSENT_UNEXCUSED`` or
    ``ABSENT_EXCUSED``. ``improvement`` marks an approved improvement round.
    """

    checks_average: ScoreInput
    eligible: bool = True
    exams: tuple[ScoreInput, ...] = ()
    improvement: bool = False


@dataclass(frozen=True)
class ModuleResult:
    """A module's outcome over all its rounds; score fields are None if never sat."""

    score_10: Decimal | None
    letter: str | None
    score_4: Decimal | None
    passed: bool
    attempts: int
    had_to_retake: bool
    had_to_restudy: bool
    status: str


@dataclass(frozen=True)
class GpaModule:
    """A module as it enters a GPA (§2): its counted score for the scope.

    ``module`` (an identifier) lets the same module given twice count once, at its
    best score. ``letter`` overrides the letter derived from ``score_10`` (pass the
    result's letter when a ``min_exam_score`` may have failed it).
    """

    credits: int
    score_10: ScoreInput | None
    counts_in_gpa: bool = True
    exempted: bool = False
    module: str | None = None
    letter: str | None = None


@dataclass(frozen=True)
class Gpa:
    gpa_4: Decimal | None
    gpa_10: Decimal | None
    credits_in_gpa: int
    credits_earned: int


@dataclass(frozen=True)
class Classification:
    level: str | None
    base_level: str | None
    downgraded: bool


@dataclass(frozen=True)
class AcademicStanding:
    """``consecutive_warnings`` is the count after this semester, to be stored for the next."""

    standing: str
    reasons: tuple[str, ...]
    warned: bool
    consecutive_warnings: int


# =============================================================================
# Values and rounding (§1.1–1.2)
# =============================================================================


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


def _round_gpa(value: Decimal, rules: GradingRules) -> Decimal:
    return _quantize(value, rules.gpa_places, rules)


def _divide(numerator: Decimal, denominator: Decimal) -> Decimal:
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


def _validate_gpa(value: ScoreInput, rules: GradingRules) -> Decimal:
    number = _to_decimal(value, what="GPA")
    top = max(band.points for band in rules.letter_bands)
    if (
        not number.is_finite()
        or not 0 <= number <= top
        or not _has_places(number, rules.gpa_places)
    ):
        raise GradingError(INVALID_GPA, f"invalid 4-point GPA: {value!r}")
    return number


def _optional_gpa(value: ScoreInput | None, rules: GradingRules) -> Decimal | None:
    return None if value is None else _validate_gpa(value, rules)


def _hours(value: ScoreInput, name: str) -> Decimal:
    number = _to_decimal(value, what=name)
    if not number.is_finite() or number < 0:
        raise GradingError(INVALID_HOURS, f"{name} must be a non-negative number: {value!r}")
    return number


def _count(value: int, code: str, name: str) -> int:
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
    return _round_score(_divide(total, weight), rules)


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


def _band_for_letter(letter: str, rules: GradingRules) -> LetterBand:
    for band in rules.letter_bands:
        if band.letter == letter:
            return band
    raise GradingError(INVALID_SCORE, f"unknown letter: {letter!r}")


def _failing_band(rules: GradingRules) -> LetterBand:
    return rules.letter_bands[-1]


def _grade_of_band(band: LetterBand, rules: GradingRules) -> LetterGrade:
    return LetterGrade(band.letter, band.points, band.min_score >= rules.pass_mark)


def letter_grade(score: ScoreInput, *, rules: GradingRules = DEFAULT_RULES) -> LetterGrade:
    """Letter, 4-point value and pass (≥ pass mark) of a one-decimal module score (§1.5)."""
    return _grade_of_band(_band_for_score(validate_score(score, rules=rules), rules), rules)


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
        grade = _grade_of_band(_failing_band(rules), rules)
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


# =============================================================================
# Exam eligibility (§1.6)
# =============================================================================


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
    theory_planned = _hours(theory_planned_hours, "theory_planned_hours")
    theory_attended = _hours(theory_attended_hours, "theory_attended_hours")
    practice_planned = _hours(practice_planned_hours, "practice_planned_hours")
    unexcused = _hours(practice_unexcused_absent_hours, "practice_unexcused_absent_hours")
    excused = _hours(practice_excused_absent_hours, "practice_excused_absent_hours")
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


# =============================================================================
# Module result over rounds and sittings (§1.7–1.8)
# =============================================================================


def _better(candidate: ModuleGrade, best: ModuleGrade | None) -> bool:
    # §1.7: the highest score counts; a pass outranks a fail only matters when
    # min_exam_score fails a sitting whose score is otherwise a pass.
    if best is None:
        return True
    return (candidate.passed, candidate.score_10) > (best.passed, best.score_10)


def _sitting_exam_score(exam: ScoreInput, rules: GradingRules) -> Decimal:
    # §1.8: an unexcused absence is a sitting scored 0.0.
    if exam == ABSENT_UNEXCUSED:
        return rules.score_min
    return validate_score(exam, rules=rules)


def _status_when_not_passed(
    last_round: StudyRound | None, sittings_in_last: int, rules: GradingRules
) -> str:
    if last_round is None:
        return STATUS_PENDING
    if not last_round.eligible or sittings_in_last >= rules.sittings_per_round:
        return STATUS_MUST_RESTUDY
    if sittings_in_last == 0:
        return STATUS_PENDING  # nothing sat yet, or only excused absences (§1.8)
    return STATUS_RETAKE_DUE


def module_result(
    rounds: Sequence[StudyRound], *, rules: GradingRules = DEFAULT_RULES
) -> ModuleResult:
    """Counted score, attempts, retake/restudy flags and status of a module (§1.7–1.8).

    Sittings taken after the first pass are improvement sittings (§1.7) whether or
    not their round is flagged ``improvement``; they never set the retake flags.
    """
    best: ModuleGrade | None = None
    attempts = 0
    passed = False
    had_to_retake = False
    restudy_started = False
    sittings_in_round = 0
    for index, study_round in enumerate(rounds):
        if study_round.improvement and not passed:
            raise GradingError(INVALID_ROUNDS, "an improvement round needs an earlier pass (§1.7)")
        if index > 0 and not passed:
            restudy_started = True
        average = validate_score(study_round.checks_average, rules=rules)
        sittings = [exam for exam in study_round.exams if exam != ABSENT_EXCUSED]
        if not study_round.eligible and sittings:
            raise GradingError(INVALID_ROUNDS, "an ineligible learner cannot sit the exam (§1.6)")
        if len(sittings) > rules.sittings_per_round:
            raise GradingError(INVALID_ROUNDS, "more sittings than allowed in one round (§1.7)")
        if not study_round.eligible and not passed:
            had_to_retake = True  # §1.7: ineligibility counts as having to retake
        sittings_in_round = len(sittings)
        for exam in sittings:
            grade = grade_sitting(average, _sitting_exam_score(exam, rules), rules=rules)
            attempts += 1
            if _better(grade, best):
                best = grade
            if grade.passed:
                passed = True
            elif not passed:
                had_to_retake = True

    if passed:
        status = STATUS_PASSED
    else:
        last_round = rounds[-1] if rounds else None
        status = _status_when_not_passed(last_round, sittings_in_round, rules)
    return ModuleResult(
        score_10=best.score_10 if best else None,
        letter=best.letter if best else None,
        score_4=best.score_4 if best else None,
        passed=passed,
        attempts=attempts,
        had_to_retake=had_to_retake,
        # A module not yet passed that must be re-studied already "had to re-study".
        had_to_restudy=restudy_started or status == STATUS_MUST_RESTUDY,
        status=status,
    )


# =============================================================================
# GPA (§2.1–2.3)
# =============================================================================


@dataclass(frozen=True)
class _GpaEntry:
    credits: int
    score_10: Decimal
    grade: LetterGrade
    counts_in_gpa: bool
    key: object


def _gpa_entry(module: GpaModule, position: int, rules: GradingRules) -> _GpaEntry | None:
    credits = _count(module.credits, INVALID_CREDITS, "credits")
    if module.exempted:
        return None  # §2.2: exempted modules are neither in the GPA nor earned
    if module.score_10 is None:
        raise GradingError(MISSING_SCORE, "a module in a GPA needs its counted score")
    score = validate_score(module.score_10, rules=rules)
    if module.letter is None:
        grade = letter_grade(score, rules=rules)
    else:
        grade = _grade_of_band(_band_for_letter(module.letter, rules), rules)
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
        gpa_4=_round_gpa(_divide(points, Decimal(credits_in_gpa)), rules),
        gpa_10=_round_gpa(_divide(scores, Decimal(credits_in_gpa)), rules),
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
    value = _validate_gpa(gpa_4, rules)
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
    retaken = _count(retaken_modules, INVALID_COUNT, "retaken_modules")
    if cumulative_gpa_4 is None:
        return Classification(None, None, False)
    base = gpa_level(cumulative_gpa_4, rules=rules)
    retake_limit = dict(rules.downgrade_retakes).get(base)
    downgraded = retake_limit is not None and (
        disciplined_warning_or_higher or retaken >= retake_limit
    )
    if not downgraded:
        return Classification(base, base, False)
    levels = _levels(rules)
    return Classification(levels[levels.index(base) + 1], base, True)


# =============================================================================
# Academic standing (§3.1–3.2) and maximum duration (§3.3)
# =============================================================================


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
    semester = _optional_gpa(semester_gpa_4, rules)
    cumulative = _optional_gpa(cumulative_gpa_4, rules)
    f_credits = _count(outstanding_f_credits, INVALID_CREDITS, "outstanding_f_credits")
    f_modules = _count(outstanding_f_modules, INVALID_COUNT, "outstanding_f_modules")
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
    previous = _count(
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
