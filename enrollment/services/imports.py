"""Import of existing learners and enrolments: all rows or none, with a row report.

From the admin an import is a `LearnerImport` record run by a background task, so a large
file never ties up a web request; `manage.py import_learners` runs it in the foreground.
Both go through `learners_import`, the same code path for a check and a commit.
"""

from __future__ import annotations

from dataclasses import asdict

import pghistory
import tablib
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from enrollment import tasks
from enrollment.models import LearnerImport
from vetschool.imports import (
    ImportReport,
    Problem,
    UnreadableFile,
    check_import_file,
    import_all_or_nothing,
    read_dataset,
)
from vetschool.jobs import job_run, queue_after_commit


def learners_import(*, content: bytes, filename: str, dry_run: bool, by) -> ImportReport:
    """Check (dry run) or import a file; the same code path either way (STYLE #20)."""
    # Imported here, not at the top: the resource cleans rows through
    # enrollment.services, whose package gathers this module, so a module-level import
    # would make `import enrollment.resources` fail when it comes first.
    from enrollment.resources import REQUIRED_COLUMNS, LearnerImportResource

    try:
        dataset = read_dataset(content, filename)
    except UnreadableFile as exc:
        return ImportReport(problems=[Problem(0, "", str(exc))], dry_run=dry_run)
    dataset = _tidy(dataset)
    return import_all_or_nothing(LearnerImportResource(by=by), dataset, dry_run=dry_run,
                                 required_columns=REQUIRED_COLUMNS)


def learner_import_start(*, upload: UploadedFile, dry_run: bool, by) -> LearnerImport:
    """Keep the uploaded file and queue its import; the task starts after the commit.

    A file that cannot be an import is refused here, and nothing is stored."""
    check_import_file(upload)
    with transaction.atomic():
        record = LearnerImport(filename=(upload.name or "")[-200:], dry_run=dry_run,
                               created_by=by)
        record.file.save(upload.name, upload, save=False)
        record.save()
        queue_after_commit(tasks.learner_import_run, record.pk)
    return record


def learner_import_run(*, import_id: int) -> LearnerImport:
    """Run a queued import once. A second delivery of the task finds it taken and stops."""
    job_run(LearnerImport, import_id, _import)
    return LearnerImport.objects.select_related("created_by").get(pk=import_id)


def _import(record: LearnerImport) -> None:
    try:
        with record.file.open("rb") as handle:
            content = handle.read()
        # A worker has no request: the history names the registrar who queued the file.
        with pghistory.context(user=record.created_by_id, learner_import=record.pk):
            report = learners_import(content=content, filename=record.filename,
                                     dry_run=record.dry_run, by=record.created_by)
    except Exception:
        _forget_file(record)  # nothing was imported
        raise
    record.total = record.done = report.total_rows
    record.new, record.updated = report.new, report.updated
    record.problems = [asdict(problem) for problem in report.problems]
    if record.dry_run or record.problems:
        _forget_file(record)


def _forget_file(record: LearnerImport) -> None:
    """The upload holds personal data: once nothing of it was imported (a bad file, a
    check only, an error), only its report is kept. job_run saves the emptied field."""
    if record.file:
        record.file.delete(save=False)


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
