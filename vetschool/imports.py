"""The one import path: all-or-nothing imports with a row-by-row report.

Every import (occupations, learners, staff, programs, gradebooks) runs `run_import`: the
app's row handler imports the rows inside ONE transaction and puts what is wrong in the
report; the transaction is rolled back when any row is wrong (all or nothing) and for a
preview (dry run). A preview therefore runs every check and every write a commit does.
The report names the row (as numbered in the spreadsheet, the header being row 1), the
column and the problem. `resource_rows` is the row handler of a django-import-export
resource. A large file is imported by a background job (`ImportJob`, `import_job_start`,
`import_job_run` on vetschool.jobs); a small one runs at once.

The platform imports no domain app: each app passes its resource or row handler.
"""

from __future__ import annotations

import io
import logging
import zipfile
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import tablib
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.management.base import CommandError
from django.db import models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vetschool import uploads
from vetschool.jobs import BackgroundJob, JobStatus, job_run, queue_after_commit

logger = logging.getLogger(__name__)

HEADER_ROWS = 1
IMPORT_MAX_BYTES = 20 * 1024 * 1024
# More data rows than any real import of the college (a year's intake, all staff).
IMPORT_MAX_ROWS = 20_000
XLSX_SIGNATURE = b"PK\x03\x04"  # an XLSX workbook is a ZIP archive

NOT_XLSX_OR_CSV = gettext_lazy("Only .xlsx and .csv files can be imported.")
IMPORT_TOO_LARGE = gettext_lazy(
    "The file %(name)s is larger than 20 MB: split it into several files.")
IMPORT_NOT_A_WORKBOOK = gettext_lazy(
    "The file %(name)s is not an Excel workbook (.xlsx), whatever its name says."
)
IMPORT_TOO_MANY_ROWS = gettext_lazy(
    "The file has %(count)s data rows, more than the %(limit)s one import may hold: split it "
    "into several files."
)
IMPORT_NOT_TEXT = gettext_lazy(
    "The file %(name)s is not a UTF-8 text (CSV) file: save it from the spreadsheet as "
    "\"CSV UTF-8\" or as .xlsx."
)


@dataclass(frozen=True)
class Problem:
    row: int
    column: str
    message: str


@dataclass
class ImportReport:
    total_rows: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def imported(self) -> int:
        return 0 if (self.problems or self.dry_run) else self.new + self.updated


class UnreadableFile(ValueError):
    pass


def read_dataset(content: bytes, filename: str) -> tablib.Dataset:
    """A dataset from the bytes of a CSV (UTF-8, with or without BOM) or XLSX file, within
    the limits: an XLSX archive is measured before anything is inflated
    (uploads.check_xlsx_archive), and at most IMPORT_MAX_ROWS data rows are accepted."""
    suffix = Path(filename).suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise UnreadableFile(str(NOT_XLSX_OR_CSV))
    try:
        if suffix == ".csv":
            dataset = tablib.Dataset().load(content.decode("utf-8-sig"), format="csv")
        else:
            uploads.check_xlsx_archive(content)
            dataset = tablib.Dataset().load(content, format="xlsx")
    except uploads.SpreadsheetTooLarge as exc:
        raise UnreadableFile(str(exc)) from exc
    except Exception as exc:  # csv, zipfile and openpyxl raise assorted errors on damaged files
        raise UnreadableFile(_("The file cannot be read: %(error)s") % {"error": exc}) from exc
    if len(dataset) > IMPORT_MAX_ROWS:
        raise UnreadableFile(str(IMPORT_TOO_MANY_ROWS) % {"count": len(dataset),
                                                           "limit": IMPORT_MAX_ROWS})
    return dataset


def validate_import_file(upload) -> None:
    """Refuse an uploaded file that cannot be an import, before anything is stored: its kind
    is read from the content (a workbook that openpyxl opens, within the archive limits, for
    .xlsx; UTF-8 text for .csv), not the name; its size is checked before it is read.
    Raises ValidationError (for a form field's clean)."""
    name = upload.name or ""
    suffix = Path(name).suffix.lower()

    def refuse(message, code: str, **params):
        return ValidationError(message, code=code, params={"name": name, **params})

    if suffix not in (".xlsx", ".csv"):
        raise refuse(NOT_XLSX_OR_CSV, "bad_type")
    if upload.size is not None and upload.size > IMPORT_MAX_BYTES:
        raise refuse(IMPORT_TOO_LARGE, "too_large")
    if not upload.size:
        raise refuse(uploads.EMPTY, "empty")
    content = uploads.read_bounded(upload, IMPORT_MAX_BYTES)
    if content is None:
        raise refuse(IMPORT_TOO_LARGE, "too_large")
    if suffix == ".xlsx":
        if not content.startswith(XLSX_SIGNATURE):
            raise refuse(IMPORT_NOT_A_WORKBOOK, "bad_type")
        try:
            uploads.check_xlsx_archive(content)
        except uploads.SpreadsheetTooLarge as exc:
            # Already formatted, with a part name chosen by whoever made the file.
            raise refuse(str(exc).replace("%", "%%"), "too_large") from exc
        except zipfile.BadZipFile as exc:
            raise refuse(IMPORT_NOT_A_WORKBOOK, "bad_type") from exc
        if not _workbook_opens(content):
            raise refuse(IMPORT_NOT_A_WORKBOOK, "bad_type")
        return
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = None
    if text is None or "\x00" in text:
        raise refuse(IMPORT_NOT_TEXT, "bad_type")


