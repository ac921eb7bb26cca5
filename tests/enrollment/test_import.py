"""Import of existing learners: a clean file imports all, a file with any bad row imports
nothing and says which row, which column and what is wrong."""

import csv
import io
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from enrollment import services
from enrollment.models import Enrollment, EnrollmentStatusChange, Learner
from tests.enrollment.factories import national_id_for, occupation

pytestmark = pytest.mark.django_db

HEADERS = ["learner_code", "full_name", "date_of_birth", "gender", "national_id",
           "ethnicity_code", "nationality", "province_code", "occupation_code",
           "admission_year", "mode", "start_date", "expected_end_date", "status",
           "status_date", "decision_number"]


@pytest.fixture(autouse=True)
def occupations(db):
    return occupation("6480201", "Công nghệ thông tin"), occupation("5520123", "Hàn")


def _row(**overrides):
    dob = overrides.pop("dob", date(2005, 7, 9))
    gender = overrides.pop("gender_", "female")
    row = {
        "learner_code": "CD24001", "full_name": "Hoàng Thị Thu", "date_of_birth":
        dob.isoformat(), "gender": "nữ" if gender == "female" else "nam",
        "national_id": national_id_for(dob, gender), "ethnicity_code": "1",
        "nationality": "VN", "province_code": "01", "occupation_code": "6480201",
        "admission_year": "2024", "mode": "full_time", "start_date": "05/09/2024",
        "expected_end_date": "2027-06-30", "status": "studying", "status_date": "",
        "decision_number": "210/QĐ-CĐSH",
    }
    row.update(overrides)
    return row


def _csv(rows) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=HEADERS)
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def _xlsx(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADERS)
    for row in rows:
        sheet.append([row[h] for h in HEADERS])
    sheet.append([None] * len(HEADERS))  # a trailing empty row, as spreadsheets leave
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _import(content, filename="hoc-sinh.csv", dry_run=False, by=None):
    return services.learners_import(content=content, filename=filename, dry_run=dry_run,
                                    by=by)


def test_a_clean_file_imports_every_learner_and_enrolment(registrar):
    rows = [
        _row(),
        _row(learner_code="TC23015", full_name="Đinh  Văn Nam", dob=date(2007, 1, 3),
             gender_="male", occupation_code="5520123", admission_year="2023",
             start_date="2023-09-04", expected_end_date="", status="reserved",
             status_date="2024-02-01", decision_number="15/QĐ-CĐSH"),
    ]
    report = _import(_xlsx(rows), "hoc-sinh.xlsx", by=registrar)

    assert report.ok, report.problems
    assert report.imported == 2
    nam = Learner.objects.get(code="TC23015")
    assert nam.full_name == "Đinh Văn Nam"
    enrollment = nam.enrollments.get()
    assert (enrollment.status, enrollment.status_date) == ("reserved", date(2024, 2, 1))
    assert list(enrollment.status_changes.values_list("from_status", "to_status")) == [
        ("", "studying"), ("studying", "reserved")]
    assert Learner.objects.get(code="CD24001").enrollments.get().start_date == date(2024, 9, 5)


def test_a_file_with_one_bad_row_imports_nothing_and_reports_row_and_column():
    rows = [
        _row(),
        _row(learner_code="CD24002", national_id="001199000001", full_name="Lý Văn Hải"),
        _row(learner_code="CD24003", occupation_code="9999999", start_date="31/02/2024",
             gender="x", national_id=national_id_for(date(2005, 7, 9), "male")),
        _row(learner_code="CD24004", ethnicity_code="99", province_code="99"),
    ]
    report = _import(_csv(rows))

    assert not report.ok
    assert Learner.objects.count() == 0
    assert Enrollment.objects.count() == 0
    problems = {(p.row, p.column) for p in report.problems}
    assert (3, "national_id") in problems  # header is row 1: the second learner is row 3
    assert {(4, "occupation_code"), (4, "start_date"), (4, "gender")} <= problems
    assert {(5, "ethnicity_code"), (5, "province_code")} <= problems
    assert all(p.column for p in report.problems), report.problems
    message = next(p.message for p in report.problems if (p.row, p.column) == (3, "national_id"))
    assert "4th digit" in message or "Chữ số thứ 4" in message


