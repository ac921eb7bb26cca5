"""All-or-nothing imports with a row-by-row report, on django-import-export.

A file with any bad row imports nothing; the report names the row (as numbered
in the spreadsheet, the header being row 1), the column and the problem. The
preview (dry run) and the real import run the same code path.
"""

from dataclasses import dataclass, field
from pathlib import Path

import tablib
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vetschool import uploads

HEADER_ROWS = 1
IMPORT_MAX_BYTES = 20 * 1024 * 1024
XLSX_SIGNATURE = b"PK\x03\x04"  # an XLSX workbook is a ZIP archive

NOT_XLSX_OR_CSV = gettext_lazy("Only .xlsx and .csv files can be imported.")
IMPORT_TOO_LARGE = gettext_lazy(
    "The file %(name)s is larger than 20 MB: split it into several files.")
IMPORT_NOT_A_WORKBOOK = gettext_lazy(
    "The file %(name)s is not an Excel workbook (.xlsx), whatever its name says."
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
    """A dataset from the bytes of a CSV (UTF-8, with or without BOM) or XLSX file."""
    suffix = Path(filename).suffix.lower()
    try:
        if suffix == ".csv":
            return tablib.Dataset().load(content.decode("utf-8-sig"), format="csv")
        if suffix == ".xlsx":
            return tablib.Dataset().load(content, format="xlsx")
    except (UnicodeDecodeError, ValueError, KeyError, OSError) as exc:
        raise UnreadableFile(_("The file cannot be read: %(error)s") % {"error": exc}) from exc
    except Exception as exc:  # openpyxl raises assorted errors on damaged files
        raise UnreadableFile(_("The file cannot be read: %(error)s") % {"error": exc}) from exc
    raise UnreadableFile(str(NOT_XLSX_OR_CSV))


def check_import_file(upload) -> None:
    """Refuse, before anything is stored, an uploaded file that cannot be an import: its
    kind is read from the content (a ZIP archive for .xlsx, UTF-8 text for .csv), not the
    name. Raises ValidationError on the form's `file` field."""
    name = upload.name or ""
    suffix = Path(name).suffix.lower()

    def refuse(message, code: str):
        return ValidationError({"file": ValidationError(message, code=code,
                                                        params={"name": name})})

    if suffix not in (".xlsx", ".csv"):
        raise refuse(NOT_XLSX_OR_CSV, "bad_type")
    if upload.size is not None and upload.size > IMPORT_MAX_BYTES:
        raise refuse(IMPORT_TOO_LARGE, "too_large")
    if not upload.size:
        raise refuse(uploads.EMPTY, "empty")
    upload.seek(0)
    content = upload.read()
    upload.seek(0)
    if suffix == ".xlsx":
        if not content.startswith(XLSX_SIGNATURE):
            raise refuse(IMPORT_NOT_A_WORKBOOK, "bad_type")
        return
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = None
    if text is None or "\x00" in text:
        raise refuse(IMPORT_NOT_TEXT, "bad_type")


def import_all_or_nothing(resource, dataset: tablib.Dataset, *, dry_run: bool = False,
                          required_columns: tuple[str, ...] = ()) -> ImportReport:
    report = ImportReport(total_rows=len(dataset), dry_run=dry_run)
    missing = [c for c in required_columns if c not in (dataset.headers or [])]
    if missing:
        report.problems.append(
            Problem(HEADER_ROWS, ", ".join(missing), _("Required column missing."))
        )
        return report
    if not len(dataset):
        report.problems.append(Problem(HEADER_ROWS + 1, "", _("The file has no data rows.")))
        return report

    with transaction.atomic():
        result = resource.import_data(
            dataset,
            dry_run=dry_run,
            raise_errors=False,
            use_transactions=True,
            rollback_on_validation_errors=True,
        )
        report.problems.extend(_problems_of(result))
        if report.problems or dry_run:
            transaction.set_rollback(True)

    totals = result.totals
    report.new = totals.get("new", 0)
    report.updated = totals.get("update", 0)
    report.unchanged = totals.get("skip", 0)
    return report


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