def check_import_file(upload) -> None:
    """`validate_import_file`, its refusal on the form's `file` field."""
    try:
        validate_import_file(upload)
    except ValidationError as exc:
        raise ValidationError({"file": exc}) from exc


def _workbook_opens(content: bytes) -> bool:
    # Read-only mode parses the workbook's parts, not its sheets: cheap, and the archive
    # limits were checked first.
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises assorted errors on what is not a workbook
        return False
    ok = bool(workbook.sheetnames)
    workbook.close()
    return ok


RowHandler = Callable[[tablib.Dataset, "ImportReport"], object]


def run_import(dataset: tablib.Dataset, rows: RowHandler, *, dry_run: bool) -> ImportReport:
    """Import `dataset` with the app's row handler, all or nothing: the one path of every
    import, for a preview and a commit alike.

    `rows(dataset, report)` checks and writes the rows, adding each problem and the counts
    to the report. It runs inside one transaction, rolled back when the report has a
    problem or when this is a preview (`dry_run`); nothing else differs between the two.
    An exception of the handler (a refusal of the whole file) rolls back and propagates.
    """
    report = ImportReport(total_rows=len(dataset), dry_run=dry_run)
    with transaction.atomic():
        rows(dataset, report)
        if report.problems or dry_run:
            transaction.set_rollback(True)
    return report


def run_import_file(content: bytes, filename: str, rows: RowHandler, *, dry_run: bool,
                    prepare: Callable[[tablib.Dataset], tablib.Dataset] | None = None
                    ) -> ImportReport:
    """`run_import` of a file's bytes; a file that cannot be read is a report with one
    problem (row 0: the file itself). `prepare` tidies the dataset (header spellings)."""
    try:
        dataset = read_dataset(content, filename)
    except UnreadableFile as exc:
        return ImportReport(problems=[Problem(0, "", str(exc))], dry_run=dry_run)
    if prepare is not None:
        dataset = prepare(dataset)
    return run_import(dataset, rows, dry_run=dry_run)


def resource_rows(resource, *, required_columns: tuple[str, ...] = ()) -> RowHandler:
    """The row handler of a django-import-export resource: the required columns, at least
    one data row, then every row through the resource, each problem by row and column."""

    def rows(dataset: tablib.Dataset, report: ImportReport) -> None:
        missing = [c for c in required_columns if c not in (dataset.headers or [])]
        if missing:
            report.problems.append(
                Problem(HEADER_ROWS, ", ".join(missing), _("Required column missing.")))
            return
        if not len(dataset):
            report.problems.append(Problem(HEADER_ROWS + 1, "", _("The file has no data rows.")))
            return
        # Never import-export's own dry run: run_import rolls a preview back, so a preview
        # goes through exactly the writes of a commit.
        result = resource.import_data(dataset, dry_run=False, raise_errors=False,
                                      use_transactions=True, rollback_on_validation_errors=True)
        report.problems.extend(_problems_of(result))
        totals = result.totals
        report.new += totals.get("new", 0)
        report.updated += totals.get("update", 0)
        report.unchanged += totals.get("skip", 0)

    return rows


def import_all_or_nothing(resource, dataset: tablib.Dataset, *, dry_run: bool = False,
                          required_columns: tuple[str, ...] = ()) -> ImportReport:
    """`run_import` of a resource's rows: the whole import of a plain resource."""
    return run_import(dataset, resource_rows(resource, required_columns=required_columns),
                      dry_run=dry_run)


def command_check_report(command, report: ImportReport) -> None:
    """For an import command: print each problem of a refused file on stderr and stop with
    a CommandError; a report without problems passes."""
    if report.ok:
        return
    for problem in report.problems:
        command.stderr.write(f"row {problem.row}, {problem.column or '-'}: {problem.message}")
    raise CommandError(f"{len(report.problems)} problem(s); nothing was imported.")


