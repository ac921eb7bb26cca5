"""Gradebook pages: the teacher's grid, attendance register, summary before submission,
XLSX export/import and amendment requests; the training office's review (approve /
return), amendment decisions, improvement sittings and standing review.

Thin: every read goes through `grading.selectors` (which answers 404 for another
teacher's section) and `grading.sheet`; every write through the services.
"""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import get_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from grading import rules
from grading import selectors as sel
from grading.api import row_payload
from grading.forms import (
    AmendmentDecisionForm,
    AmendmentRequestForm,
    ApproveForm,
    GradebookImportForm,
    ReturnForm,
    SessionForm,
    VersionForm,
)
from grading.models import Amendment, AmendmentStatus, AttendanceSession, Gradebook, GradebookStatus
from grading.services import amendments as am
from grading.services import attendance as att
from grading.services import gradebook as gb
from grading.sheet import Column, load_sheet
from grading.xlsx import XLSX_TYPE, gradebook_import, gradebook_xlsx
from training.models import SectionLearner
from vetschool.accounts.decorators import allowed, role_required
from vetschool.accounts.roles import REGISTRAR, TEACHER
from vetschool.api import json_error
from vetschool.forms import add_service_errors
from vetschool.imports import UnreadableFile
from vetschool.paging import page_of, query_without_page
from vetschool.uploads import pending_upload_keep, pending_upload_take


def _errors(exc: ValidationError) -> list[str]:
    return list(exc.messages)


def _teacher_book(request, pk):
    section = sel.section_for_gradebook(user=request.user, section_id=pk, write=True)
    return section, gb.gradebook_for_section(section=section)


def _grid_context(sheet, *, editable: bool) -> dict:
    return {"sheet": sheet, "section": sheet.section, "gradebook": sheet.gradebook,
            "editable": editable, "columns": sheet.columns,
            "decimal_separator": get_format("DECIMAL_SEPARATOR")}


# =============================================================================
# Teacher
# =============================================================================


@role_required(TEACHER)
def teacher_gradebooks(request):
    sections = list(sel.teacher_gradebook_list(user=request.user))
    return render(request, "grading/teacher_list.html", {"sections": sections})


@role_required(TEACHER)
def grid(request, pk):
    section, book = _teacher_book(request, pk)
    sheet = load_sheet(book, section=section)
    context = _grid_context(sheet, editable=book.is_editable)
    context["log"] = book.log.select_related("by").order_by("-at")[:10]
    context["pending_amendments"] = book.amendments.filter(status=AmendmentStatus.REQUESTED)
    return render(request, "grading/grid.html", context)


@role_required(TEACHER)
@require_http_methods(["GET", "POST"])
def review(request, pk):
    """The summary a teacher confirms before submitting (and submits from)."""
    section, book = _teacher_book(request, pk)
    if request.method == "POST":
        form = VersionForm(request.POST)
        if form.is_valid():
            try:
                gb.gradebook_submit(gradebook=book, by=request.user,
                                    version=form.cleaned_data["version"])
            except gb.GradebookConflict as exc:
                messages.error(request, exc.message)
            except ValidationError as exc:
                for message in _errors(exc)[:1]:
                    messages.error(request, message)
            else:
                messages.success(request, _("The gradebook was submitted to the training "
                                            "office for approval."))
                return redirect("grading:grid", pk=section.pk)
        book.refresh_from_db()
    sheet = load_sheet(book, section=section)
    return render(request, "grading/review.html", {
        **_grid_context(sheet, editable=False), "summary": gb.summary(sheet),
        "form": VersionForm(initial={"version": book.version}),
    })


@role_required(TEACHER)
def export_xlsx(request, pk):
    section, book = _teacher_book(request, pk)
    content = gradebook_xlsx(load_sheet(book, section=section))
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="bang-diem-{section.pk}.xlsx"'
    return response