def test_an_imported_name_like_a_formula_is_refused():
    report = _import(_csv([_row(full_name="=cmd|' /C calc'!A0")]))
    assert [(p.row, p.column) for p in report.problems] == [(2, "full_name")]
    assert "formula" in report.problems[0].message or "công thức" in report.problems[0].message
    assert Learner.objects.count() == 0


def test_a_missing_column_or_an_unreadable_file_is_reported():
    content = _csv([_row()]).decode("utf-8-sig").replace("occupation_code", "nghe")
    report = _import(content.encode())
    assert report.problems[0].row == 1
    assert "occupation_code" in report.problems[0].column
    report = _import(b"\x00\x01 not a spreadsheet", "hoc-sinh.xlsx")
    assert not report.ok
    assert Learner.objects.count() == 0


def test_the_same_person_twice_with_two_codes_is_refused():
    first = _row()
    second = _row(learner_code="CD24099", national_id=first["national_id"])
    report = _import(_csv([first, second]))
    assert [(p.row, p.column) for p in report.problems] == [(3, "national_id")]
    assert "CD24001" in report.problems[0].message


def test_a_dry_run_checks_without_importing():
    report = _import(_csv([_row()]), dry_run=True)
    assert report.ok and report.new == 1 and report.imported == 0
    assert Learner.objects.count() == 0


def test_importing_the_same_file_again_creates_no_duplicate():
    row = _row()
    _import(_csv([row]))
    report = _import(_csv([{**row, "full_name": "Hoàng Thị Thu Trang", "status": "dropped_out",
                            "status_date": "2025-01-10", "decision_number": "3/QĐ"}]))
    assert report.ok, report.problems
    assert Learner.objects.count() == 1
    learner = Learner.objects.get()
    assert learner.full_name == "Hoàng Thị Thu Trang"
    enrollment = learner.enrollments.get()
    assert enrollment.status == "dropped_out"
    assert EnrollmentStatusChange.objects.count() == 2


def test_a_code_of_another_person_in_the_system_is_refused():
    _import(_csv([_row()]))
    other = _row(full_name="Người Khác", national_id=national_id_for(date(2005, 7, 9),
                                                                       "female"))
    report = _import(_csv([other]))
    assert [(p.row, p.column) for p in report.problems] == [(2, "learner_code")]


def test_the_command_imports_and_prints_the_report(tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_bytes(_csv([_row(national_id="123")]))
    with pytest.raises(CommandError):
        call_command("import_learners", str(bad))
    assert "national_id" in capsys.readouterr().out
    good = tmp_path / "good.csv"
    good.write_bytes(_csv([_row()]))
    call_command("import_learners", str(good), "--dry-run")
    assert Learner.objects.count() == 0
    call_command("import_learners", str(good))
    assert Learner.objects.count() == 1


def test_a_queued_import_records_who_queued_it_and_which_task_wrote_the_history(
        registrar, django_capture_on_commit_callbacks, settings, tmp_path):
    """A worker has no request: the history of imported learners still names the registrar."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("hoc-sinh.csv", _csv([_row()]), content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        record = services.learner_import_start(upload=upload, dry_run=False, by=registrar)
    record.refresh_from_db()
    assert record.status == "done", record.error

    learner = Learner.objects.get(code="CD24001")
    event = Learner.pgh_event_model.objects.get(pgh_obj=learner, pgh_label="insert")
    context = event.pgh_context.metadata
    assert context["user"] == registrar.pk
    assert context["learner_import"] == record.pk
    assert context["celery_task"] == "enrollment.learner_import_run"


@pytest.mark.parametrize(("code", "unit"), [("79", "Hồ Chí Minh"), ("02", "Tuyên Quang"),
                                            ("074", "Hồ Chí Minh")])
def test_a_former_province_code_imports_as_its_current_unit(registrar, code, unit):
    report = _import(_csv([_row(province_code=code)]), by=registrar)

    assert report.ok, report.problems
    assert Learner.objects.get(code="CD24001").province.name_vi == unit
