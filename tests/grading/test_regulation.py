"""Table-driven tests of grading.regulation against the worked examples (REGULATIONS.md §1-3).

One parametrized test per example file, one case per row; then tests of the
configurable rules and of input validation. Decimals are built from strings only.
"""

from __future__ import annotations

import ast
import csv
import json
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from grading import regulation
from grading.regulation import (
    ABSENT_EXCUSED,
    ABSENT_UNEXCUSED,
    AVERAGE,
    CHECKS_AVERAGE,
    CONSECUTIVE_WARNINGS,
    CUMULATIVE_GPA,
    DEFAULT_RULES,
    EXCELLENT,
    GOOD,
    MAX_DURATION,
    OUTSTANDING_F,
    PRACTICE_ATTENDANCE,
    SEMESTER_GPA,
    STATUS_MUST_RESTUDY,
    STATUS_PASSED,
    STATUS_PENDING,
    STATUS_RETAKE_DUE,
    THEORY_ATTENDANCE,
    VERY_GOOD,
    WEAK,
    DurationBracket,
    GpaModule,
    GradingError,
    GradingRules,
    InvalidScore,
    LetterBand,
    ProgramLengthOutOfRange,
    StudyRound,
)

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


# --- loading ------------------------------------------------------------------


def _csv_rows(name: str) -> list[dict[str, str]]:
    with (EXAMPLES / name).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _json_cases(name: str) -> list[dict]:
    with (EXAMPLES / name).open(encoding="utf-8") as handle:
        return json.load(handle)["cases"]


def _csv_params(name: str) -> list:
    return [pytest.param(row, id=row["id"]) for row in _csv_rows(name)]


def _json_params(name: str) -> list:
    return [pytest.param(case, id=case["id"]) for case in _json_cases(name)]


def _bool(text: str) -> bool:
    assert text in ("true", "false"), text
    return text == "true"


def _list(text: str) -> list[str]:
    return text.split(";") if text else []


def _optional(text: str) -> str | None:
    return text or None


def assert_decimal(actual: object, expected: str | None) -> None:
    """Same value and same number of places, so "2.50" is not accepted as "2.5"."""
    if expected is None:
        assert actual is None
        return
    assert isinstance(actual, Decimal), f"{actual!r} is not a Decimal"
    assert actual == Decimal(expected)
    assert str(actual) == expected


# --- one test per example file ------------------------------------------------


@pytest.mark.parametrize("row", _csv_params("rounding.csv"))
def test_rounding(row: dict[str, str]) -> None:
    round_fn = {"1": regulation.round1, "2": regulation.round2}[row["places"]]
    assert_decimal(round_fn(Decimal(row["raw_value"])), row["expected"])
    assert_decimal(round_fn(row["raw_value"]), row["expected"])


@pytest.mark.parametrize("row", _csv_params("module_score.csv"))
def test_module_score(row: dict[str, str]) -> None:
    rules = GradingRules(
        checks_weight=Decimal(row["weight_checks"]), exam_weight=Decimal(row["weight_exam"])
    )
    continuous = _list(row["continuous_checks"])
    periodic = _list(row["periodic_checks"])

    average = regulation.checks_average(continuous, periodic, rules=rules)
    score = regulation.module_score(average, row["exam"], rules=rules)
    grade = regulation.grade_module(continuous, periodic, row["exam"], rules=rules)

    assert_decimal(average, row["expected_checks_average"])
    assert_decimal(score, row["expected_module_score"])
    assert_decimal(grade.checks_average, row["expected_checks_average"])
    assert_decimal(grade.score_10, row["expected_module_score"])
    assert grade.letter == row["expected_letter"]
    assert_decimal(grade.score_4, row["expected_score_4"])
    assert grade.passed is _bool(row["expected_passed"])


@pytest.mark.parametrize("row", _csv_params("letter_grade.csv"))
def test_letter_grade(row: dict[str, str]) -> None:
    if row["expected_error"]:
        with pytest.raises(InvalidScore) as error:
            regulation.letter_grade(row["module_score"])
        assert error.value.code == row["expected_error"]
        return
    grade = regulation.letter_grade(row["module_score"])
    assert grade.letter == row["expected_letter"]
    assert_decimal(grade.score_4, row["expected_score_4"])
    assert grade.passed is _bool(row["expected_passed"])


