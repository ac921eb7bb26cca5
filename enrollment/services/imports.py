"""Import of existing learners and enrolments: all rows or none, with a row report.

Both the admin and `manage.py import_learners` go through `learners_import`, which runs
the learner resource on the one import path of vetschool.imports (a check and a commit on
the same code). From the admin an import is a `LearnerImport` job: a large file is
imported by a background worker, a small one at once.
"""

from __future__ import annotations

import pghistory
import tablib
from django.core.files.uploadedfile import UploadedFile

from enrollment import tasks
from enrollment.models import LearnerImport
from vetschool.imports import (
    ImportReport,
    import_job_run,
    import_job_start,
    resource_rows,
    run_import_file,
)


def learners_import(*, content: bytes, filename: str, dry_run: bool, by) -> ImportReport:
    """Check (dry run) or import a file; the same code path either way (STYLE #20)."""
    # Imported here, not at the top: the resource cleans rows through
    # enrollment.services, whose package gathers this module, so a module-level import
    # would make `import enrollment.resources` fail when it comes first.
    from enrollment.resources import REQUIRED_COLUMNS, LearnerImportResource

    rows = resource_rows(LearnerImportResource(by=by), required_columns=REQUIRED_COLUMNS)
    return run_import_file(content, filename, rows, dry_run=dry_run, prepare=_tidy)


def learner_import_start(*, upload: UploadedFile, dry_run: bool, by) -> LearnerImport:
    """Keep the uploaded file and run its import once committed (a worker's job when the
    file is large). A file that cannot be an import is refused here, and nothing is stored."""
    return import_job_start(LearnerImport, upload=upload, task=tasks.learner_import_run,
                            dry_run=dry_run, by=by)


def learner_import_run(*, import_id: int) -> LearnerImport:
    """Run a queued import once. A second delivery of the task finds it taken and stops."""
    return import_job_run(LearnerImport, import_id, _import)


def _import(record: LearnerImport, content: bytes) -> ImportReport:
    # A worker has no request: the history names the registrar who queued the file.
    with pghistory.context(user=record.created_by_id, learner_import=record.pk):
        return learners_import(content=content, filename=record.filename,
                               dry_run=record.dry_run, by=record.created_by)


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
