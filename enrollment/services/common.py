"""Validation shared by every write of personal data: names, personal IDs, ages."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from enrollment.eligibility import (
    AdmissionAgeRules,
    age_in_admission_year,
    is_old_enough_for_admission,
)
from vetschool.reference.models import Level, Province
from vetschool.reference.national_id import national_id_error_message, validate_national_id
from vetschool.regulation.config import rules_in_force
from vetschool.search import normalize_text
from vetschool.spreadsheets import no_formula_start
from vetschool.validators import (  # BIRTH_DATE_IN_FUTURE re-exported: its home is there
    BIRTH_DATE_IN_FUTURE as BIRTH_DATE_IN_FUTURE,
)
from vetschool.validators import (
    check_date_of_birth,
    check_full_name,
    clean_personal_id_typed,
)

NAME_REQUIRED = _("Enter the full name.")
NAME_TOO_LONG = _("The full name is longer than 100 characters.")
TOO_YOUNG = _(
    "Too young for the %(level)s level: an applicant must be at least %(min_age)s in "
    "%(year)s (age counted as %(year)s minus the birth year: %(age)s)."
)


def normalize_name(value: str) -> str:
    """Names are stored NFC-normalized, without surrounding or repeated spaces."""
    return normalize_text(value)


def clean_full_name(value: str, *, one_word_confirmed: bool = True) -> str:
    """The name normalized; one letter is refused, one word only when confirmed
    (vetschool.validators.check_full_name)."""
    name = normalize_name(value)
    if not name:
        raise ValidationError(NAME_REQUIRED, code="required")
    if len(name) > 100:
        raise ValidationError(NAME_TOO_LONG, code="max_length")
    no_formula_start(name)  # it would run as a formula in every list we export
    check_full_name(name, one_word_confirmed=one_word_confirmed)
    return name


def province_codes() -> frozenset[str]:
    return frozenset(Province.objects.values_list("id_code", flat=True))


def national_id_errors(number: str, *, date_of_birth: date, gender: str,
                       codes: frozenset[str] | None = None) -> list[str]:
    """The §6.2 messages of a personal ID number, each saying which part is wrong."""
    codes = province_codes() if codes is None else codes
    errors = validate_national_id(
        number, birth_date_or_year=date_of_birth, gender=gender, province_codes=codes
    )
    return [
        national_id_error_message(code, number, birth_date_or_year=date_of_birth)
        for code in errors
    ]


def clean_national_id(number: str, *, date_of_birth: date | None, gender: str | None,
                      codes: frozenset[str] | None = None) -> str:
    number = clean_personal_id_typed(number)  # "001 206 012 345" is the same number
    if date_of_birth is None or gender is None:
        return number  # the other fields carry their own errors
    messages = national_id_errors(number, date_of_birth=date_of_birth, gender=gender,
                                  codes=codes)
    if messages:
        raise ValidationError(messages, code="invalid_national_id")
    return number


def clean_date_of_birth(value: date, *, today: date) -> date:
    check_date_of_birth(value, today=today)
    return value


def age_error(date_of_birth: date, *, level: str, admission_year: int) -> ValidationError | None:
    if date_of_birth.year > admission_year:
        return None  # a date of birth in the future has its own message: no negative age
    rules = AdmissionAgeRules.of(rules_in_force())
    if is_old_enough_for_admission(date_of_birth.year, admission_year, level, rules=rules):
        return None
    return ValidationError(
        TOO_YOUNG, code="too_young",
        params={
            "level": Level(level).label,
            "min_age": rules.min_age(level),
            "year": admission_year,
            "age": age_in_admission_year(date_of_birth.year, admission_year),
        },
    )
