"""XLSX export of the 2222 staff indicators (summary + who is missing)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from staff.indicators import IndicatorReport, Share
from staff.models import EmploymentStatus, roles_label
from vetschool.spreadsheets import xlsx_bytes

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _share_cells(share: Share) -> list:
    ratio = share.ratio
    cells = [share.counted, share.completed, ratio]
    cells += [_("yes") if t.met else _("no") for t in share.targets]
    cells += [t.gap for t in share.targets]
    return cells


def indicators_xlsx(report: IndicatorReport, *, labels: dict[str, str],
                    department_names: dict[str, str]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Summary")[:31]
    bold = Font(bold=True)
    sheet.append([_("Decision 2222/QĐ-TTg — staff indicators")])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([_("As of"), report.as_of])
    sheet["B2"].number_format = "DD/MM/YYYY"
    sheet.append([_("Department"), department_names.get(report.department, _("All departments"))
                  if report.department else _("All departments")])
    sheet.append([])
    first = report.results[0].overall.targets if report.results else ()
    header = [_("Indicator"), _("Department"), _("Counted"), _("Completed"), _("Share")]
    header += [_("Target %(year)s met") % {"year": t.year} for t in first]
    header += [_("Still needed for %(year)s") % {"year": t.year} for t in first]
    sheet.append(header)
    for cell in sheet[sheet.max_row]:
        cell.font = bold
    for result in report.results:
        code = result.indicator.code
        rows = [(_("Overall"), result.overall)]
        rows += [(department_names.get(dept, dept), share)
                 for dept, share in result.by_department.items()]
        for name, share in rows:
            sheet.append([f"{code} — {labels[code]}", name, *_share_cells(share)])
            sheet.cell(row=sheet.max_row, column=5).number_format = "0.0%"
    _widen(sheet)

    for result in report.results:
        code = result.indicator.code
        missing = workbook.create_sheet(title=(_("Missing %(code)s") % {"code": code})[:31])
        missing.append([f"{code} — {labels[code]}"])
        missing["A1"].font = bold
        missing.append([_("Staff code"), _("Full name"), _("Department"), _("Roles"),
                        _("Employment status")])
        for cell in missing[missing.max_row]:
            cell.font = bold
        for person in result.missing:
            missing.append([
                person.code, person.name, department_names.get(person.department,
                                                               person.department),
                roles_label(person.is_teacher, person.is_manager),
                str(EmploymentStatus(person.status).label),
            ])
        _widen(missing)

    return xlsx_bytes(workbook)


def _widen(sheet) -> None:
    for index, column in enumerate(sheet.iter_cols(min_row=1, max_row=sheet.max_row), start=1):
        longest = max((len(str(c.value)) for c in column if c.value is not None), default=8)
        sheet.column_dimensions[get_column_letter(index)].width = min(max(10, longest + 2), 60)