def _problems_of(result) -> list[Problem]:
    problems = [Problem(0, "", str(error.error)) for error in result.base_errors]
    for invalid in result.invalid_rows:
        row = invalid.number + HEADER_ROWS
        for column, messages in invalid.error_dict.items():
            label = "" if column == NON_FIELD_ERRORS else column
            problems.extend(Problem(row, label, str(m)) for m in messages)
    for number, errors in result.row_errors():
        for error in errors:
            problems.append(Problem(number + HEADER_ROWS, "", _root_message(error.error)))
    return sorted(problems, key=lambda p: (p.row, p.column))


def _root_message(exc: Exception) -> str:
    # Database errors carry the constraint's text on their first line.
    return str(exc).splitlines()[0] if str(exc) else exc.__class__.__name__


# --- Imports as background jobs ------------------------------------------------------------


class ImportJob(BackgroundJob):
    """One upload of an import run as a job: its file, how it went and its row report.

    An app's concrete model adds its `file` (with its folder); `total` counts the file's
    rows; the file is deleted once nothing of it was imported (it may hold personal data).
    """

    Status = JobStatus

    filename = models.CharField(gettext_lazy("file name"), max_length=200)
    dry_run = models.BooleanField(gettext_lazy("check only"), default=False)
    new = models.PositiveIntegerField(gettext_lazy("new"), default=0)
    updated = models.PositiveIntegerField(gettext_lazy("updated"), default=0)
    problems = models.JSONField(gettext_lazy("problems"), default=list, blank=True)

    class Meta(BackgroundJob.Meta):
        abstract = True

    def __str__(self):
        return f"{self.filename} ({self.created_at:%Y-%m-%d %H:%M})"

    @property
    def ok(self) -> bool:
        return self.status == JobStatus.DONE and not self.problems and not self.error

    @property
    def imported(self) -> int:
        return 0 if (self.dry_run or not self.ok) else self.new + self.updated

    def record_report(self, report: ImportReport) -> None:
        self.total = self.done = report.total_rows
        self.new, self.updated = report.new, report.updated
        self.problems = [asdict(problem) for problem in report.problems]


def import_is_large(upload) -> bool:
    """Whether an upload is imported by a worker rather than at once: more than
    IMPORT_QUEUE_BYTES bytes, or more than IMPORT_QUEUE_ROWS data rows."""
    if (upload.size or 0) > settings.IMPORT_QUEUE_BYTES:
        return True
    upload.seek(0)
    try:
        rows = len(read_dataset(upload.read(), upload.name or ""))
    except UnreadableFile:
        return False  # read again by the import, whose report says why it cannot be
    finally:
        upload.seek(0)
    return rows > settings.IMPORT_QUEUE_ROWS


def import_job_start(model: type[ImportJob], *, upload, task, dry_run: bool, by,
                     **fields) -> ImportJob:
    """Keep the uploaded file as a job of `model` and run `task(job_id)` once committed:
    queued for a worker when the file is large, else at once in this process (the same
    task, so the same history context), the page then showing the report straight away.

    A file that cannot be an import is refused here, and nothing is stored."""
    check_import_file(upload)
    large = import_is_large(upload)
    with transaction.atomic():
        job = model(filename=(upload.name or "")[-200:], dry_run=dry_run, created_by=by,
                    **fields)
        job.file.save(upload.name, upload, save=False)
        job.save()
        if large:
            queue_after_commit(task, job.pk)
        else:
            transaction.on_commit(lambda: _apply(task, job.pk))
    return job


def _apply(task, job_id: int) -> None:
    # job_run has recorded a failure on the job: the page shows it, as for a worker's.
    result = task.apply(args=(job_id,), throw=False)
    if result.failed():
        logger.warning("import job %s failed: %s", job_id, result.result)


def import_job_run(model: type[ImportJob], job_id: int,
                   importer: Callable[[ImportJob, bytes], ImportReport]) -> ImportJob:
    """Run a queued import job once (a second delivery of its task finds it taken):
    `importer(job, content)` returns the report, recorded on the job."""
    job_run(model, job_id, lambda job: _run_import_job(job, importer))
    return model.objects.select_related("created_by").get(pk=job_id)


def _run_import_job(job: ImportJob, importer) -> None:
    try:
        with job.file.open("rb") as handle:
            content = handle.read()
        report = importer(job, content)
    except Exception:
        _forget_file(job)  # nothing was imported
        raise
    job.record_report(report)
    if job.dry_run or job.problems:
        _forget_file(job)


def _forget_file(job: ImportJob) -> None:
    """Once nothing of the upload was imported (a bad file, a check only, an error), only
    its report is kept. job_run saves the emptied field."""
    if job.file:
        job.file.delete(save=False)
