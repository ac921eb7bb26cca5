"""vetschool.imports, the one import path: a preview runs the writes of a commit and keeps
nothing, one bad row rolls every row back, the report numbers rows as the spreadsheet
does, and a large file is imported by a job that ends done with its report. The
occupation catalogue (a platform import) stands in for any app's rows, and the learner
import's model for any import job."""

import pytest
from celery import shared_task
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from enrollment.models import LearnerImport
from vetschool import imports
from vetschool.imports import (
    Problem,
    import_is_large,
    import_job_run,
    import_job_start,
    resource_rows,
    run_import,
    run_import_file,
)
from vetschool.jobs import JobStatus
from vetschool.reference.models import Occupation
from vetschool.reference.resources import OCCUPATION_COLUMNS, OccupationResource

pytestmark = pytest.mark.django_db


def catalogue(*rows: str) -> bytes:
    return ("code,name_vi,level\n" + "".join(f"{row}\n" for row in rows)).encode()


GOOD = ("6480201,Công nghệ thông tin,college", "5520123,Hàn,intermediate")
BAD = "6340404,Kế toán,university"


def occupation_rows():
    return resource_rows(OccupationResource(), required_columns=OCCUPATION_COLUMNS)


def run(content: bytes, *, dry_run: bool, filename: str = "nghe.csv"):
    return run_import_file(content, filename, occupation_rows(), dry_run=dry_run)


def test_a_preview_runs_the_writes_of_a_commit_and_keeps_nothing():
    before = Occupation.objects.count()
    seen = []

    def rows(dataset, report):
        occupation_rows()(dataset, report)
        seen.append(Occupation.objects.filter(code__in=["6480201", "5520123"]).count())

    preview = run_import(imports.read_dataset(catalogue(*GOOD), "nghe.csv"), rows,
                         dry_run=True)
    assert seen == [2]  # written inside the transaction...
    assert Occupation.objects.count() == before  # ...and rolled back
    assert (preview.ok, preview.new, preview.imported, preview.dry_run) == (True, 2, 0, True)

    commit = run(catalogue(*GOOD), dry_run=False)
    assert (commit.ok, commit.new, commit.imported) == (True, 2, 2)
    assert Occupation.objects.count() == before + 2


def test_one_bad_row_rolls_back_every_row_and_the_report_names_it():
    before = Occupation.objects.count()
    report = run(catalogue(*GOOD, BAD), dry_run=False)
    assert not report.ok and report.imported == 0
    assert [(p.row, p.column) for p in report.problems] == [(4, "level")]
    assert Occupation.objects.count() == before


def test_the_report_numbers_rows_as_the_spreadsheet_does():
    missing = run(b"code,name_vi\n6480201,CNTT\n", dry_run=True)
    assert [(p.row, p.column) for p in missing.problems] == [(1, "level")]  # the header
    empty = run(b"code,name_vi,level\n", dry_run=True)
    assert [p.row for p in empty.problems] == [2]  # the first data row
    unreadable = run(b"PK\x03\x04 not a workbook", dry_run=True, filename="nghe.xlsx")
    assert [p.row for p in unreadable.problems] == [0]  # the file itself
    bad = run(catalogue(BAD, *GOOD, BAD.replace("6340404", "6340405")), dry_run=True)
    assert [p.row for p in bad.problems] == [2, 5]


def test_a_handler_refusing_the_whole_file_rolls_back_and_raises():
    before = Occupation.objects.count()

    def rows(dataset, report):
        occupation_rows()(dataset, report)
        raise ValidationError("This version is in use.")

    with pytest.raises(ValidationError):
        run_import(imports.read_dataset(catalogue(*GOOD), "nghe.csv"), rows, dry_run=False)
    assert Occupation.objects.count() == before


def test_a_handler_problem_after_the_rows_rolls_them_back():
    before = Occupation.objects.count()

    def rows(dataset, report):
        occupation_rows()(dataset, report)
        report.problems.append(Problem(0, "", "The file has no module."))

    report = run_import(imports.read_dataset(catalogue(*GOOD), "nghe.csv"), rows,
                        dry_run=False)
    assert not report.ok
    assert Occupation.objects.count() == before


# --- Large files: a job ----------------------------------------------------------------


def _import_occupations(job, content: bytes):
    return run_import_file(content, job.filename, occupation_rows(), dry_run=job.dry_run)


@shared_task(name="tests.occupation_import_run")
def occupation_import_run(job_id: int) -> None:
    import_job_run(LearnerImport, job_id, _import_occupations)


@pytest.fixture
def queued(monkeypatch):
    """The jobs handed to a worker (rather than run at once)."""
    calls = []
    original = imports.queue_after_commit

    def record(task, *args, **kwargs):
        calls.append(args)
        original(task, *args, **kwargs)

    monkeypatch.setattr(imports, "queue_after_commit", record)
    return calls


def start(content: bytes, *, dry_run=False, by=None) -> LearnerImport:
    upload = SimpleUploadedFile("nghe.csv", content, content_type="text/csv")
    return import_job_start(LearnerImport, upload=upload, task=occupation_import_run,
                            dry_run=dry_run, by=by)


def test_a_large_file_is_queued_as_a_job_which_ends_done_with_the_report(
        settings, registrar, queued, django_capture_on_commit_callbacks):
    settings.IMPORT_QUEUE_ROWS = 1
    before = Occupation.objects.count()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = start(catalogue(*GOOD), by=registrar)
    assert queued == [(job.pk,)]
    assert LearnerImport.objects.get(pk=job.pk).status == JobStatus.QUEUED  # until commit
    for callback in callbacks:
        callback()

    job.refresh_from_db()
    assert (job.status, job.total, job.new, job.problems, job.ok) == (
        JobStatus.DONE, 2, 2, [], True)
    assert job.imported == 2 and job.file  # imported: the file is kept
    assert Occupation.objects.count() == before + 2


