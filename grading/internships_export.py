"""The placement list as XLSX: the admin's export (per enterprise, per section) and the
frozen copy quality files as accreditation evidence."""

from __future__ import annotations

from django.utils.translation import gettext as _
from openpyxl import Workbook

from vetschool.spreadsheets import xlsx_bytes


def placements_xlsx(placements) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = _("Placements")[:31]
    sheet.append([_("enterprise"), _("tax code"), _("learner code"), _("learner"),
                  _("section"), _("module"), _("from"), _("until"), _("enterprise mentor"),
                  _("college supervisor")])
    rows = placements.select_related(
        "enterprise", "mentor", "supervisor", "section_learner__enrollment__learner",
        "section_learner__section__module").order_by(
        "enterprise__name", "section_learner__enrollment__learner__code")
    for p in rows:
        learner = p.section_learner.enrollment.learner
        sheet.append([p.enterprise.name, p.enterprise.tax_code, learner.code, learner.full_name,
                      p.section_learner.section.code, p.section_learner.section.module.name_vi,
                      p.starts_on.strftime("%d/%m/%Y"), p.ends_on.strftime("%d/%m/%Y"),
                      p.mentor.full_name, p.supervisor.full_name])
    return xlsx_bytes(book)
