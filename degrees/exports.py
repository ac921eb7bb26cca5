"""XLSX files of degrees: the review list and the diploma register."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from degrees.models import Classification, Diploma, DiplomaStatus, GraduationReview
from vetschool.reference.models import Level
from vetschool.spreadsheets import xlsx_bytes

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _workbook(title: str, header: list[str], widths: tuple[int, ...], meta: list[list]):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=13)
    for row in meta:
        sheet.append(row)
    sheet.append([])
    sheet.append(header)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    return workbook, sheet


def _save(workbook) -> bytes:
    return xlsx_bytes(workbook)


def _label(choices, value) -> str:
    return str(choices(value).label) if value else ""


def review_xlsx(review: GraduationReview, lines) -> bytes:
    """One row per learner: computed verdict with every reason, proposal and final verdict."""
    workbook, sheet = _workbook(
        _("Graduation review"),
        [_("No."), _("Learner code"), _("Full name"), _("Date of birth"), _("Credits earned"),
         _("Credits required"), _("Cumulative GPA (4-point)"), _("Eligible (computed)"),
         _("Reasons"), _("Proposed classification"), _("Lowered one level"), _("Recognised"),
         _("Classification"), _("Adjustments")],
        (6, 14, 28, 12, 10, 10, 10, 10, 50, 14, 10, 10, 14, 50),
        [[_("Class"), str(review.homeroom_class)], [_("Review date"), review.review_date],
         [_("Printed on"), timezone.localdate()]])
    for number, line in enumerate(lines, start=1):
        learner = line.enrollment.learner
        sheet.append([
            number, learner.code, learner.full_name, learner.date_of_birth, line.earned_credits,
            line.required_credits, line.cumulative_gpa_4, _("yes") if line.eligible else _("no"),
            "; ".join(line.reason_labels),
            _label(Classification, line.proposed_classification),
            "; ".join(line.downgrade_labels) if line.downgraded else "",
            _("yes") if line.final_eligible else _("no"),
            _label(Classification, line.final_classification),
            "; ".join(f"{a.at:%d/%m/%Y} {a.by.get_full_name()}: {a.reason}"
                      for a in line.adjustments.all()),
        ])
        sheet.cell(row=sheet.max_row, column=4).number_format = "DD/MM/YYYY"
    return _save(workbook)


def register_xlsx(diplomas) -> bytes:
    """The original register: every diploma with its facts, decision, dates and status."""
    workbook, sheet = _workbook(
        _("Diploma register"),
        [_("Register number"), _("Serial number"), _("Full name"), _("Date of birth"),
         _("Occupation code"), _("Occupation"), _("Level"), _("Classification"),
         _("Decision number"), _("Decision date"), _("Issue date"), _("Status"),
         _("Replaces"), _("Reason"), _("Certified copies")],
        (16, 20, 28, 12, 10, 30, 12, 12, 16, 12, 12, 12, 20, 40, 20),
        [[_("Printed on"), timezone.localdate()]])
    for diploma in diplomas:
        reason = diploma.revocation_reason or diploma.replacement_reason
        sheet.append([
            diploma.register_number, diploma.serial_number, diploma.holder_name,
            diploma.date_of_birth, diploma.occupation_code, diploma.occupation_name_vi,
            _label(Level, diploma.level), _label(Classification, diploma.classification),
            diploma.decision_number, diploma.decision_date, diploma.issue_date,
            _label(DiplomaStatus, diploma.status),
            diploma.replaces.serial_number if diploma.replaces_id else "", reason,
            ", ".join(f"{c.number} ({c.issued_on:%d/%m/%Y})" for c in diploma.copies.all()),
        ])
        for column in (4, 10, 11):
            sheet.cell(row=sheet.max_row, column=column).number_format = "DD/MM/YYYY"
    return _save(workbook)


def register_rows():
    return (Diploma.objects.select_related("replaces").prefetch_related("copies")
            .order_by("year", "serial_sequence"))
