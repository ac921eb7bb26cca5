"""Spreadsheets we hand out are data, never formulas (CSV/formula injection, OWASP).

A text cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return is run by
Excel or LibreOffice as a formula when the file is opened or the cell edited, so a
learner named `=HYPERLINK(...)` would put a live link (or worse) into the registrar's
list. Every CSV/XLSX export passes its cells through this module: text with such a first
character gets a leading apostrophe (shown as text, the characters after it kept);
numbers, dates and booleans are left as they are — a negative score is a number, not text.
The same characters at the start of a name are refused on entry (`no_formula_start`).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from io import BytesIO

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def starts_like_formula(text: str) -> bool:
    return text.startswith(FORMULA_STARTS)


def safe_cell(value):
    """The value as a cell may hold it without being run: only text is changed."""
    if isinstance(value, str) and starts_like_formula(value):
        return "'" + value
    return value


def safe_row(values: Iterable) -> list:
    return [safe_cell(value) for value in values]


def xlsx_bytes(workbook) -> bytes:
    """Save an openpyxl workbook after neutralising every text cell of every sheet.

    openpyxl turns a str beginning with `=` into a formula cell when it is assigned, so
    the pass runs over the finished workbook (headers, captions and data alike) rather
    than trusting each caller to wrap each value; our exports write no formulas of
    their own.
    """
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                value = cell.value
                if isinstance(value, str) and starts_like_formula(value):
                    cell.value = "'" + value
                    cell.data_type = "s"
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_writer(stream, **kwargs):
    """A `csv.writer` whose rows are neutralised the same way."""
    return _SafeWriter(csv.writer(stream, **kwargs))


class _SafeWriter:
    def __init__(self, writer):
        self._writer = writer

    def writerow(self, row):
        return self._writer.writerow(safe_row(row))

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def safe_dataset(dataset):
    """A tablib dataset with every cell neutralised (headers included), for
    `dataset.export("xlsx"/"csv")`."""
    import tablib

    safe = tablib.Dataset(headers=safe_row(dataset.headers or []) or None,
                          title=dataset.title)
    for row in dataset:
        safe.append(safe_row(row))
    return safe


class FormulaSafeExport:
    """django-import-export resource mixin: every exported field value goes through
    `safe_cell`, whatever the format the admin picks. (The library's own
    IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT strips only a leading `=` and turns every
    number into text, so it stays off.)"""

    def export_field(self, field, instance, **kwargs):
        return safe_cell(super().export_field(field, instance, **kwargs))


FORMULA_NAME_MESSAGE = _(
    "A name cannot begin with =, +, -, @, a tab or a line break: spreadsheets would "
    "read it as a formula.")


def no_formula_start(value) -> None:
    """Validator for names and other free text that ends up in spreadsheets."""
    if isinstance(value, str) and starts_like_formula(value):
        raise ValidationError(FORMULA_NAME_MESSAGE, code="formula")