@pytest.mark.parametrize("row", _csv_params("exam_eligibility.csv"))
def test_exam_eligibility(row: dict[str, str]) -> None:
    result = regulation.exam_eligibility(
        theory_planned_hours=row["theory_planned_hours"],
        theory_attended_hours=row["theory_attended_hours"],
        practice_planned_hours=row["practice_planned_hours"],
        practice_unexcused_absent_hours=row["practice_unexcused_absent_hours"],
        practice_excused_absent_hours=row["practice_excused_absent_hours"],
        excused_hours_made_up=_bool(row["excused_hours_made_up"]),
        checks_average=row["checks_average"],
    )
    assert result.eligible is _bool(row["expected_eligible"])
    assert list(result.reasons) == _list(row["expected_reasons"])


def _study_round(data: dict) -> StudyRound:
    return StudyRound(
        checks_average=data["checks_average"],
        eligible=data["eligible"],
        exams=tuple(data["exams"]),
        improvement=data.get("improvement", False),
    )


@pytest.mark.parametrize("case", _json_params("module_result.json"))
def test_module_result(case: dict) -> None:
    expected = case["expected"]
    result = regulation.module_result([_study_round(r) for r in case["input"]["rounds"]])
    assert_decimal(result.score_10, expected["score_10"])
    assert result.letter == expected["letter"]
    assert_decimal(result.score_4, expected["score_4"])
    assert result.passed is expected["passed"]
    assert result.attempts == expected["attempts"]
    assert result.had_to_retake is expected["had_to_retake"]
    assert result.status == expected["status"]


def _gpa_module(data: dict) -> GpaModule:
    return GpaModule(
        credits=data["credits"],
        score_10=data["score_10"],
        counts_in_gpa=data["counts_in_gpa"],
        exempted=data.get("exempted", False),
        module=data["module"],
    )


@pytest.mark.parametrize("case", _json_params("gpa.json"))
def test_gpa(case: dict) -> None:
    expected = case["expected"]
    modules = [_gpa_module(m) for m in case["input"]["modules"]]
    result = regulation.gpa(modules, case["input"]["scope"])
    assert_decimal(result.gpa_4, expected["gpa_4"])
    assert_decimal(result.gpa_10, expected["gpa_10"])
    assert result.credits_in_gpa == expected["credits_in_gpa"]
    assert result.credits_earned == expected["credits_earned"]


@pytest.mark.parametrize("row", _csv_params("standing.csv"))
def test_standing(row: dict[str, str]) -> None:
    result = regulation.academic_standing(
        int(row["semester_index"]),
        _optional(row["semester_gpa_4"]),
        _optional(row["cumulative_gpa_4"]),
        int(row["outstanding_f_credits"]),
        int(row["outstanding_f_modules"]),
        previous_consecutive_warnings=int(_bool(row["previous_semester_warning"])),
        exceeded_max_duration=_bool(row["exceeded_max_duration"]),
    )
    assert result.standing == row["expected_standing"]
    assert list(result.reasons) == _list(row["expected_reasons"])


@pytest.mark.parametrize("row", _csv_params("max_duration.csv"))
def test_max_duration(row: dict[str, str]) -> None:
    months = int(row["program_months"])
    if row["expected_error"]:
        with pytest.raises(ProgramLengthOutOfRange) as error:
            regulation.max_study_months(months)
        assert error.value.code == row["expected_error"]
        return
    assert regulation.max_study_months(months) == int(row["expected_max_study_months"])


# --- semester classification (§2.4; no example file, table from the rule) -----

CLASSIFICATION_TABLE = [
    # id, cumulative GPA, retaken modules, disciplined, expected level, expected downgraded
    ("SC01", "4.00", 0, False, EXCELLENT, False),
    ("SC02", "3.50", 0, False, EXCELLENT, False),
    ("SC03", "3.49", 0, False, VERY_GOOD, False),
    ("SC04", "3.00", 0, False, VERY_GOOD, False),
    ("SC05", "2.99", 0, False, GOOD, False),
    ("SC06", "2.50", 0, False, GOOD, False),
    ("SC07", "2.49", 0, False, AVERAGE, False),
    ("SC08", "2.00", 0, False, AVERAGE, False),
    ("SC09", "1.99", 0, False, WEAK, False),
    ("SC10", "0.00", 0, False, WEAK, False),
    ("SC11", "3.80", 1, False, VERY_GOOD, True),
    ("SC12", "3.80", 0, True, VERY_GOOD, True),
    ("SC13", "3.80", 3, True, VERY_GOOD, True),
    ("SC14", "3.20", 1, False, VERY_GOOD, False),
    ("SC15", "3.20", 2, False, GOOD, True),
    ("SC16", "3.20", 0, True, GOOD, True),
    ("SC17", "2.80", 5, True, GOOD, False),
    ("SC18", "2.10", 5, True, AVERAGE, False),
    ("SC19", "1.50", 5, True, WEAK, False),
]


