"""The self-assessment report of a cycle as a Word document (python-docx), beside the PDF
(report_accreditation.py): the same context and the same order — title block, council,
working groups, totals against the framework's thresholds with what is missing, then per
criterion every standard with its description, strengths, weaknesses, improvement plan,
yearly ratings and evidence — in Vietnamese. Colleges edit the report before signing it,
which is why the regulation's report is also wanted as an editable file."""

from __future__ import annotations

import io

from django.utils import translation
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from quality.report_accreditation import cycle_report_context

DOCX_CONTENT_TYPE = ("application/vnd.openxmlformats-officedocument"
                     ".wordprocessingml.document")


def cycle_report_docx(cycle, *, language: str = "vi") -> bytes:
    context = cycle_report_context(cycle)
    with translation.override(language):
        document = Document()
        document.styles["Normal"].font.name = "Times New Roman"
        document.styles["Normal"].font.size = Pt(13)
        _title_block(document, context)
        _council(document, context)
        _totals(document, context)
        for entry in context["criteria"]:
            _criterion(document, entry)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _centered(document, text: str):
    paragraph = document.add_paragraph(text)
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    return paragraph


def _title_block(document, context):
    cycle, years = context["cycle"], context["years"]
    heading = document.add_heading(_("Self-assessment report").upper(), level=0)
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _centered(document, f"{cycle.title} — {context['framework'].name}")
    line = (f"{_('assessment year')}: {cycle.assessment_year}; "
            f"{_('compliance window')}: {years[0]}–{years[-1]}; "
            f"{_('state')}: {cycle.get_state_display()}")
    if cycle.revises:
        line += f"; {_('revises')}: {cycle.revises}"
    _centered(document, line)


def _table(document, header: list[str], rows: list[list[str]]):
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
        cell.paragraphs[0].runs[0].bold = True
    for row in rows:
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = text
    return table


def _council(document, context):
    document.add_heading(_("Self-assessment council"), level=1)
    _table(document, [_("name"), _("role"), _("enterprise representative")], [
        [m.name, m.get_role_display(),
         (str(m.enterprise or "✓") if m.enterprise_representative else "")]
        for m in context["council"]])
    if "few_enterprise_representatives" in context["warnings"]:
        document.add_paragraph().add_run(
            _("The council has fewer than two enterprise representatives.")).bold = True
    if context["groups"]:
        document.add_heading(_("working groups"), level=1)
        for group in context["groups"]:
            leader = f" ({group.leader})" if group.leader else ""
            codes = ", ".join(s.code for s in group.standards.all())
            document.add_paragraph(f"{group.name}{leader}: {codes}", style="List Bullet")


def _unknown(value) -> str:
    return "?" if value is None else str(value)


def _verdict(passed) -> str:
    return {True: _("Passes"), False: _("Does not pass"), None: _("Not yet known")}[passed]


def _totals(document, context):
    result, framework = context["result"], context["framework"]
    document.add_heading(_("totals"), level=1)
    rows = [[f"{c['criterion'].number}. {c['criterion'].name}", str(c["result"].points),
             _unknown(c["result"].benchmark), _unknown(c["result"].required)]
            for c in context["criteria"]]
    rows.append([_("total"), f"{result.total} / {result.maximum}", "",
                 _unknown(framework.pass_total)])
    _table(document, [_("criterion"), _("points"), _("benchmark points"), _("required")], rows)
    document.add_paragraph().add_run(_verdict(result.passed)).bold = True
    if result.missing:
        document.add_paragraph(f"{_('Missing to pass')}:")
        for m in result.missing:
            what = f"{_('criterion')} {m.criterion}" if m.criterion else _("total")
            document.add_paragraph(f"{what}: {m.points} / {m.required} (+{m.needed})",
                                   style="List Bullet")


def _labelled(document, label: str, text: str):
    paragraph = document.add_paragraph()
    paragraph.add_run(f"{label}: ").bold = True
    paragraph.add_run(text)


def _criterion(document, entry):
    criterion = entry["criterion"]
    document.add_heading(f"{_('criterion')} {criterion.number}. {criterion.name}", level=1)
    for assessment in entry["assessments"]:
        _standard(document, assessment)


def _standard(document, a):
    document.add_heading(f"{_('standard')} {a.standard.code}", level=2)
    document.add_paragraph().add_run(a.standard.text or a.standard.text_en).italic = True
    for label, text in ((_("current state"), a.current_state), (_("strengths"), a.strengths),
                        (_("weaknesses"), a.weaknesses),
                        (_("improvement plan"), a.improvement_plan)):
        if text:
            _labelled(document, label, text)
    ratings = "; ".join(f"{r.year}: {_('met') if r.met else _('not met')}"
                        for r in a.ratings.all())
    _labelled(document, _("self-ratings"), ratings or "—")
    evidence = "; ".join(
        f"[{e.code}] {e.title}"
        + (f" ({_('see')} {e.code})" if e.first_standard_id != a.standard_id else "")
        for e in a.evidence.all())
    _labelled(document, _("evidence"), evidence or _("none"))
