"""The shared input rules (vetschool.validators), table by table."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from vetschool.validators import (
    check_date_of_birth,
    check_full_name,
    clean_personal_id_typed,
    clean_phone,
)


@pytest.mark.parametrize(("typed", "stored"), [
    ("0912345678", "0912345678"),
    ("0912 345 678", "0912345678"),
    ("0912.345.678", "0912345678"),
    ("0912-345-678", "0912345678"),
    (" 024 3858 0000 ", None),  # 11 digits
    ("+84912345678", "0912345678"),
    ("+84 912 345 678", "0912345678"),
    ("(+84) 912-345-678", "0912345678"),
    ("+84 24 3858 0000", None),  # 10 digits after +84
    ("0243 858 000", "0243858000"),
    ("", ""),
])
def test_phone_numbers_are_cleaned_to_ten_digits(typed, stored):
    if stored is None:
        with pytest.raises(ValidationError):
            clean_phone(typed)
    else:
        assert clean_phone(typed) == stored


@pytest.mark.parametrize("typed", [
    "12345", "091234567", "09123456789", "9123456789", "+8409123456789", "+84 12345678",
    "+85 912345678", "0912abc678", "84912345678", "0012345678", "+840912345678", "phone",
])
def test_a_number_that_is_not_vietnamese_is_refused(typed):
    with pytest.raises(ValidationError) as excinfo:
        clean_phone(typed)
    assert excinfo.value.code == "invalid_phone"


@pytest.mark.parametrize(("typed", "clean"), [
    ("001206012345", "001206012345"),
    ("001 206 012 345", "001206012345"),
    ("001.206.012.345", "001206012345"),
    ("001-206-012345", "001206012345"),
    (" 001\u00a0206 012345 ", "001206012345"),
    ("", ""),
    (None, ""),
])
def test_personal_ids_typed_with_separators_are_cleaned(typed, clean):
    assert clean_personal_id_typed(typed) == clean


@pytest.mark.parametrize(("name", "confirmed", "code"), [
    ("A", True, "one_letter"),
    ("Đ", False, "one_letter"),
    ("Nguyễn Văn An", False, None),
    ("Lò Thị Ơn", False, None),
    ("H'Hen Niê", False, None),
    ("Sùng", False, "one_word"),
    ("Sùng", True, None),
    ("Ka", True, None),
])
def test_full_names(name, confirmed, code):
    if code is None:
        check_full_name(name, one_word_confirmed=confirmed)
    else:
        with pytest.raises(ValidationError) as excinfo:
            check_full_name(name, one_word_confirmed=confirmed)
        assert excinfo.value.code == code


@pytest.mark.parametrize(("days_from_today", "refused"), [(-6000, False), (0, False),
                                                          (1, True), (1500, True)])
def test_a_future_date_of_birth_is_refused(days_from_today, refused):
    today = date(2026, 12, 7)
    born = today + timedelta(days=days_from_today)
    if refused:
        with pytest.raises(ValidationError) as excinfo:
            check_date_of_birth(born, today=today)
        assert excinfo.value.code == "future"
    else:
        check_date_of_birth(born, today=today)