def test_a_small_file_runs_at_once_and_a_bad_job_keeps_only_its_report(
        settings, queued, django_capture_on_commit_callbacks):
    before = Occupation.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        job = start(catalogue(*GOOD, BAD))
    assert queued == []  # two rows: under the threshold
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and not job.ok
    assert job.problems == [{"row": 4, "column": "level", "message": job.problems[0]["message"]}]
    assert not job.file  # nothing imported: the upload is not kept
    assert Occupation.objects.count() == before


def test_large_means_more_rows_or_more_bytes_than_the_settings(settings):
    settings.IMPORT_QUEUE_ROWS, settings.IMPORT_QUEUE_BYTES = 2, 1000
    assert not import_is_large(SimpleUploadedFile("a.csv", catalogue(*GOOD)))
    assert import_is_large(SimpleUploadedFile("a.csv", catalogue(*GOOD, BAD)))
    assert import_is_large(SimpleUploadedFile("a.csv", catalogue(*GOOD) + b"x" * 1000))
    assert not import_is_large(SimpleUploadedFile("a.xlsx", b"PK\x03\x04 damaged"))


# --- Limits: size before reading, decompressed size, rows -------------------------------------


@translation.override("en")
def test_a_zip_bomb_workbook_is_refused_in_well_under_a_second():
    import time

    from tests.files import xlsx_bomb

    bomb = xlsx_bomb(120)
    assert len(bomb) < 1024 * 1024  # under a megabyte on the wire, 120 MB of sheet XML
    started = time.monotonic()
    with pytest.raises(imports.UnreadableFile, match="uncompressed|compressed more"):
        imports.read_dataset(bomb, "nghe.xlsx")
    with pytest.raises(ValidationError) as refused:
        imports.check_import_file(SimpleUploadedFile("nghe.xlsx", bomb))
    assert time.monotonic() - started < 1
    assert refused.value.error_dict["file"][0].code == "too_large"
    report = run(bomb, dry_run=True, filename="nghe.xlsx")
    assert report.problems[0].row == 0 and "uncompressed" in report.problems[0].message


@translation.override("en")
def test_a_member_compressed_beyond_any_real_sheet_is_refused():
    from tests.files import xlsx_bomb

    # 20 MB of sheet XML is under the size limit, but no real sheet compresses 1000:1.
    with pytest.raises(imports.UnreadableFile, match="compressed more than any real"):
        imports.read_dataset(xlsx_bomb(20), "nghe.xlsx")


def test_a_real_workbook_is_read():
    from tests.files import xlsx_bytes

    dataset = imports.read_dataset(xlsx_bytes([["code", "name_vi", "level"],
                                               ["6480201", "Công nghệ thông tin", "college"]]),
                                   "nghe.xlsx")
    assert dataset.headers == ["code", "name_vi", "level"] and len(dataset) == 1


@translation.override("en")
def test_more_rows_than_an_import_may_hold_are_refused_with_a_clear_error():
    rows = [f"{6480201 + n},Nghề {n},college" for n in range(imports.IMPORT_MAX_ROWS + 1)]
    report = run(catalogue(*rows), dry_run=True)
    assert not report.ok and report.problems[0].row == 0
    assert f"{imports.IMPORT_MAX_ROWS + 1} data rows" in report.problems[0].message
    assert Occupation.objects.filter(code="6480201").count() <= 1


@pytest.mark.parametrize(
    ("name", "content"),
    [("nghe.xlsx", b"PK\x03\x04 not really a zip"),
     ("nghe.xlsx", __import__("tests.files", fromlist=["PDF"]).PDF),
     ("nghe.csv", b"\x89PNG\r\n\x1a\n\x00\x00binary")],
)
def test_a_file_that_is_not_its_kind_is_refused_before_it_is_stored(name, content):
    with pytest.raises(ValidationError) as refused:
        imports.check_import_file(SimpleUploadedFile(name, content))
    assert refused.value.error_dict["file"][0].code == "bad_type"


def test_a_workbook_of_a_zip_that_is_no_workbook_is_refused():
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(ValidationError) as refused:
        imports.check_import_file(SimpleUploadedFile("nghe.xlsx", out.getvalue()))
    assert refused.value.error_dict["file"][0].code == "bad_type"


def test_an_oversized_import_is_refused_from_its_size_before_it_is_read():
    class Declared:  # an upload known by its name and size only: reading it would fail
        name, size = "nghe.csv", imports.IMPORT_MAX_BYTES + 1

    big = Declared()
    with pytest.raises(ValidationError) as refused:
        imports.check_import_file(big)
    assert refused.value.error_dict["file"][0].code == "too_large"


def test_an_import_job_keeps_its_file_under_a_generated_name(django_capture_on_commit_callbacks,
                                                             settings):
    settings.IMPORT_QUEUE_ROWS = 1  # queued: the file stays until a worker runs it
    with django_capture_on_commit_callbacks(execute=False):
        job = start(catalogue(*GOOD))
    assert job.file.name.startswith("imports/learners/") and job.file.name.endswith(".csv")
    assert "nghe" not in job.file.name and job.filename == "nghe.csv"


def test_a_part_name_with_format_characters_is_reported_as_it_is():
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/%(x)s%s.xml", b"a" * 5_000_000)
    with pytest.raises(ValidationError) as refused:
        imports.check_import_file(SimpleUploadedFile("nghe.xlsx", out.getvalue()))
    assert "xl/%(x)s%s.xml" in refused.value.message_dict["file"][0]
