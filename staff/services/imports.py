"""Import of staff records from XLSX/CSV: the staff resource on the one import path of
vetschool.imports (a check and a commit on the same code, all or nothing, a row report).

Both the admin page and `manage.py import_staff` call `staff_import`. A college's staff
list is a few hundred rows: the import runs in the request, with no job.
"""

from __future__ import annotations

from vetschool.imports import ImportReport, read_dataset, resource_rows, run_import


def staff_import(*, content: bytes, filename: str, dry_run: bool, by) -> ImportReport:
    """Check (`dry_run`) or import a staff file. Raises UnreadableFile for a file that
    cannot be read; every row problem is in the report."""
    # Imported here, not at the top: the resource saves rows through staff.services,
    # whose package gathers this module (a module-level import would be a cycle).
    from staff.resources import REQUIRED_COLUMNS, StaffResource

    rows = resource_rows(StaffResource(user=by), required_columns=REQUIRED_COLUMNS)
    return run_import(read_dataset(content, filename), rows, dry_run=dry_run)
