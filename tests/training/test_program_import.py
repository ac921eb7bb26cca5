"""Program import from the colleges' module table (XLSX): all or nothing, with a row report,
re-runnable, via the service, the command and the admin page."""

from io import BytesIO, StringIO

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from tests.enrollment.factories import occupation
from tests.training.factories import homeroom_class, program, school_year
from training.models import AssessmentKind, Module, ModuleKind, Program, ProgramStatus
from training.resources import template_xlsx
from training.services import program_import

pytestmark = pytest.mark.django_db

HEADERS = ["Mã MH/MĐ", "Tên môn học/mô-đun", "Số tín chỉ", "Tổng số giờ", "Lý thuyết",
           "Thực hành", "Thi/Kiểm tra", "Loại", "Học kỳ", "Tính điểm TBC", "Tiên quyết",
           "Hình thức thi"]
ROWS = [
    ["MH 01", "Giáo dục chính trị", 4, 75, 41, 29, 5, "Chung", 1, "", "", "Viết"],
    ["MH02", "Pháp luật", 2, 30, 18, 10, 2, "chung", 1, "", "", "trắc nghiệm"],
    ["MH03", "Giáo dục thể chất", 2, 60, 5, 51, 4, "chung", 1, "", "", "thực hành"],
    ["MH04", "Giáo dục quốc phòng và an ninh", 4, 75, 36, 35, 4, "chung", 2, "", "",
     "viết"],
    ["MĐ07", "Lập trình căn bản", 4, 90, 30, 56, 4, "Cơ sở", 1, "", "", "thực hành"],
    ["MĐ09", "Lập trình hướng đối tượng", 4, 90, 30, 56, 4, "Chuyên môn", 2, "có", "MĐ07",
     "viết + thực hành"],
    ["MĐ16", "Thực tập tốt nghiệp", 12, 540, 0, 540, 0, "thực tập", 6, "", "MĐ09",
     "báo cáo"],
]


def xlsx(rows=ROWS, headers=HEADERS) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def run(content=None, *, dry_run=False, year=2025, **extra):
    return program_import(occupation=occupation(), effective_year=year,
                          content=content or xlsx(), filename="ctdt.xlsx", dry_run=dry_run,
                          **extra)


def test_a_real_looking_program_imports_with_plans_and_prerequisites():
    outcome = run()
    assert outcome.ok, outcome.report.problems
    assert outcome.program_created and outcome.report.new == len(ROWS)
    version = Program.objects.get(occupation__code="6480201", effective_year=2025)
    assert version.status == ProgramStatus.DRAFT
    assert version.total_credits == 32 and version.total_hours == 75 + 30 + 60 + 75 + 90 + 90 + 540
    codes = list(version.modules.values_list("code", flat=True))
    assert "MH01" in codes and "MĐ07" in codes
    pe = version.modules.get(code="MH03")
    assert pe.counts_in_gpa is False and pe.kind == ModuleKind.GENERAL
    assert version.modules.get(code="MH04").counts_in_gpa is False
    oop = version.modules.get(code="MĐ09")
    assert list(oop.prerequisites.values_list("code", flat=True)) == ["MĐ07"]
    plan = {line.kind: (line.count, line.form) for line in oop.assessment_plan.all()}
    assert plan == {AssessmentKind.CONTINUOUS: (2, ""), AssessmentKind.PERIODIC: (2, ""),
                    AssessmentKind.EXAM: (1, "combined")}
    assert version.modules.get(code="MĐ16").kind == ModuleKind.INTERNSHIP


def test_the_same_file_again_changes_nothing_and_a_shorter_file_removes_modules():
    run()
    again = run()
    assert again.ok and again.report.new == 0 and again.report.updated == len(ROWS)
    assert Module.objects.count() == len(ROWS)
    shorter = run(xlsx(ROWS[:5]))
    assert shorter.ok and sorted(shorter.removed) == ["MĐ09", "MĐ16"]
    assert Module.objects.count() == 5


def test_a_bad_row_imports_nothing_and_the_report_names_row_and_column():
    rows = [list(r) for r in ROWS]
    rows[1][2] = "hai"  # credits of row 3 (header is row 1)
    rows[3][7] = "không rõ"  # kind of row 5
    rows[5][10] = "MĐ99"  # prerequisite of row 7
    rows[4][3] = 100  # total hours of row 6 do not add up
    outcome = run(xlsx(rows))
    assert not outcome.ok
    problems = {(p.row, p.column) for p in outcome.report.problems}
    assert {(3, "credits"), (5, "kind"), (7, "prerequisites"), (6, "total_hours")} <= problems
    assert not Program.objects.exists() and not Module.objects.exists()


def test_a_missing_column_is_reported():
    outcome = run(xlsx([r[:2] for r in ROWS], HEADERS[:2]))
    assert not outcome.ok
    assert "credits" in outcome.report.problems[0].column


def test_dry_run_checks_everything_and_keeps_nothing():
    outcome = run(dry_run=True)
    assert outcome.ok and outcome.report.new == len(ROWS)
    assert not Program.objects.exists()


def test_a_version_in_use_is_not_imported_into():
    school_year(2025)
    version = program()
    homeroom_class(version, members=1)
    with pytest.raises(Exception) as caught:
        run()
    assert "in use" in str(caught.value)


def test_the_template_imports_as_it_is():
    outcome = run(template_xlsx())
    assert outcome.ok, outcome.report.problems
    assert outcome.report.new == 4


def test_the_command(tmp_path):
    path = tmp_path / "ctdt.xlsx"
    path.write_bytes(xlsx())
    occupation()
    out = StringIO()
    call_command("import_program", str(path), "--occupation", "6480201", "--level", "college",
                 "--year", "2025", "--dry-run", stdout=out)
    assert "would import: 7 new" in out.getvalue()
    assert not Program.objects.exists()
    call_command("import_program", str(path), "--occupation", "6480201", "--year", "2025",
                 stdout=out)
    assert Module.objects.count() == 7
    with pytest.raises(CommandError, match="not"):
        call_command("import_program", str(path), "--occupation", "6480201", "--level",
                     "intermediate", "--year", "2025", stdout=out)
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(xlsx([r[:7] + ["?"] + r[8:] for r in ROWS]))
    err = StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_program", str(bad), "--occupation", "6480201", "--year", "2026",
                     stdout=out, stderr=err)
    assert "row 2, kind" in err.getvalue()