@pytest.mark.parametrize(
    ("gpa_4", "retaken", "disciplined", "level", "downgraded"),
    [pytest.param(*row[1:], id=row[0]) for row in CLASSIFICATION_TABLE],
)
def test_semester_classification(
    gpa_4: str, retaken: int, disciplined: bool, level: str, downgraded: bool
) -> None:
    result = regulation.semester_classification(
        gpa_4, retaken_modules=retaken, disciplined_warning_or_higher=disciplined
    )
    assert result.level == level
    assert result.downgraded is downgraded
    assert result.base_level == regulation.gpa_level(gpa_4)


def test_semester_classification_without_gpa() -> None:
    result = regulation.semester_classification(None)
    assert (result.level, result.base_level, result.downgraded) == (None, None, False)


# --- module result: details beyond the example file ---------------------------


@pytest.mark.parametrize(
    ("rounds", "had_to_restudy"),
    [
        pytest.param([StudyRound("7.0", exams=("6.0",))], False, id="first-round-pass"),
        pytest.param([StudyRound("6.0", exams=("2.0", "1.0"))], True, id="must-restudy"),
        pytest.param([StudyRound("4.0", eligible=False)], True, id="ineligible"),
        pytest.param(
            [StudyRound("6.0", exams=("2.0", "1.0")), StudyRound("8.0", exams=("7.0",))],
            True,
            id="restudied-then-passed",
        ),
        pytest.param(
            [StudyRound("8.0", exams=("5.0",)), StudyRound("8.0", ("9.0",), improvement=True)],
            False,
            id="improvement-is-not-restudy",
        ),
        pytest.param([StudyRound("6.0", exams=("2.0",))], False, id="retake-due"),
    ],
)
def test_module_result_had_to_restudy(rounds: list[StudyRound], had_to_restudy: bool) -> None:
    assert regulation.module_result(rounds).had_to_restudy is had_to_restudy


def test_unexcused_absences_then_restudy_pass() -> None:
    result = regulation.module_result(
        [
            StudyRound("6.0", exams=(ABSENT_UNEXCUSED, ABSENT_UNEXCUSED)),
            StudyRound("6.0", exams=(ABSENT_EXCUSED, "6.0")),
        ]
    )
    assert (result.status, result.attempts, result.had_to_retake) == (STATUS_PASSED, 3, True)
    assert result.had_to_restudy is True
    assert_decimal(result.score_10, "6.0")


def test_module_result_without_rounds_is_pending() -> None:
    result = regulation.module_result([])
    assert (result.status, result.attempts, result.score_10) == (STATUS_PENDING, 0, None)


def test_excused_absence_after_one_failed_sitting_keeps_retake_due() -> None:
    result = regulation.module_result([StudyRound("6.0", exams=("2.0", ABSENT_EXCUSED))])
    assert (result.status, result.attempts) == (STATUS_RETAKE_DUE, 1)


@pytest.mark.parametrize(
    "study_round",
    [
        pytest.param(StudyRound("6.0", exams=("2.0", "1.0", "9.0")), id="three-sittings"),
        pytest.param(StudyRound("4.0", eligible=False, exams=("6.0",)), id="ineligible-sat"),
        pytest.param(StudyRound("6.0", exams=("6.0",), improvement=True), id="improve-unpassed"),
    ],
)
def test_module_result_rejects_impossible_rounds(study_round: StudyRound) -> None:
    with pytest.raises(GradingError) as error:
        regulation.module_result([study_round])
    assert error.value.code == regulation.INVALID_ROUNDS


def test_module_result_rejects_invalid_exam_score() -> None:
    with pytest.raises(InvalidScore):
        regulation.module_result([StudyRound("6.0", exams=("6.05",))])


# --- configurable rules: a non-default GradingRules changes the outcome -------


