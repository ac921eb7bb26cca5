"""Exact display of scores and GPAs (STYLE #8): Decimal in, text out, never a float.

`{{ value|score }}` shows one decimal, `{{ value|gpa }}` two, with the decimal separator of
the active language (7,5 in Vietnamese, 7.5 in English); None shows as an en dash.
"""

from decimal import Decimal

from django import template
from django.utils.formats import get_format

from grading.regulation import round1, round2

register = template.Library()


def _exact(value, rounder) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, float):
        raise TypeError("scores are Decimal, never float")
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    return str(rounder(number)).replace(".", get_format("DECIMAL_SEPARATOR"))


@register.filter
def score(value) -> str:
    return _exact(value, round1)


@register.filter
def gpa(value) -> str:
    return _exact(value, round2)


@register.filter
def local(text) -> str:
    """A cell's canonical text ("8.5", "V") with the language's decimal separator."""
    return str(text or "").replace(".", get_format("DECIMAL_SEPARATOR"))


@register.simple_tag
def editable(sheet, row, column) -> bool:
    return sheet.cell_editable(row, column)


@register.filter
def get_cell(row, code):
    return row.cells.get(code)
