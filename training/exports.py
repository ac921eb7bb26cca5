"""XLSX files of training: a section's learner list."""

from __future__ import annotations

import re

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from training.models import Section
from vetschool.spreadsheets import xlsx_bytes

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe_filename(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", text).strip("_") or "section"


def section_learners_xlsx(section: Section, rows) -> bytes:
    """The list of a section: number, learner code, full name, date of birth, class."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Learners")[:31]
    bold = Font(bold=True)
    sheet.append([_("Section %(code)s") % {"code": section.code}])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([_("Module"), f"{section.module.code} {section.module.name_vi}"])
    sheet.append([_("Semester"), str(section.semester)])
    sheet.append([_("Classes"), ", ".join(c.code for c in section.classes.all())])
    sheet.append([_("Teachers"), ", ".join(a.staff.full_name for a in section.assignments.all())])
    sheet.append([_("Printed on"), timezone.localdate()])
    sheet["B6"].number_format = "DD/MM/YYYY"
    sheet.append([])
    header = [_("No."), _("Learner code"), _("Full name"), _("Date of birth"), _("Class"),
              _("On the list as")]
    sheet.append(header)
    for cell in sheet[sheet.max_row]:
        cell.font = bold
    first_data_row = sheet.max_row + 1
    for number, entry in enumerate(rows, start=1):
        learner = entry.enrollment.learner
        sheet.append([number, learner.code, learner.full_name, learner.date_of_birth,
                      entry.class_code or "", entry.get_source_display()])
        sheet.cell(row=sheet.max_row, column=4).number_format = "DD/MM/YYYY"
    for column, width in zip(range(1, 7), (6, 14, 30, 14, 14, 26), strict=True):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = sheet.cell(row=first_data_row, column=1)
    return xlsx_bytes(workbook)
