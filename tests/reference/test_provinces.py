"""The 34 provincial-level units since 1 July 2025 and the conversion of the former 63
(data README of the domain folder: provinces_2025.csv, provinces_former_to_2025.csv)."""

import pytest

from enrollment.services.common import national_id_errors
from vetschool.reference.models import Province, ProvincialUnit
from vetschool.reference.provinces import unit_for_code, units_by_code

pytestmark = pytest.mark.django_db


def test_the_34_current_units_are_loaded_six_of_them_cities():
    assert ProvincialUnit.objects.count() == 34
    cities = set(ProvincialUnit.objects.filter(kind="city").values_list("name_vi", flat=True))
    assert cities == {"Hà Nội", "Hải Phòng", "Huế", "Đà Nẵng", "Hồ Chí Minh", "Cần Thơ"}


def test_every_former_province_has_its_successor():
    assert Province.objects.count() == 63
    assert not Province.objects.filter(successor=None).exists()
    assert ProvincialUnit.objects.filter(former=None).count() == 0


@pytest.mark.parametrize(("code", "unit"), [
    ("01", "Hà Nội"),        # unchanged
    ("02", "Tuyên Quang"),   # Hà Giang merged into Tuyên Quang (code 08)
    ("002", "Tuyên Quang"),  # the same, by its code in personal ID numbers
    ("08", "Tuyên Quang"),
    ("24", "Bắc Ninh"),      # former Bắc Giang: the merged unit kept its code
    ("027", "Bắc Ninh"),     # former Bắc Ninh
    ("77", "Hồ Chí Minh"),   # Bà Rịa - Vũng Tàu
    ("74", "Hồ Chí Minh"),   # Bình Dương
    ("6", "Thái Nguyên"),  # a spreadsheet drops the leading zero of former Bắc Kạn
    ("999", None), ("ab", None), ("", None),
])
def test_any_current_or_former_code_reads_as_one_current_unit(code, unit):
    found = unit_for_code(code)
    assert (found.name_vi if found else None) == unit


def test_a_two_digit_code_means_the_same_unit_whether_read_as_current_or_former():
    by_code = units_by_code()
    for unit in ProvincialUnit.objects.all():
        assert by_code[unit.code] == unit


def test_personal_ids_keep_the_former_three_digit_prefixes():
    # 002 is former Hà Giang, gone as a province since 2025; an ID number is for life.
    from datetime import date

    assert national_id_errors("002206001234", date_of_birth=date(2006, 3, 1), gender="male") == []
