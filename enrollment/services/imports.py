"""Import of existing learners and enrolments: all rows or none, with a row report.

From the admin an import is a `LearnerImport` record run by a background task, so a large
file never ties up a web request; `manage.py import_learners` runs it in the foreground.
Both go through `learners_import`, the same code path for a check and a commit.
"""

from __future__ import annotations

import logging
from dataclasses import asdict

import pghistory
import tablib
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

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

logger = logging.getLogger(__name__)


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
        record = LearnerImport(filename=(upload.name or "")[-200:], dry_run=dry_run, by=by)
        record.file.save(upload.name, upload, save=False)
        record.save()
        transaction.on_commit(lambda: tasks.learner_import_run.delay(record.pk))
    return record


def learner_import_run(*, import_id: int) -> LearnerImport:
    """Run a queued import once. A second delivery of the task finds it taken and stops."""
    claimed = LearnerImport.objects.filter(pk=import_id, status=LearnerImport.Status.QUEUED) \
        .update(status=LearnerImport.Status.RUNNING, started_at=timezone.now())
    record = LearnerImport.objects.select_related("by").get(pk=import_id)
    if not claimed:
        return record
    try:
        with record.file.open("rb") as handle:
            content = handle.read()
        # A worker has no request: the history names the registrar who queued the file.
        with pghistory.context(user=record.by_id, learner_import=record.pk):
            report = learners_import(content=content, filename=record.filename,
                                     dry_run=record.dry_run, by=record.by)
    except Exception as exc:  # recorded for the registrar, then re-raised for the logs
        logger.exception("learner import %s failed", import_id)
        _finish(record, LearnerImport.Status.FAILED, error=f"{type(exc).__name__}: {exc}")
        raise
    record.total_rows, record.new, record.updated = (report.total_rows, report.new,
                                                     report.updated)
    record.problems = [asdict(problem) for problem in report.problems]
    _finish(record, LearnerImport.Status.DONE)
    return record


def _finish(record: LearnerImport, status: str, *, error: str = "") -> None:
    record.status = status
    record.error = error
    record.finished_at = timezone.now()
    fields = ["status", "error", "finished_at", "total_rows", "new", "updated", "problems"]
    if not record.imported and record.file:
        # A bad file (or a check only) leaves nothing behind but its report: the upload
        # holds personal data that was never imported.
        record.file.delete(save=False)
        fields.append("file")
    record.save(update_fields=fields)


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