@role_required(TEACHER)
@require_http_methods(["GET", "POST"])
def import_xlsx(request, pk):
    """Upload → preview (nothing written) → confirm. Between the two steps the file is
    kept once in private storage (vetschool.uploads.pending_upload_keep), never in the
    session; the confirm form carries its signed token, so that the commit imports exactly
    what was previewed, and only for the teacher who uploaded it."""
    section, book = _teacher_book(request, pk)
    form = GradebookImportForm()
    result = pending = None
    if request.method == "POST":
        sheet = load_sheet(book, section=section)
        if "confirm" in request.POST:
            kept = pending_upload_take(user=request.user, token=request.POST["confirm"])
            if kept is None or kept.extra.get("gradebook") != book.pk:
                messages.error(request, _("The preview has expired or was already imported: "
                                          "upload the file again."))
                return redirect("grading:import", pk=section.pk)
            result = gradebook_import(sheet=sheet, content=kept.content,
                                      filename=kept.filename, by=request.user,
                                      base_version=kept.extra["version"], dry_run=False)
            if result.ok:
                messages.success(request, _("%(count)s cell(s) imported.") % {
                    "count": result.changed})
                return redirect("grading:grid", pk=section.pk)
        else:
            form = GradebookImportForm(request.POST, request.FILES)
            if form.is_valid():
                upload = form.cleaned_data["file"]
                content = upload.read()
                try:
                    result = gradebook_import(sheet=sheet, content=content,
                                              filename=upload.name, by=request.user,
                                              base_version=book.version, dry_run=True)
                except UnreadableFile as exc:
                    form.add_error("file", str(exc))
                else:
                    if result.ok:
                        pending = pending_upload_keep(
                            user=request.user, content=content, filename=upload.name,
                            gradebook=book.pk, version=book.version)
    return render(request, "grading/import.html", {
        "section": section, "gradebook": book, "form": form, "result": result,
        "pending": pending})


@role_required(TEACHER)
@require_http_methods(["GET", "POST"])
def attendance(request, pk):
    section, book = _teacher_book(request, pk)
    form = SessionForm()
    if request.method == "POST":
        if "delete" in request.POST:
            session = get_object_or_404(AttendanceSession, gradebook=book,
                                        pk=request.POST.get("delete"))
            try:
                att.attendance_session_delete(session=session, by=request.user)
                messages.success(request, _("The session was removed."))
            except ValidationError as exc:
                messages.error(request, _errors(exc)[0])
            return redirect("grading:attendance", pk=section.pk)
        form = SessionForm(request.POST)
        if form.is_valid():
            try:
                att.attendance_session_create(
                    gradebook=book, by=request.user, day=form.cleaned_data["day"],
                    kind=form.cleaned_data["kind"], hours=form.cleaned_data["hours"],
                    topic=form.cleaned_data["topic"])
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The session was added."))
                return redirect("grading:attendance", pk=section.pk)
    sheet = load_sheet(book, section=section)
    sessions = sheet.sessions
    marks = {(m.session_id, m.section_learner_id): m for s in sessions for m in s.marks.all()}
    rows = []
    for row in sheet.rows:
        cells = []
        for session in sessions:
            mark = marks.get((session.pk, row.id))
            presence = (att.Presence(mark.status, mark.absent_hours, mark.made_up)
                        if mark else att.PRESENT)
            cells.append((session, presence.text_for(session.hours)))
        rows.append((row, cells))
    editable = book.is_editable and book.sitting == 1
    return render(request, "grading/attendance.html", {
        "section": section, "gradebook": book, "sheet": sheet, "sessions": sessions,
        "rows": rows, "form": form, "editable": editable,
        "decimal_separator": get_format("DECIMAL_SEPARATOR"),
    })


@role_required(TEACHER)
@require_POST
def attendance_save(request, pk):
    """JSON endpoint of the attendance grid: {version, cells: [{learner, column, value}]}."""
    section, book = _teacher_book(request, pk)
    try:
        body = json.loads(request.body or b"{}")
        version = int(body["version"])
        cells = [gb.CellInput(c["learner"], c["column"], c.get("value", ""))
                 for c in body["cells"]]
    except (ValueError, KeyError, TypeError):
        return json_error(ValidationError(_("Invalid request."), code="invalid"))
    try:
        version, changes = att.attendance_marks_save(gradebook=book, by=request.user,
                                                     base_version=version, marks=cells)
    except (gb.GradebookConflict, ValidationError) as exc:
        return json_error(exc)
    sheet = load_sheet(book, section=section)
    changed = {c.learner for c in changes}
    return JsonResponse({
        "version": version, "saved": [c.as_json() for c in changes], "others": [],
        "learners": [row_payload(row, sheet) | {"attendance": _attendance_summary(row)}
                     for row in sheet.rows if row.id in changed],
    })


def _attendance_summary(row) -> dict:
    figures = row.attendance
    return {"theory_absent": str(figures.theory_absent),
            "practice_excused": str(figures.practice_excused),
            "practice_unexcused": str(figures.practice_unexcused)}


