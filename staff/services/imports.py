"""Import of staff records from XLSX/CSV: the staff resource on the one import path of
vetschool.imports (a check and a commit on the same code, all or nothing, a row report).

Both the admin page and `manage.py import_staff` call `staff_import`. A college's staff
list is a few hundred rows: a small file is imported in the request; a file above
`IMPORT_QUEUE_ROWS` rows or `IMPORT_QUEUE_BYTES` is a `StaffImport` job run by a worker
(`staff_import_start`), so a large list never ties up a web request (issue #14).
"""

from __future__ import annotations

import pghistory

from staff import tasks
from staff.models import StaffImport
from vetschool.imports import (
    ImportReport,
    import_job_run,
    import_job_start,
    read_dataset,
    resource_rows,
    run_import,
)


def staff_import(*, content: bytes, filename: str, dry_run: bool, by) -> ImportReport:
    """Check (`dry_run`) or import a staff file. Raises UnreadableFile for a file that
    cannot be read; every row problem is in the report."""
    # Imported here, not at the top: the resource saves rows through staff.services,
    # whose package gathers this module (a module-level import would be a cycle).
    from staff.resources import REQUIRED_COLUMNS, StaffResource

    rows = resource_rows(StaffResource(user=by), required_columns=REQUIRED_COLUMNS)
    return run_import(read_dataset(content, filename), rows, dry_run=dry_run)


def staff_import_start(*, upload, dry_run: bool, by) -> StaffImport:
    """Keep the uploaded file and import it once committed, by a worker (the admin calls
    this for a large file). A file that cannot be an import is refused, nothing stored."""
    return import_job_start(StaffImport, upload=upload, task=tasks.staff_import_run,
                            dry_run=dry_run, by=by)


def staff_import_job_run(*, import_id: int) -> StaffImport:
    """Run a queued import once; a second delivery of the task finds it taken."""
    return import_job_run(StaffImport, import_id, _import)


def _import(record: StaffImport, content: bytes) -> ImportReport:
    # A worker has no request: the history names the HR officer who queued the file.
    with pghistory.context(user=record.created_by_id, staff_import=record.pk):
        return staff_import(content=content, filename=record.filename,
                            dry_run=record.dry_run, by=record.created_by)