def test_default_rules_are_the_regulation_values() -> None:
    rules = DEFAULT_RULES
    assert (rules.checks_weight, rules.exam_weight) == (Decimal("0.4"), Decimal("0.6"))
    assert (rules.continuous_check_weight, rules.periodic_check_weight) == (1, 2)
    assert [(b.min_score, b.letter, b.points) for b in rules.letter_bands] == [
        (Decimal("8.5"), "A", Decimal("4.0")),
        (Decimal("7.0"), "B", Decimal("3.0")),
        (Decimal("5.5"), "C", Decimal("2.0")),
        (Decimal("4.0"), "D", Decimal("1.0")),
        (Decimal("0.0"), "F", Decimal("0.0")),
    ]
    assert rules.pass_mark == Decimal("4.0")
    assert rules.min_exam_score is None
    assert (rules.theory_min_ratio, rules.practice_excused_max_ratio, rules.checks_min) == (
        Decimal("0.70"),
        Decimal("0.15"),
        Decimal("5.0"),
    )
    assert rules.sittings_per_round == 2
    assert rules.semester_gpa_includes_failed and not rules.cumulative_gpa_includes_failed
    assert rules.consecutive_warnings_to_dismiss == 2
    assert (rules.outstanding_f_max_credits, rules.outstanding_f_max_modules) == (24, 6)


def test_min_exam_score_fails_a_module_with_a_passing_score() -> None:
    rules = GradingRules(min_exam_score=Decimal("3.0"))
    grade = regulation.grade_sitting("10.0", "2.0", rules=rules)  # 4.0 + 1.2 = 5.2
    assert_decimal(grade.score_10, "5.2")
    assert (grade.letter, grade.passed) == ("F", False)
    assert regulation.grade_sitting("10.0", "2.0").passed  # no minimum by default (§1.4)


def test_min_exam_score_prefers_a_passed_sitting_as_counted_result() -> None:
    rules = GradingRules(min_exam_score=Decimal("3.0"))
    # 10.0/2.0 -> 5.2 but F (exam below 3.0); retake 10.0/3.0 -> 5.8 C.
    result = regulation.module_result([StudyRound("10.0", exams=("2.0", "3.0"))], rules=rules)
    assert (result.passed, result.letter, result.had_to_retake) == (True, "C", True)


def test_three_sittings_per_round_turns_must_restudy_into_retake_due() -> None:
    rounds = [StudyRound("6.0", exams=("2.0", "1.0"))]
    assert regulation.module_result(rounds).status == STATUS_MUST_RESTUDY
    rules = GradingRules(sittings_per_round=3)
    assert regulation.module_result(rounds, rules=rules).status == STATUS_RETAKE_DUE


def test_other_letter_bands_and_pass_mark() -> None:
    rules = GradingRules(
        letter_bands=(
            LetterBand(Decimal("9.0"), "A", Decimal("4.0")),
            LetterBand(Decimal("5.0"), "D", Decimal("1.0")),
            LetterBand(Decimal("0.0"), "F", Decimal("0.0")),
        ),
        pass_mark=Decimal("5.0"),
    )
    assert regulation.letter_grade("8.9", rules=rules).letter == "D"
    assert regulation.letter_grade("4.0", rules=rules).passed is False
    assert regulation.letter_grade("4.0").passed is True


def test_other_check_weights() -> None:
    rules = GradingRules(periodic_check_weight=Decimal("1"))
    assert_decimal(regulation.checks_average(["7.0"], ["8.0"], rules=rules), "7.5")
    assert_decimal(regulation.checks_average(["7.0"], ["8.0"]), "7.7")


def test_eligibility_thresholds_are_configurable() -> None:
    hours = {
        "theory_planned_hours": 30,
        "theory_attended_hours": 21,
        "practice_planned_hours": 60,
        "practice_unexcused_absent_hours": 0,
        "practice_excused_absent_hours": 9,
        "excused_hours_made_up": True,
        "checks_average": "4.5",
    }
    assert regulation.exam_eligibility(**hours).reasons == (PRACTICE_ATTENDANCE, CHECKS_AVERAGE)
    rules = GradingRules(
        theory_min_ratio=Decimal("0.80"),
        practice_excused_max_ratio=Decimal("0.20"),
        checks_min=Decimal("4.0"),
    )
    assert regulation.exam_eligibility(**hours, rules=rules).reasons == (THEORY_ATTENDANCE,)


