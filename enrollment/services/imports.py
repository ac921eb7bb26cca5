"""Import of existing learners and enrolments: all rows or none, with a row report.

From the admin an import is a `LearnerImport` record run by a background task, so a large
file never ties up a web request; `manage.py import_learners` runs it in the foreground.
Both go through `learners_import`, the same code path for a check and a commit.
"""

from __future__ import annotations

import logging
from dataclasses import asdict
from pathlib import PurePath

import pghistory
import tablib
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enrollment.models import LearnerImport
from enrollment.resources import REQUIRED_COLUMNS, LearnerImportResource
from vetschool.imports import (
    ImportReport,
    Problem,
    UnreadableFile,
    import_all_or_nothing,
    read_dataset,
)

logger = logging.getLogger(__name__)

IMPORT_MAX_BYTES = 20 * 1024 * 1024
XLSX_SIGNATURE = b"PK\x03\x04"  # an XLSX workbook is a ZIP archive

IMPORT_NOT_XLSX_OR_CSV = _("Only .xlsx and .csv files can be imported.")
IMPORT_TOO_LARGE = _("The file %(name)s is larger than 20 MB: split it into several files.")
IMPORT_EMPTY = _("The file %(name)s is empty.")
IMPORT_NOT_A_WORKBOOK = _(
    "The file %(name)s is not an Excel workbook (.xlsx), whatever its name says."
)
IMPORT_NOT_TEXT = _(
    "The file %(name)s is not a UTF-8 text (CSV) file: save it from the spreadsheet as "
    "\"CSV UTF-8\" or as .xlsx."
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


def import_file_check(upload: UploadedFile) -> None:
    """Refuse, before anything is stored, a file that cannot be an import: its kind is
    read from the content (a ZIP archive for .xlsx, UTF-8 text for .csv), not the name."""
    name = upload.name or ""
    suffix = PurePath(name).suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise ValidationError({"file": ValidationError(IMPORT_NOT_XLSX_OR_CSV,
                                                       code="bad_type")})
    if upload.size is not None and upload.size > IMPORT_MAX_BYTES:
        raise ValidationError({"file": ValidationError(IMPORT_TOO_LARGE, code="too_large",
                                                       params={"name": name})})
    if not upload.size:
        raise ValidationError({"file": ValidationError(IMPORT_EMPTY, code="empty",
                                                       params={"name": name})})
    upload.seek(0)
    content = upload.read()
    upload.seek(0)
    if suffix == ".xlsx":
        if not content.startswith(XLSX_SIGNATURE):
            raise ValidationError({"file": ValidationError(
                IMPORT_NOT_A_WORKBOOK, code="bad_type", params={"name": name})})
        return
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = None
    if text is None or "\x00" in text:
        raise ValidationError({"file": ValidationError(IMPORT_NOT_TEXT, code="bad_type",
                                                       params={"name": name})})


def learner_import_start(*, upload: UploadedFile, dry_run: bool, by) -> LearnerImport:
    """Keep the uploaded file and queue its import; the task starts after the commit.

    A file that cannot be an import is refused here, and nothing is stored."""
    from enrollment.tasks import learner_import_run

    import_file_check(upload)
    with transaction.atomic():
        record = LearnerImport(filename=(upload.name or "")[-200:], dry_run=dry_run, by=by)
        record.file.save(upload.name, upload, save=False)
        record.save()
        transaction.on_commit(lambda: learner_import_run.delay(record.pk))
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
