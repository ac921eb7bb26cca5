"""Graduation eligibility and classification (REGULATIONS §4) against the worked examples."""

import csv
import json
from decimal import Decimal
from pathlib import Path

import pytest

from degrees.graduation import (
    GraduationRules,
    check_graduation_eligibility,
    classify_graduation,
)

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"

ELIGIBILITY_CASES = json.loads(
    (EXAMPLES / "graduation_eligibility.json").read_text(encoding="utf-8")
)["cases"]
with (EXAMPLES / "graduation_classification.csv").open(encoding="utf-8", newline="") as _file:
    CLASSIFICATION_ROWS = list(csv.DictReader(_file))


def decimal_or_none(value: str | None) -> Decimal | None:
    return None if value in (None, "") else Decimal(value)


@pytest.mark.parametrize("case", ELIGIBILITY_CASES, ids=[case["id"] for case in ELIGIBILITY_CASES])
def test_graduation_eligibility(case):
    given = dict(case["input"], cumulative_gpa=decimal_or_none(case["input"]["cumulative_gpa"]))

    result = check_graduation_eligibility(**given)

    assert result.eligible is case["expected"]["eligible"]
    assert list(result.reasons) == case["expected"]["reasons"]


@pytest.mark.parametrize("row", CLASSIFICATION_ROWS, ids=[row["id"] for row in CLASSIFICATION_ROWS])
def test_graduation_classification(row):
    result = classify_graduation(
        cumulative_gpa_4=decimal_or_none(row["cumulative_gpa_4"]),
        retaken_modules=int(row["retaken_modules"]),
        restudied_credits=int(row["restudied_credits"]),
        program_credits=int(row["program_credits"]),
        discipline_during_study=row["discipline_during_study"],
    )

    assert result.classification == (row["expected_classification"] or None)
    assert result.downgraded is (row["expected_downgraded"] == "true")


def test_float_gpa_is_refused():
    with pytest.raises(TypeError):
        classify_graduation(
            cumulative_gpa_4=3.5,
            retaken_modules=0,
            restudied_credits=0,
            program_credits=90,
            discipline_during_study="none",
        )


def test_unrounded_gpa_is_refused():
    with pytest.raises(ValueError, match="two decimals"):
        classify_graduation(
            cumulative_gpa_4=Decimal("3.495"),
            retaken_modules=0,
            restudied_credits=0,
            program_credits=90,
            discipline_during_study="none",
        )


def test_rules_refuse_bands_out_of_order():
    with pytest.raises(ValueError, match="must increase"):
        GraduationRules(good_min_gpa=Decimal("3.20"))
