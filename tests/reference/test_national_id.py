"""Personal ID validation (REGULATIONS §6.2) against tests/examples/national_id.csv."""

import csv
from pathlib import Path

import pytest
from django.utils import translation

from vetschool.reference.national_id import (
    BIRTH_YEAR,
    CENTURY,
    ERROR_CODES,
    FORMAT,
    GENDER,
    NATIONAL_ID_ERROR_MESSAGES,
    PROVINCE,
    mask_national_id,
    national_id_error_message,
    validate_national_id,
)

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
PROVINCES_CSV = (
    Path(__file__).resolve().parents[2] / "vetschool" / "reference" / "data" / "provinces.csv"
)


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


PROVINCE_CODES = frozenset(row["id_code"] for row in read_csv(PROVINCES_CSV))
ROWS = read_csv(EXAMPLES / "national_id.csv")


def test_province_list_has_the_63_legacy_codes():
    assert len(PROVINCE_CODES) == 63


@pytest.mark.parametrize("row", ROWS, ids=[row["id"] for row in ROWS])
def test_validate_national_id(row):
    errors = validate_national_id(
        row["national_id"],
        birth_date_or_year=int(row["birth_year"]),
        gender=row["gender"],
        province_codes=PROVINCE_CODES,
    )

    expected_errors = row["expected_errors"].split(";") if row["expected_errors"] else []
    assert errors == expected_errors
    assert (errors == []) is (row["expected_valid"] == "true")


@pytest.mark.parametrize(
    ("number", "masked"),
    [
        ("001203000045", "0012******45"),
        ("079303000123", "0793******23"),
        ("0010900123", "0010****23"),
        ("1234567", "1234*67"),
        ("123456", "******"),
        ("", ""),
    ],
)
def test_mask_national_id(number, masked):
    assert mask_national_id(number) == masked


def test_every_error_code_has_a_message():
    assert set(NATIONAL_ID_ERROR_MESSAGES) == set(ERROR_CODES)


@pytest.mark.parametrize(
    ("code", "number", "birth_year", "names"),
    [
        (FORMAT, "00109001234", 1990, ["12 digits"]),
        (PROVINCE, "003191012345", 1990, ["first 3 digits (003)", "province"]),
        (CENTURY, "001290012345", 1990, ["4th digit (2)", "2000", "2099", "1990"]),
        (GENDER, "001190012345", 1990, ["4th digit (1)", "gender"]),
        (BIRTH_YEAR, "001091012345", 1990, ["Digits 5-6 (91)", "1990"]),
    ],
)
def test_message_names_the_wrong_part(code, number, birth_year, names):
    # Imported here, not at module level: pytest's collection would touch the lazy settings
    # object and load the project settings before this guard can run.
    from django.conf import settings

    if not settings.configured:
        settings.configure(USE_I18N=False)
    with translation.override("en"):
        message = national_id_error_message(code, number, birth_date_or_year=birth_year)

    for name in names:
        assert name in message