def test_attendance_waiver_never_lifts_the_checks_average() -> None:
    result = regulation.exam_eligibility(
        theory_planned_hours=30,
        theory_attended_hours=10,
        practice_planned_hours=60,
        practice_unexcused_absent_hours=5,
        practice_excused_absent_hours=0,
        excused_hours_made_up=False,
        checks_average="4.9",
        attendance_waived=True,
    )
    assert (result.eligible, result.reasons) == (False, (CHECKS_AVERAGE,))


def test_gpa_inclusion_of_failed_modules_is_configurable() -> None:
    modules = [GpaModule(3, "8.5"), GpaModule(2, "3.0")]
    assert_decimal(regulation.semester_gpa(modules).gpa_4, "2.40")
    rules = GradingRules(semester_gpa_includes_failed=False, cumulative_gpa_includes_failed=True)
    assert_decimal(regulation.semester_gpa(modules, rules=rules).gpa_4, "4.00")
    assert_decimal(regulation.cumulative_gpa(modules, rules=rules).gpa_4, "2.40")


def test_gpa_counts_a_module_once_at_its_best_score() -> None:
    modules = [
        GpaModule(3, "3.0", module="M1"),
        GpaModule(3, "7.0", module="M1"),
        GpaModule(2, "8.5", module="M2"),
    ]
    result = regulation.semester_gpa(modules)
    assert_decimal(result.gpa_4, "3.40")  # (3*3 + 2*4) / 5
    assert (result.credits_in_gpa, result.credits_earned) == (5, 5)


def test_gpa_letter_override_from_a_module_result() -> None:
    result = regulation.semester_gpa([GpaModule(3, "5.2", letter="F"), GpaModule(3, "7.0")])
    assert_decimal(result.gpa_4, "1.50")
    assert result.credits_earned == 3


def test_exempted_module_needs_no_score() -> None:
    result = regulation.cumulative_gpa([GpaModule(3, None, exempted=True), GpaModule(2, "7.0")])
    assert (result.credits_in_gpa, result.credits_earned) == (2, 2)


def test_standing_thresholds_and_dismissal_count_are_configurable() -> None:
    args = (4, "0.90", "1.30", 0, 0)
    assert regulation.academic_standing(*args, previous_consecutive_warnings=1).standing == (
        regulation.STANDING_DISMISSED
    )
    rules = GradingRules(consecutive_warnings_to_dismiss=3)
    result = regulation.academic_standing(*args, previous_consecutive_warnings=1, rules=rules)
    assert (result.standing, result.consecutive_warnings) == (regulation.STANDING_WARNING, 2)
    lenient = GradingRules(
        semester_gpa_warning=((1, Decimal("0.50")),),
        cumulative_gpa_warning=((1, Decimal("1.00")),),
        outstanding_f_max_credits=30,
    )
    assert regulation.academic_standing(4, "0.90", "1.30", 25, 0, rules=lenient).standing == (
        regulation.STANDING_NORMAL
    )


def test_standing_reasons_list_dismissal_then_warning_criteria() -> None:
    result = regulation.academic_standing(
        3,
        "0.50",
        "1.10",
        30,
        2,
        previous_consecutive_warnings=1,
        exceeded_max_duration=True,
    )
    assert result.reasons == (
        MAX_DURATION,
        CONSECUTIVE_WARNINGS,
        SEMESTER_GPA,
        CUMULATIVE_GPA,
        OUTSTANDING_F,
    )
    assert (result.warned, result.consecutive_warnings) == (True, 2)


def test_standing_resets_consecutive_warnings() -> None:
    result = regulation.academic_standing(4, "2.50", "2.50", 0, 0, previous_consecutive_warnings=1)
    assert (result.standing, result.consecutive_warnings) == (regulation.STANDING_NORMAL, 0)


def test_classification_downgrade_thresholds_are_configurable() -> None:
    rules = GradingRules(downgrade_retakes=((EXCELLENT, 2), (VERY_GOOD, 3)))
    assert regulation.semester_classification("3.80", retaken_modules=1, rules=rules).level == (
        EXCELLENT
    )
    assert regulation.semester_classification("3.20", retaken_modules=3, rules=rules).level == (
        GOOD
    )
    # Only very good or higher is ever lowered (§2.4, §4.3): a count for good is refused,
    # since the graduation review reads the same setting.
    with pytest.raises(ValueError, match="downgrade_retakes"):
        GradingRules(downgrade_retakes=((EXCELLENT, 2), (VERY_GOOD, 3), (GOOD, 1)))


