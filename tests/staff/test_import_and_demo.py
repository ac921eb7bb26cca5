"""Staff import (all-or-nothing, row report, re-runnable) and the demo data."""

from datetime import date
from decimal import Decimal

import pytest
import tablib
from django.core.management import CommandError, call_command
from django.utils import timezone

from staff import indicators, selectors
from staff.models import EmploymentRecord, StaffMember
from staff.resources import COLUMNS, REQUIRED_COLUMNS, StaffResource, import_template
from tests.staff import helpers
from vetschool.imports import import_all_or_nothing, read_dataset

pytestmark = pytest.mark.django_db


def xlsx(rows: list[list], headers=COLUMNS) -> bytes:
    dataset = tablib.Dataset(headers=list(headers))
    for row in rows:
        dataset.append(row + [""] * (len(headers) - len(row)))
    return dataset.export("xlsx")


def run(content: bytes, *, dry_run=False, name="staff.xlsx"):
    return import_all_or_nothing(StaffResource(), read_dataset(content, name), dry_run=dry_run,
                                 required_columns=REQUIRED_COLUMNS)


def row(code="GV1", *, dept="CNTT", status="active", since="01/09/2020", teacher=1, manager=0,
        national_id=None, birth=date(1988, 3, 12)):
    number = national_id if national_id is not None else helpers.national_id(birth)
    # In COLUMNS order: code, name, ID, birth, gender, e-mail, phone, department, roles, ...
    return [code, "Trần Văn Bình", number, birth, "male", "", "", dept, teacher, manager,
            status, since]


def test_an_xlsx_with_dates_as_cells_imports(cntt):
    report = run(xlsx([row("GV1"), row("GV2", birth=date(1990, 1, 2))]))
    assert report.ok, report.problems
    assert report.new == 2
    member = StaffMember.objects.get(staff_code="GV1")
    assert member.date_of_birth == date(1988, 3, 12)
    assert member.employment_records.get().effective_date == date(2020, 9, 1)


def test_one_bad_row_imports_nothing_and_every_problem_is_named(cntt):
    report = run(xlsx([row("GV1"), row("GV2", dept="NOPE", national_id="12345"),
                       row("GV3", since="31/02/2020")]))
    assert not report.ok
    located = {(p.row, p.column) for p in report.problems}
    assert {(3, "department"), (3, "national_id"), (4, "effective_date")} <= located
    assert not StaffMember.objects.exists()


def test_a_staff_name_like_a_formula_is_refused(cntt):
    bad = row("GV1")
    bad[1] = "@SUM(1+1)*cmd|' /C calc'!A0"
    report = run(xlsx([bad]))
    assert [(p.row, p.column) for p in report.problems] == [(2, "full_name")]
    assert not StaffMember.objects.exists()


def test_a_missing_required_column_is_reported(cntt):
    headers = [c for c in COLUMNS if c != "effective_date"]
    report = run(xlsx([row()[:11]], headers=headers))
    assert [(p.row, p.column) for p in report.problems] == [(1, "effective_date")]


def test_rerunning_an_import_changes_nothing_and_a_change_adds_a_dated_record(cntt, ck):
    content = xlsx([row("GV1")])
    assert run(content).new == 1
    again = run(content)
    assert (again.new, again.updated, again.unchanged) == (0, 0, 1)
    assert EmploymentRecord.objects.count() == 1
    moved = run(xlsx([row("GV1", dept="CK", since="01/02/2024", manager=1)]))
    assert moved.ok and moved.updated == 1
    member = StaffMember.objects.get(staff_code="GV1")
    assert (member.department, member.is_manager, member.position_since) == (
        ck, True, date(2024, 2, 1))
    assert EmploymentRecord.objects.filter(staff=member).count() == 2


def test_a_future_effective_date_is_refused(cntt):
    future = timezone.localdate().replace(year=timezone.localdate().year + 1)
    report = run(xlsx([row(since=future.strftime("%d/%m/%Y"))]))
    assert [(p.row, p.column) for p in report.problems] == [(2, "effective_date")]


def test_the_template_is_a_valid_import_file(cntt):
    report = run(import_template(), dry_run=True)
    assert report.ok, report.problems
    assert report.new == 1
    assert not StaffMember.objects.exists()


def test_the_import_staff_command(tmp_path, cntt, capsys):
    path = tmp_path / "staff.xlsx"
    path.write_bytes(xlsx([row("GV1")]))
    call_command("import_staff", str(path), "--dry-run")
    assert "would import: 1 new" in capsys.readouterr().out
    assert not StaffMember.objects.exists()
    call_command("import_staff", str(path))
    assert StaffMember.objects.filter(staff_code="GV1").exists()
    bad = tmp_path / "bad.csv"
    bad.write_text("staff_code,full_name\nGV9,X\n", encoding="utf-8")
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_staff", str(bad))
    assert "Required column missing" in capsys.readouterr().err


def test_seed_demo_gives_indicators_strictly_between_0_and_100_and_is_idempotent():
    call_command("seed_demo")
    counts = (StaffMember.objects.count(), EmploymentRecord.objects.count())
    call_command("seed_demo")
    assert (StaffMember.objects.count(), EmploymentRecord.objects.count()) == counts
    assert 55 <= counts[0] <= 65
    assert StaffMember.objects.values("department").distinct().count() == 5
    for as_of in (timezone.localdate(), date(2025, 12, 31)):
        report = indicators.compute(selectors.indicator_facts(as_of=as_of), as_of=as_of)
        for result in report.results:
            assert Decimal(0) < result.overall.percent < Decimal(100), (as_of, result)
    teacher = StaffMember.objects.get(user__username="teacher")
    assert teacher.is_teacher
    assert teacher.participations.filter(result="completed").exists()
    assert teacher.courseware.exists() and teacher.assessments.exists()
    assert StaffMember.objects.get(user__username="hr").department.code == "TCHC"


def test_the_import_checks_personal_ids_like_enrolment(cntt):
    """A 12-digit number that contradicts the row (gender digit, birth year) or repeats
    another row's is refused with its row and column, and nothing is imported."""
    female_number = helpers.national_id(date(1988, 3, 12), gender="female")  # row says male
    wrong_year = helpers.national_id(date(1979, 3, 12))  # row says born 1988
    twice = helpers.national_id(date(1988, 3, 12))
    report = run(xlsx([row("GV1", national_id=female_number), row("GV2", national_id=wrong_year),
                       row("GV3", national_id=twice), row("GV4", national_id=twice)]))
    assert not report.ok
    located = {(p.row, p.column) for p in report.problems}
    assert {(2, "national_id"), (3, "national_id")} <= located
    assert any(p.column == "national_id" and p.row in (4, 5) for p in report.problems)
    assert not StaffMember.objects.exists()
