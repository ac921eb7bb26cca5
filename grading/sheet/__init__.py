"""The gradebook as the grid shows it: columns, cells with their effective values, and what
the regulation derives per learner (checks average, exam eligibility and its reasons, the
provisional module score and which exam session each learner needs).

`load_sheet()` reads a section's gradebook in a constant number of queries whatever the
number of learners; the grid page, the API, XLSX export, submission checks and approval all
read through it, so they can never disagree on what a cell holds.

One module per concern: ``cells`` (columns, cell values, parsing), ``rows`` (the Sheet, Row
and Cell data), ``derive`` (what the regulation
derives for a row), ``load`` (reading a gradebook). Every public name is re-exported here,
so callers write ``from grading.sheet import load_sheet``.
"""

from __future__ import annotations

from grading.sheet.cells import (
    CODE_PREFIX,
    EMPTY,
    INVALID_CELL,
    MARK_ALIASES,
    PREFIX_KIND,
    REASON_LABELS,
    SITTING_MARK,
    UNKNOWN_COLUMN,
    CellValue,
    Column,
    InvalidCell,
    check_counts,
    parse_cell,
)
from grading.sheet.derive import attendance_figures, derive, needs_sitting, rederive
from grading.sheet.load import (
    SheetRecords,
    amendment_info,
    build_cells,
    load_sheet,
    read_records,
    sheet_columns,
    sum_attendance,
)
from grading.sheet.rows import AmendmentInfo, Attendance, Cell, Row, Sheet
from vetschool.collation import vietnamese_sort_key

__all__ = [
    "CODE_PREFIX", "EMPTY", "INVALID_CELL", "MARK_ALIASES", "PREFIX_KIND", "REASON_LABELS",
    "SITTING_MARK", "UNKNOWN_COLUMN", "AmendmentInfo", "Attendance", "Cell", "CellValue",
    "Column", "InvalidCell", "Row", "Sheet", "SheetRecords", "amendment_info",
    "attendance_figures", "build_cells", "check_counts", "derive", "load_sheet",
    "needs_sitting", "parse_cell", "read_records", "rederive", "sheet_columns",
    "sum_attendance", "vietnamese_sort_key",
]
