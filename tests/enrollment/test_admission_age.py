"""Admission age (REGULATIONS §10.1) against tests/examples/admission_age.csv."""

import csv
from pathlib import Path

import pytest

from enrollment.eligibility import is_old_enough_for_admission

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"

with (EXAMPLES / "admission_age.csv").open(encoding="utf-8", newline="") as _file:
    ROWS = list(csv.DictReader(_file))


@pytest.mark.parametrize("row", ROWS, ids=[row["id"] for row in ROWS])
def test_admission_age(row):
    old_enough = is_old_enough_for_admission(
        int(row["birth_year"]), int(row["admission_year"]), row["level"]
    )

    assert old_enough is (row["expected_old_enough"] == "true")
