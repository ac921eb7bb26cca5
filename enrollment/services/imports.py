"""Import of existing learners and enrolments: all rows or none, with a row report."""

from __future__ import annotations

import tablib

from enrollment.resources import REQUIRED_COLUMNS, LearnerImportResource
from vetschool.imports import (
    ImportReport,
    Problem,
    UnreadableFile,
    import_all_or_nothing,
    read_dataset,
)


def learners_import(*, content: bytes, filename: str, dry_run: bool, by) -> ImportReport:
    """Check (dry run) or import a file; the same code path either way (STYLE #20)."""
    try:
        dataset = read_dataset(content, filename)
    except UnreadableFile as exc:
        return ImportReport(problems=[Problem(0, "", str(exc))], dry_run=dry_run)
    dataset = _tidy(dataset)
    return import_all_or_nothing(LearnerImportResource(by=by), dataset, dry_run=dry_run,
                                 required_columns=REQUIRED_COLUMNS)


def _tidy(dataset: tablib.Dataset) -> tablib.Dataset:
    """Headers trimmed and lower-cased; trailing empty rows (common in XLSX) dropped."""
    headers = [str(h or "").strip().lower() for h in (dataset.headers or [])]
    rows = [tuple(row) for row in dataset]
    while rows and all(cell in (None, "") for cell in rows[-1]):
        rows.pop()
    tidy = tablib.Dataset(headers=headers)
    for row in rows:
        tidy.append(row)
    return tidy