def test_duration_brackets_are_configurable() -> None:
    rules = GradingRules(duration_brackets=(DurationBracket(6, 48, Decimal("1.25")),))
    assert regulation.max_study_months(37, rules=rules) == 46  # 46.25 floored
    with pytest.raises(ProgramLengthOutOfRange):
        regulation.max_study_months(37)


def test_rounding_mode_lives_in_the_rules() -> None:
    rules = GradingRules(rounding="ROUND_HALF_EVEN")
    assert_decimal(regulation.round1(Decimal("7.25"), rules=rules), "7.2")
    assert_decimal(regulation.round1(Decimal("7.25")), "7.3")


@pytest.mark.parametrize(
    "changes",
    [
        pytest.param({"checks_weight": Decimal("0.5")}, id="weights-not-summing-to-1"),
        pytest.param(
            {"checks_weight": Decimal("1.2"), "exam_weight": Decimal("-0.2")},
            id="negative-weight",
        ),
        pytest.param({"periodic_check_weight": Decimal("0")}, id="zero-check-weight"),
        pytest.param(
            {"letter_bands": (LetterBand(Decimal("4.0"), "D", Decimal("1.0")),)},
            id="bands-not-down-to-zero",
        ),
        pytest.param(
            {
                "letter_bands": (
                    LetterBand(Decimal("4.0"), "D", Decimal("1.0")),
                    LetterBand(Decimal("8.5"), "A", Decimal("4.0")),
                    LetterBand(Decimal("0.0"), "F", Decimal("0.0")),
                )
            },
            id="bands-not-descending",
        ),
        pytest.param({"semester_gpa_warning": ((2, Decimal("1.00")),)}, id="warning-from-2"),
        pytest.param({"sittings_per_round": 0}, id="no-sittings"),
    ],
)
def test_inconsistent_rules_are_rejected(changes: dict) -> None:
    with pytest.raises(ValueError):
        replace(DEFAULT_RULES, **changes)


def test_rules_are_frozen() -> None:
    with pytest.raises(AttributeError):
        DEFAULT_RULES.pass_mark = Decimal("5.0")  # type: ignore[misc]


# --- input validation ---------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("8.50", "8.5"),
        (" 8.5 ", "8.5"),
        ("8", "8.0"),
        ("0", "0.0"),
        ("10.00", "10.0"),
        (Decimal("8.50"), "8.5"),
        (Decimal("7"), "7.0"),
        (Decimal("-0.0"), "0.0"),
        (7, "7.0"),
        (0, "0.0"),
        (10, "10.0"),
    ],
)
def test_validate_score_accepts(value: object, expected: str) -> None:
    assert_decimal(regulation.validate_score(value), expected)


@pytest.mark.parametrize(
    "value",
    [
        "8.45",
        "10.1",
        "-0.1",
        "-0.0",
        "11",
        "8,5",
        "abc",
        "",
        "NaN",
        "Infinity",
        "1e1",
        "1_0",
        "8.",
        Decimal("8.45"),
        Decimal("10.01"),
        Decimal("NaN"),
        Decimal("Infinity"),
        -1,
        11,
    ],
)
def test_validate_score_rejects(value: object) -> None:
    with pytest.raises(InvalidScore) as error:
        regulation.validate_score(value)
    assert error.value.code == regulation.INVALID_SCORE == "invalid_score"
    assert isinstance(error.value, ValueError)


@pytest.mark.parametrize("value", [8.5, True, None, [8.5]])
def test_validate_score_refuses_float_and_other_types(value: object) -> None:
    with pytest.raises(TypeError):
        regulation.validate_score(value)


@pytest.mark.parametrize("function", [regulation.round1, regulation.round2])
def test_rounding_refuses_float(function) -> None:
    with pytest.raises(TypeError):
        function(2.675)


def test_checks_average_needs_a_check() -> None:
    with pytest.raises(GradingError) as error:
        regulation.checks_average([], [])
    assert error.value.code == regulation.MISSING_CHECKS


def test_checks_average_rejects_invalid_check_scores() -> None:
    with pytest.raises(InvalidScore):
        regulation.checks_average(["7.0", "10.5"], [])


def test_module_score_rejects_an_unrounded_checks_average() -> None:
    with pytest.raises(InvalidScore):
        regulation.module_score("7.25", "6.0")


