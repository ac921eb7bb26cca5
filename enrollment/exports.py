"""XLSX exports of enrolment lists (openpyxl). Personal ID numbers are masked: these lists
are not for ministry reporting."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from enrollment.models import Application, Learner
from vetschool.spreadsheets import xlsx_bytes


def _workbook(title: str, headers: list[str], rows: Iterable[list]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    widths = [len(h) for h in headers]
    for row in rows:
        sheet.append(row)
        widths = [max(w, len(str(v or ""))) for w, v in zip(widths, row, strict=True)]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(width + 2, 60)
    sheet.freeze_panes = "A2"
    return xlsx_bytes(book)


def admission_list_xlsx(applications: Iterable[Application]) -> bytes:
    headers = [_("No."), _("Tracking code"), _("Full name"), _("Date of birth"), _("Gender"),
               _("Personal ID number"), _("Province"), _("Occupation code"), _("Occupation"),
               _("Level"), _("Admission round"), _("Status"), _("Decided on")]
    rows = []
    for number, a in enumerate(applications, start=1):
        occupation = a.admitted_occupation
        rows.append([
            number, a.tracking_code, a.full_name, a.date_of_birth, a.get_gender_display(),
            a.national_id_masked, a.province.name_vi if a.province_id else "",
            occupation.code if occupation else "", occupation.name_vi if occupation else "",
            occupation.get_level_display() if occupation else "", a.round.name,
            a.get_status_display(),
            timezone.localtime(a.decided_at).date() if a.decided_at else None,
        ])
    return _workbook(_("Admission list"), headers, rows)


def learner_list_xlsx(learners: Iterable[Learner]) -> bytes:
    headers = [_("Learner code"), _("Full name"), _("Date of birth"), _("Gender"),
               _("Personal ID number"), _("Ethnic group"), _("Occupation code"),
               _("Occupation"), _("Level"), _("Admission year"), _("Mode"), _("Status"),
               _("Status since")]
    rows = []
    for learner in learners:
        enrollments = list(learner.enrollments.all()) or [None]
        for e in enrollments:
            rows.append([
                learner.code, learner.full_name, learner.date_of_birth,
                learner.get_gender_display(), learner.national_id_masked,
                str(learner.ethnic_group), e.occupation.code if e else "",
                e.occupation.name_vi if e else "", e.get_level_display() if e else "",
                e.admission_year if e else None, e.get_mode_display() if e else "",
                e.get_status_display() if e else "", e.status_date if e else None,
            ])
    return _workbook(_("Learners"), headers, rows)