@role_required(TEACHER, REGISTRAR)
@require_http_methods(["GET", "POST"])
def amendment_new(request, pk):
    """Ask for a correction of an approved cell (teacher of the section)."""
    section = sel.section_for_gradebook(user=request.user, section_id=pk, write=True)
    book = gb.gradebook_for_section(section=section)
    try:
        column = Column.from_code(request.GET.get("column", ""))
        learner = SectionLearner.objects.select_related("enrollment__learner").get(
            section=section, pk=int(request.GET.get("learner", "")))
    except (KeyError, ValueError, SectionLearner.DoesNotExist) as exc:
        raise Http404 from exc
    row = load_sheet(book, section=section, final_only=True).row(learner.pk)
    form = AmendmentRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            am.amendment_request(gradebook=book, section_learner=learner, column=column.code,
                                 value=form.cleaned_data["value"],
                                 reason=form.cleaned_data["reason"],
                                 evidence=form.cleaned_data["evidence"], by=request.user)
        except ValidationError as exc:
            for message in _errors(exc):
                form.add_error(None, message)
        else:
            messages.success(request, _("Your request was sent to the training office."))
            return redirect("grading:grid", pk=section.pk)
    return render(request, "grading/amendment_form.html", {
        "section": section, "learner": learner, "column": column, "form": form,
        "current": row.value(column.code) if row else None,
    })


# =============================================================================
# Training office
# =============================================================================


@allowed(rules.is_training_office)
def office_gradebooks(request):
    status = request.GET.get("status", GradebookStatus.SUBMITTED)
    if status not in GradebookStatus.values and status != "all":
        status = GradebookStatus.SUBMITTED
    books = page_of(request, sel.office_gradebook_list(
        user=request.user, status=None if status == "all" else status))
    return render(request, "grading/office_list.html", {
        "books": books, "query": query_without_page(request),
        "status": status, "statuses": GradebookStatus.choices,
        "amendments": sel.amendment_list(user=request.user).count(),
    })


@allowed(rules.is_training_office)
@require_http_methods(["GET", "POST"])
def office_review(request, pk):
    book = get_object_or_404(Gradebook, pk=pk)
    section = sel.section_for_gradebook(user=request.user, section_id=book.section_id)
    approve_form, return_form = ApproveForm(), ReturnForm()
    if request.method == "POST":
        try:
            if "approve" in request.POST:
                approve_form = ApproveForm(request.POST)
                if approve_form.is_valid():
                    gb.gradebook_approve(gradebook=book, by=request.user,
                                         note=approve_form.cleaned_data["note"])
                    messages.success(request, _("Approved and locked. Results are updated."))
                    return redirect(reverse("grading:office") + "?status=submitted")
            elif "return" in request.POST:
                return_form = ReturnForm(request.POST)
                if return_form.is_valid():
                    gb.gradebook_return(gradebook=book, by=request.user,
                                        reason=return_form.cleaned_data["reason"])
                    messages.success(request, _("Returned to the teacher."))
                    return redirect(reverse("grading:office") + "?status=submitted")
        except ValidationError as exc:
            for message in _errors(exc)[:5]:
                messages.error(request, message)
        book.refresh_from_db()
    sheet = load_sheet(book, section=section)
    return render(request, "grading/office_review.html", {
        **_grid_context(sheet, editable=False), "summary": gb.summary(sheet),
        "approve_form": approve_form, "return_form": return_form,
        "log": book.log.select_related("by").order_by("-at"),
        "amendments": book.amendments.select_related(
            "section_learner__enrollment__learner", "requested_by", "decided_by"
        ).order_by("-requested_at"),
    })


@allowed(rules.is_training_office)
@require_http_methods(["GET", "POST"])
def office_amendments(request):
    if request.method == "POST":
        amendment = get_object_or_404(Amendment, pk=request.POST.get("amendment"))
        form = AmendmentDecisionForm(request.POST)
        if form.is_valid():
            try:
                if "approve" in request.POST:
                    am.amendment_approve(amendment=amendment, by=request.user,
                                         note=form.cleaned_data["note"])
                    messages.success(request, _("Amendment approved; results are updated."))
                else:
                    am.amendment_reject(amendment=amendment, by=request.user,
                                        note=form.cleaned_data["note"])
                    messages.success(request, _("Amendment rejected."))
            except ValidationError as exc:
                for message in _errors(exc):
                    messages.error(request, message)
        return redirect("grading:amendments")
    status = request.GET.get("status", AmendmentStatus.REQUESTED)
    items = page_of(request, sel.amendment_list(
        user=request.user, status=None if status == "all" else status))
    return render(request, "grading/office_amendments.html", {
        "items": items, "query": query_without_page(request), "status": status,
        "statuses": AmendmentStatus.choices,
        "form": AmendmentDecisionForm(),
    })
