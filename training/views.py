"""Portal pages of training: the teacher's sections, the learner's class and sections, the
program indicator page and the program PDF."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from training import exports, indicators, rules, selectors
from training.forms import ProgramIndicatorForm, SemesterChoiceForm
from training.pdf import program_pdf as render_program_pdf
from vetschool import workqueue
from vetschool.accounts.decorators import allowed, role_required
from vetschool.accounts.roles import TEACHER
from vetschool.pdf import pdf_response

# =============================================================================
# Teacher portal
# =============================================================================


@role_required(TEACHER)
def teacher_home(request):
    """My sections this semester (or the semester chosen), with their learner counts and
    what is due in each: the teacher's work queue."""
    form = SemesterChoiceForm(request.GET or None)
    semester = form.cleaned_data["semester"] if form.is_valid() else None
    semester = semester or selectors.semester_current()
    staff = selectors.staff_member_of(request.user)
    sections = (list(selectors.teacher_section_list(user=request.user, semester=semester))
                if staff and semester else [])
    # What is due in each section (attendance, scores, a returned gradebook), as grading
    # registers it (vetschool.workqueue): training does not import grading.
    dues = workqueue.section_dues(request.user, sections)
    for section in sections:
        section.dues = dues.get(section.pk, [])
    if semester and not form.is_bound:
        form = SemesterChoiceForm(initial={"semester": semester})
    return render(request, "training/teacher_home.html", {
        "form": form, "semester": semester, "staff": staff, "sections": sections,
        "learner_total": sum(s.learner_count for s in sections),
    })


@role_required(TEACHER)
def teacher_section(request, pk: int):
    section = selectors.teacher_section_get(user=request.user, pk=pk)
    rows = list(selectors.section_learner_rows(section=section))
    return render(request, "training/teacher_section.html", {
        "section": section, "rows": rows,
    })


@role_required(TEACHER)
def teacher_section_xlsx(request, pk: int):
    section = selectors.teacher_section_get(user=request.user, pk=pk)
    content = exports.section_learners_xlsx(
        section, selectors.section_learner_rows(section=section))
    response = HttpResponse(content, content_type=exports.XLSX_TYPE)
    response["Content-Disposition"] = (
        f'attachment; filename="{exports.safe_filename(section.code)}.xlsx"')
    return response


# =============================================================================
# Program indicator (Decision 2222, criterion b) and program PDF
# =============================================================================


@allowed(rules.can_view_program_indicators)
def program_indicators(request):
    form = ProgramIndicatorForm(request.GET or None)
    years = (form.cleaned_data.get("years") if form.is_valid() else None) \
        or settings.TRAINING_PROGRAM_UPDATE_YEARS
    today = timezone.localdate()
    facts = selectors.program_indicator_facts()
    digital = indicators.digital_outcomes(facts)
    it = indicators.it_programs_updated(
        facts, reporting_year=today.year, years=years,
        prefixes=settings.TRAINING_IT_OCCUPATION_PREFIXES,
    )
    return render(request, "training/program_indicators.html", {
        "form": form, "today": today, "digital": digital, "it": it, "years": years,
        "prefixes": settings.TRAINING_IT_OCCUPATION_PREFIXES,
    })


@allowed(rules.can_read_programs)
def program_pdf(request, pk: int):
    program = selectors.program_detail(user=request.user, pk=pk)
    name = exports.safe_filename(
        _("program-%(code)s-%(version)s") % {"code": program.occupation.code,
                                             "version": program.version_label})
    return pdf_response(render_program_pdf(program), f"{name}.pdf")