@pytest.mark.parametrize(
    "changes",
    [
        pytest.param({"theory_attended_hours": 31}, id="attended-above-planned"),
        pytest.param({"practice_excused_absent_hours": 61}, id="absent-above-planned"),
        pytest.param({"theory_planned_hours": -1}, id="negative-hours"),
        pytest.param(
            {"practice_planned_hours": 0, "practice_unexcused_absent_hours": 1},
            id="absence-without-practice",
        ),
    ],
)
def test_exam_eligibility_rejects_impossible_hours(changes: dict) -> None:
    arguments = {
        "theory_planned_hours": 30,
        "theory_attended_hours": 30,
        "practice_planned_hours": 60,
        "practice_unexcused_absent_hours": 0,
        "practice_excused_absent_hours": 0,
        "excused_hours_made_up": False,
        "checks_average": "6.0",
    }
    with pytest.raises(GradingError) as error:
        regulation.exam_eligibility(**{**arguments, **changes})
    assert error.value.code == regulation.INVALID_HOURS


def test_exam_eligibility_refuses_float_hours() -> None:
    with pytest.raises(TypeError):
        regulation.exam_eligibility(
            theory_planned_hours=30,
            theory_attended_hours=21.0,
            practice_planned_hours=0,
            practice_unexcused_absent_hours=0,
            practice_excused_absent_hours=0,
            excused_hours_made_up=False,
            checks_average="6.0",
        )


@pytest.mark.parametrize(
    ("module", "code"),
    [
        pytest.param(GpaModule(-1, "7.0"), regulation.INVALID_CREDITS, id="negative-credits"),
        pytest.param(GpaModule(True, "7.0"), regulation.INVALID_CREDITS, id="bool-credits"),
        pytest.param(GpaModule(3, None), regulation.MISSING_SCORE, id="missing-score"),
        pytest.param(GpaModule(3, "7.05"), regulation.INVALID_SCORE, id="invalid-score"),
        pytest.param(GpaModule(3, "7.0", letter="B+"), regulation.INVALID_SCORE, id="bad-letter"),
    ],
)
def test_gpa_rejects_invalid_modules(module: GpaModule, code: str) -> None:
    with pytest.raises(GradingError) as error:
        regulation.semester_gpa([module])
    assert error.value.code == code


def test_gpa_rejects_unknown_scope() -> None:
    with pytest.raises(ValueError):
        regulation.gpa([], "yearly")


@pytest.mark.parametrize(
    ("arguments", "code"),
    [
        pytest.param((0, "1.00", "1.00", 0, 0), regulation.INVALID_SEMESTER_INDEX, id="index-0"),
        pytest.param((1, "4.01", "1.00", 0, 0), regulation.INVALID_GPA, id="gpa-above-4"),
        pytest.param((1, "1.005", "1.00", 0, 0), regulation.INVALID_GPA, id="gpa-3-places"),
        pytest.param((1, "1.00", "-0.01", 0, 0), regulation.INVALID_GPA, id="gpa-negative"),
        pytest.param((1, "1.00", "1.00", -1, 0), regulation.INVALID_CREDITS, id="f-credits"),
        pytest.param((1, "1.00", "1.00", 0, -1), regulation.INVALID_COUNT, id="f-modules"),
    ],
)
def test_standing_rejects_invalid_input(arguments: tuple, code: str) -> None:
    with pytest.raises(GradingError) as error:
        regulation.academic_standing(*arguments)
    assert error.value.code == code


def test_classification_rejects_invalid_gpa() -> None:
    with pytest.raises(GradingError) as error:
        regulation.semester_classification("4.50")
    assert error.value.code == regulation.INVALID_GPA


@pytest.mark.parametrize("months", [24.0, True, "24"])
def test_max_duration_refuses_non_int(months: object) -> None:
    with pytest.raises(TypeError):
        regulation.max_study_months(months)


@pytest.mark.parametrize(
    "source", sorted(Path(regulation.__file__).parent.glob("*.py")), ids=lambda path: path.name
)
def test_grading_module_imports_no_django(source: Path) -> None:
    tree = ast.parse(source.read_text(encoding="utf-8"))
    imported = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    imported |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not any(name.split(".")[0] == "django" for name in imported)
    calls = {
        node.func.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    }
    assert "float" not in calls and "round" not in calls
