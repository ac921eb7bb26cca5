"""The gradebook as an XLSX file, and back.

Sheet 1 ("Bảng điểm") is a plain table with its header in row 1 — learner code, name,
class, one column per score (TX1, ĐK1, THI1…) and the derived values — so that it can be
filled in Excel and imported again; sheet 2 describes the section and the reason codes.
Import reads the open columns only, matches learners by code, and goes through the same
service as the grid, on the one import path of vetschool.imports: preview and commit run
one code path (the preview rolls back), all or nothing, with a row-by-row report.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from grading.models import GradebookLog
from grading.services import gradebook as gb
from grading.services.common import log_action
from grading.sheet import Column, InvalidCell, Sheet, parse_cell
from vetschool.imports import HEADER_ROWS, ImportReport, Problem, read_dataset, run_import
from vetschool.reference.models import Institution
from vetschool.spreadsheets import xlsx_bytes

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CODE_HEADER = "Mã HSSV"
NAME_HEADER = "Họ và tên"


def xlsx_header(column: Column) -> str:
    """TX1, ĐK1, THI1: the same in every language, read back by Column.from_code."""
    return column.code.replace("DK", "ĐK")


def _headers(sheet: Sheet) -> list[str]:
    return (["STT", CODE_HEADER, NAME_HEADER, "Lớp"] + [xlsx_header(c) for c in sheet.columns]
            + ["TB kiểm tra", "Dự thi", "Điểm HP", "Điểm chữ"])


def gradebook_xlsx(sheet: Sheet) -> bytes:
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill

    workbook = Workbook()
    table = workbook.active
    table.title = "Bảng điểm"
    table.append(_headers(sheet))
    bold = Font(bold=True)
    locked_fill = PatternFill("solid", fgColor="E6E8EC")
    for cell in table[1]:
        cell.font = bold
        cell.alignment = Alignment(horizontal="center")
    first_score = 5
    for index, column in enumerate(sheet.columns):
        header = table.cell(row=1, column=first_score + index)
        header.comment = Comment(column.title, "vetschool")
    for number, row in enumerate(sheet.rows, start=1):
        values = [number, row.learner.code, row.learner.full_name, row.class_code]
        for column in sheet.columns:
            value = row.value(column.code)
            values.append(value.score if value.score is not None else (value.mark or None))
        preview = row.preview
        values += [row.checks_average,
                   {True: "Được dự thi", False: "Không đủ điều kiện"}.get(row.eligible, ""),
                   preview.score_10 if preview else None,
                   (preview.letter or "") if preview else ""]
        table.append(values)
        for index, column in enumerate(sheet.columns):
            cell = table.cell(row=number + 1, column=first_score + index)
            cell.number_format = "0.0"
            if not sheet.cell_editable(row, column):
                cell.fill = locked_fill
    widths = [6, 14, 28, 12] + [8] * len(sheet.columns) + [12, 18, 10, 10]
    for index, width in enumerate(widths, start=1):
        table.column_dimensions[table.cell(row=1, column=index).column_letter].width = width
    table.freeze_panes = "E2"

    info = workbook.create_sheet("Thông tin")
    section = sheet.section
    institution = Institution.objects.filter(pk=1).first()
    for line in (
        ["Trường", institution.name_vi if institution else ""],
        ["Lớp học phần", section.code],
        ["Môn học/mô-đun", f"{section.module.code} {section.module.name_vi}"],
        ["Số tín chỉ", section.module.credits],
        ["Học kỳ", str(section.semester)],
        ["Lần thi đang nhập", sheet.sitting],
        ["Phiên bản", sheet.gradebook.version],
        [],
        ["Cách nhập", "Điểm 0–10, một chữ số thập phân (7.5 hoặc 7,5)"],
        ["V", "Vắng có phép (bài kiểm tra không tính; thi: hoãn thi, không tính lần thi)"],
        ["KP", "Vắng không phép (tính 0 điểm; thi: tính một lần thi)"],
        ["Ô tô xám", "Đã duyệt hoặc chưa mở: không nhập lại được (sửa bằng đề nghị đính chính)"],
    ):
        info.append(line)
    info.column_dimensions["A"].width = 20
    info.column_dimensions["B"].width = 70
    return xlsx_bytes(workbook)


@dataclass
class ImportResult:
    problems: list[Problem] = field(default_factory=list)
    changed: int = 0
    dry_run: bool = True
    version: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        # Excel stores 7.5 as a binary float: read it back at one decimal, via its repr
        # ("7.5"), never by arithmetic; 7.25 stays "7.25" and is refused as it should.
        text = repr(value)
        return text[:-2] if text.endswith(".0") else text
    return str(value).strip()


def gradebook_import(*, sheet: Sheet, content: bytes, filename: str, by, base_version: int,
                     dry_run: bool) -> ImportResult:
    """Preview (`dry_run`) or commit an XLSX of this gradebook on the one import path
    (vetschool.imports.run_import: the preview runs the same writes and rolls back);
    nothing is written unless every row is right. Raises UnreadableFile."""
    dataset = read_dataset(content, filename)
    cells = _GradebookCells(sheet, filename, by=by, base_version=base_version)
    report = run_import(dataset, cells, dry_run=dry_run)
    return ImportResult(problems=report.problems, changed=cells.changed, dry_run=dry_run,
                        version=cells.version)


class _GradebookCells:
    """The row handler: the open cells the file changes, saved through the gradebook
    service as the grid saves them; each refusal reported at its row and column."""

    def __init__(self, sheet: Sheet, filename: str, *, by, base_version: int):
        self.sheet, self.filename, self.by, self.base_version = sheet, filename, by, base_version
        self.changed = self.version = 0

    def __call__(self, dataset, report: ImportReport) -> None:
        headers = [str(h or "").strip() for h in (dataset.headers or [])]
        if CODE_HEADER not in headers:
            report.problems.append(Problem(HEADER_ROWS, CODE_HEADER,
                                           _("Required column missing.")))
            return
        cells, origin = self._read(dataset, headers, report.problems)
        if not report.problems:
            self._save(cells, origin, report.problems)

    def _read(self, dataset, headers: list[str], problems: list[Problem]):
        sheet = self.sheet
        by_code = {row.learner.code: row for row in sheet.rows}
        columns = {}
        for index, header in enumerate(headers):
            try:
                columns[index] = Column.from_code(header)
            except KeyError:
                continue
        code_index = headers.index(CODE_HEADER)
        cells, origin = [], {}
        for number, values in enumerate(dataset, start=HEADER_ROWS + 1):
            code = _text(values[code_index])
            if not code:
                continue
            row = by_code.get(code)
            if row is None:
                problems.append(Problem(number, CODE_HEADER, _(
                    "%(code)s is not on the list of this section.") % {"code": code}))
                continue
            for index, column in columns.items():
                if column.code not in row.cells:
                    continue
                text = _text(values[index])
                try:
                    value = parse_cell(text)
                except InvalidCell as exc:
                    problems.append(Problem(number, xlsx_header(column), str(exc)))
                    continue
                if value == row.value(column.code):
                    continue
                if not sheet.cell_editable(row, column):
                    problems.append(Problem(number, xlsx_header(column), _(
                        "This score is approved or not open for entry: it cannot be changed "
                        "here.")))
                    continue
                cells.append(gb.CellInput(row.id, column.code, text))
                origin[f"{row.id}:{column.code}"] = (number, xlsx_header(column))
        return cells, origin

    def _save(self, cells, origin, problems: list[Problem]) -> None:
        book = self.sheet.gradebook
        try:
            saved = gb.gradebook_cells_save(gradebook=book, by=self.by,
                                            base_version=self.base_version, cells=cells)
        except ValidationError as exc:
            for key, messages in getattr(exc, "message_dict", {"": exc.messages}).items():
                number, label = origin.get(key, (0, ""))
                problems.extend(Problem(number, label, m) for m in messages)
            return
        except gb.GradebookConflict as exc:
            problems.append(Problem(0, "", exc.message))
            return
        self.changed, self.version = len(saved.saved), saved.version
        if saved.saved:
            log_action(book, GradebookLog.IMPORTED, self.by,
                       _("%(count)s cell(s) from %(file)s") % {"count": len(saved.saved),
                                                              "file": self.filename})
