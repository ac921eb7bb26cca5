"""Input rules every app's forms and services share: Vietnamese phone numbers, personal ID
numbers as typed, full names, dates of birth.

Each `clean_…` returns the value in its one stored form or raises a ValidationError whose
message says what to type; forms call them to show the message beside the field, services
call them again so that no other path (the API, an import) stores another form.
"""

from __future__ import annotations

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

PHONE_INVALID = _(
    "Enter a Vietnamese phone number: 10 digits starting with 0 (e.g. 0912 345 678), or +84 "
    "followed by 9 digits (e.g. +84 912 345 678)."
)
NAME_ONE_LETTER = _("Enter the full name, not a single letter.")
NAME_ONE_WORD = _(
    "The full name has a single word. If that is the whole name on the personal ID card "
    "(some ethnic-minority names are one word), tick the confirmation below it."
)
BIRTH_DATE_IN_FUTURE = _("The date of birth cannot be in the future.")

# What people type between the digits of a number: spaces (also non-breaking), dots, dashes,
# brackets around the country code.
_SEPARATORS = re.compile(r"[\s.\-()\u00a0\u2009\u202f]+")


def clean_phone(value: str | None) -> str:
    """A Vietnamese phone number in its one stored form, ten digits from 0 ("0912345678"):
    "0912 345 678", "0912.345.678", "+84 912-345-678" and "(+84) 912345678" all give it.
    An empty value stays empty (the field's required flag decides)."""
    typed = (value or "").strip()
    if not typed:
        return ""
    digits = _SEPARATORS.sub("", typed)
    if digits.startswith("+84"):
        rest = digits[3:]
        if len(rest) == 9 and rest.isdigit() and rest[0] != "0":
            return "0" + rest
    elif len(digits) == 10 and digits.isdigit() and digits[0] == "0" and digits[1] != "0":
        return digits
    raise ValidationError(PHONE_INVALID, code="invalid_phone")


def clean_personal_id_typed(value: str | None) -> str:
    """A personal ID number as typed, with the spaces, dots and dashes people put between
    its groups removed ("001 206 012 345", "001.206.012.345"); its digits are checked by
    vetschool.reference.national_id."""
    return _SEPARATORS.sub("", value or "")


def full_name_words(name: str) -> list[str]:
    return name.split()


def check_full_name(name: str, *, one_word_confirmed: bool = True) -> None:
    """A full name of one letter is refused; a one-word name only when its owner confirmed
    it (`one_word_confirmed`; the code "one_word" tells a form to show that confirmation).
    `name` is already normalized (no repeated spaces)."""
    letters = name.replace(" ", "")
    if len(letters) == 1:
        raise ValidationError(NAME_ONE_LETTER, code="one_letter")
    if letters and len(full_name_words(name)) == 1 and not one_word_confirmed:
        raise ValidationError(NAME_ONE_WORD, code="one_word")


def check_date_of_birth(value: date | None, *, today: date | None = None) -> None:
    """A date of birth in the future is refused with its own message (an age computed from
    it would be negative)."""
    if value is not None and value > (today or timezone.localdate()):
        raise ValidationError(BIRTH_DATE_IN_FUTURE, code="future")
