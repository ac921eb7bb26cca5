"""Personal identification number (số định danh cá nhân, số CCCD) — REGULATIONS §6.

Pure rules over plain values. Province codes are passed in by the caller (loaded from the
`reference` data), so nothing here touches the database.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from datetime import date

from django.utils.translation import gettext_lazy as _

FORMAT = "format"
PROVINCE = "province"
CENTURY = "century"
GENDER = "gender"
BIRTH_YEAR = "birth_year"
# §6.2 fixed reporting order; FORMAT stops validation, the others are all collected.
ERROR_CODES = (FORMAT, PROVINCE, CENTURY, GENDER, BIRTH_YEAR)

MALE = "male"
FEMALE = "female"
GENDERS = (MALE, FEMALE)

# §6.2 step 1: ASCII digits only. `\d` and str.isdigit() would accept full-width digits.
_TWELVE_ASCII_DIGITS = re.compile(r"[0-9]{12}")
# §6.1: digit 4 = 0/1 means born 1900–1999, 2/3 means 2000–2099, … up to 8/9 (2300–2399).
_FIRST_CODED_CENTURY_START = 1900

VISIBLE_PREFIX = 4
VISIBLE_SUFFIX = 2
MASK_CHAR = "*"

NATIONAL_ID_ERROR_MESSAGES = {
    FORMAT: _(
        "The personal ID number must be exactly 12 digits (0-9), "
        "with no spaces or other characters."
    ),
    PROVINCE: _("The first 3 digits (%(province)s) are not a valid province code."),
    CENTURY: _(
        "The 4th digit (%(digit)s) means born between %(first_year)s and %(last_year)s, "
        "but the birth year is %(birth_year)s."
    ),
    GENDER: _(
        "The 4th digit (%(digit)s) does not match the recorded gender "
        "(it is even for a male and odd for a female)."
    ),
    BIRTH_YEAR: _(
        "Digits 5-6 (%(year_digits)s) do not match the last two digits "
        "of the birth year %(birth_year)s."
    ),
}


def validate_national_id(
    number: str,
    *,
    birth_date_or_year: date | int,
    gender: str,
    province_codes: Collection[str],
) -> list[str]:
    """Return the §6.2 error codes in fixed order; an empty list means valid.

    `province_codes` are the 3-digit ID codes (`id_code` of provinces.csv, e.g. "001"),
    not the 2-digit administrative codes.
    """
    birth_year = birth_year_of(birth_date_or_year)
    _require_known_gender(gender)
    if not has_national_id_format(number):
        return [FORMAT]
    failed_checks = (
        (PROVINCE, province_code_of(number) not in province_codes),
        (CENTURY, century_start_of(number) != _century_start_of_year(birth_year)),
        (GENDER, gender_of(number) != gender),
        (BIRTH_YEAR, year_digits_of(number) != _last_two_digits(birth_year)),
    )
    return [code for code, failed in failed_checks if failed]


def has_national_id_format(number: object) -> bool:
    return isinstance(number, str) and _TWELVE_ASCII_DIGITS.fullmatch(number) is not None


def province_code_of(number: str) -> str:
    return number[0:3]


def century_gender_digit_of(number: str) -> str:
    return number[3]


def year_digits_of(number: str) -> str:
    return number[4:6]


def century_start_of(number: str) -> int:
    """First year of the birth century encoded by digit 4 (§6.1 table)."""
    return _FIRST_CODED_CENTURY_START + 100 * (int(century_gender_digit_of(number)) // 2)


def gender_of(number: str) -> str:
    # §6.1: within each century, the even code is male and the odd one female.
    return MALE if int(century_gender_digit_of(number)) % 2 == 0 else FEMALE


def birth_year_of(birth_date_or_year: date | int) -> int:
    if isinstance(birth_date_or_year, date):
        return birth_date_or_year.year
    if isinstance(birth_date_or_year, bool) or not isinstance(birth_date_or_year, int):
        raise TypeError(f"birth_date_or_year must be a date or an int, not {birth_date_or_year!r}")
    return birth_date_or_year


def mask_national_id(number: str) -> str:
    """Hide all but the first 4 and last 2 characters, for lists (architecture: masked in lists).

    A value too short to keep anything hidden is masked entirely.
    """
    hidden = len(number) - VISIBLE_PREFIX - VISIBLE_SUFFIX
    if hidden <= 0:
        return MASK_CHAR * len(number)
    return number[:VISIBLE_PREFIX] + MASK_CHAR * hidden + number[-VISIBLE_SUFFIX:]


def national_id_error_message(code: str, number: str, *, birth_date_or_year: date | int) -> str:
    """Render the user message for one error code of `validate_national_id`.

    Rendering translates into the active language, so call it where messages are shown.
    """
    template = NATIONAL_ID_ERROR_MESSAGES[code]
    if code == FORMAT:
        return str(template)
    if not has_national_id_format(number):
        raise ValueError(f"{code!r} describes a part of a well-formed 12-digit number")
    birth_year = birth_year_of(birth_date_or_year)
    digit = century_gender_digit_of(number)
    century_start = century_start_of(number)
    return str(template) % {
        "province": province_code_of(number),
        "digit": digit,
        "first_year": century_start,
        "last_year": century_start + 99,
        "year_digits": year_digits_of(number),
        "birth_year": birth_year,
    }


def _century_start_of_year(year: int) -> int:
    return year - year % 100


def _last_two_digits(year: int) -> str:
    return f"{year % 100:02d}"


def _require_known_gender(gender: str) -> None:
    if gender not in GENDERS:
        raise ValueError(f"gender must be one of {GENDERS}, not {gender!r}")
