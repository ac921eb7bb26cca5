"""Diploma register and serial numbers (REGULATIONS §5.4) against register_number.csv."""

import csv
from pathlib import Path

import pytest

from degrees.numbering import SequenceOutOfRangeError, register_number, serial_number

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"

with (EXAMPLES / "register_number.csv").open(encoding="utf-8", newline="") as _file:
    ROWS = list(csv.DictReader(_file))


@pytest.mark.parametrize("row", ROWS, ids=[row["id"] for row in ROWS])
def test_register_and_serial_numbers(row):
    year, sequence = int(row["year"]), int(row["sequence"])

    if row["expected_error"]:
        with pytest.raises(SequenceOutOfRangeError) as raised:
            register_number(year, row["level"], sequence)
        assert raised.value.code == row["expected_error"]
    else:
        assert register_number(year, row["level"], sequence) == row["expected_register_number"]
        assert row["expected_register_number"]

    if row["expected_serial_number"]:
        serial = serial_number(year, sequence, row["institution_code"])
        assert serial == row["expected_serial_number"]
    else:
        with pytest.raises(SequenceOutOfRangeError):
            serial_number(year, sequence, row["institution_code"])
