"""Portal pages: the teacher's own records (/teacher/profile/...) and the 2222 indicators
page for the HR office, QA and the registrar (/staff/indicators/)."""

from __future__ import annotations

from datetime import date

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from staff import charts, exports, indicators, rules, selectors, services
from staff.forms import CoursewareForm, SelfAssessmentForm
from staff.models import Courseware, Department, roles_label
from vetschool.accounts.decorators import allowed, login_required, role_required
from vetschool.accounts.roles import TEACHER
from vetschool.forms import add_service_errors
from vetschool.uploads import file_download

INDICATOR_LABELS = {
    indicators.A1: gettext_lazy("Teachers and managers trained in digital skills"),
    indicators.A2: gettext_lazy("Teachers trained to develop digital courseware"),
}


def _own_staff_or_page(request):
    staff = rules.own_staff_member(request.user)
    if staff is None:
        return None, render(request, "staff/not_linked.html", status=200)
    return staff, None


# --- Teacher self-service ------------------------------------------------------------------


@role_required(TEACHER)
def profile(request):
    staff, page = _own_staff_or_page(request)
    if page:
        return page
    history = selectors.assessment_history(staff=staff)
    return render(request, "staff/profile.html", {
        "staff": staff,
        "records": selectors.employment_history(staff=staff),
        "current": selectors.current_competency(history),
        "history": history,
        "period": services.current_period(),
    })


@role_required(TEACHER)
def my_trainings(request):
    staff, page = _own_staff_or_page(request)
    if page:
        return page
    participations = list(selectors.participation_list(user=request.user,
                                                       filters={"staff": staff.pk}))
    today = timezone.localdate()
    facts = [indicators.Completion(p.course.kind, p.result, p.completed_on, p.has_evidence)
             for p in participations]
    status = [
        (INDICATOR_LABELS[indicator.code],
         indicators.first_completion(facts, indicator.kinds, today))
        for indicator in indicators.INDICATORS
    ]
    return render(request, "staff/my_trainings.html", {
        "staff": staff, "participations": participations, "status": status,
    })


@role_required(TEACHER)
def my_courseware(request):
    staff, page = _own_staff_or_page(request)
    if page:
        return page
    items = selectors.courseware_list(user=request.user, filters={"author": staff.pk})
    return render(request, "staff/my_courseware.html", {"staff": staff, "items": items})


@role_required(TEACHER)
def courseware_edit(request, pk: int | None = None):
    staff, page = _own_staff_or_page(request)
    if page:
        return page
    item = selectors.courseware_get(user=request.user, pk=pk) if pk else Courseware(author=staff)
    if item.author_id != staff.pk:
        raise Http404  # a reader role that also teaches edits only their own items here
    form = CoursewareForm(request.POST or None, request.FILES or None, instance=item)
    if request.method == "POST" and form.is_valid():
        try:
            services.courseware_save(item=form.instance, by=request.user, acting_staff=staff,
                                     file=form.cleaned_data.get("file"))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("staff:my-courseware")
    return render(request, "staff/courseware_form.html", {"staff": staff, "form": form,
                                                          "item": item})


@role_required(TEACHER)
def self_assessment(request):
    staff, page = _own_staff_or_page(request)
    if page:
        return page
    period = services.current_period()
    history = selectors.assessment_history(staff=staff)
    this_period = next((v for v in history if period and v.assessment.period_id == period.pk),
                       None)
    form = None
    if period and not (this_period and this_period.confirmed):
        initial = {row.area.pk: row.self_level for row in this_period.rows} if this_period else {}
        form = SelfAssessmentForm(request.POST or None, period=period, initial_levels=initial)
        if request.method == "POST" and form.is_valid():
            try:
                services.self_assessment_submit(staff=staff, period=period,
                                                levels=form.levels(), by=request.user)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Your self-assessment has been saved. The assessor "
                                            "will confirm it."))
                return redirect("staff:self-assessment")
    return render(request, "staff/self_assessment.html", {
        "staff": staff, "period": period, "form": form, "this_period": this_period,
        "history": history,
        "levels": period.framework.levels.order_by("rank") if period else [],
    })


# --- Protected documents ----------------------------------------------------------------------


def _file_response(request, field_file, *, download_name: str):
    # An attachment with nosniff: an uploaded file is never rendered by the browser.
    return file_download(field_file, filename=download_name)


@login_required
def certificate(request, pk: int):
    participation = selectors.participation_get(user=request.user, pk=pk)
    suffix = participation.certificate.name.rsplit(".", 1)[-1] if participation.certificate \
        else "pdf"
    name = f"certificate-{participation.staff.staff_code}-{participation.course.code}.{suffix}"
    return _file_response(request, participation.certificate, download_name=name)


@login_required
def courseware_file(request, pk: int):
    item = selectors.courseware_get(user=request.user, pk=pk)
    suffix = item.file.name.rsplit(".", 1)[-1] if item.file else "pdf"
    return _file_response(request, item.file, download_name=f"courseware-{item.pk}.{suffix}")


# --- Indicators -----------------------------------------------------------------------------


class IndicatorFilterForm(forms.Form):
    as_of = forms.DateField(label=gettext_lazy("As of"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))
    department = forms.ChoiceField(label=gettext_lazy("Department"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = [("", _("All departments"))] + [
            (d.code, d.name) for d in Department.objects.order_by("code")]


def indicator_report(*, as_of: date, department: str | None):
    return indicators.compute(selectors.indicator_facts(as_of=as_of), as_of=as_of,
                              department=department)


@allowed(rules.can_view_indicators)
def indicators_page(request):
    form = IndicatorFilterForm(request.GET or None)
    today = timezone.localdate()
    as_of, department = today, None
    if form.is_valid():
        as_of = form.cleaned_data["as_of"] or today
        department = form.cleaned_data["department"] or None
    report = indicator_report(as_of=as_of, department=department)
    names = selectors.department_names()
    labels = {code: str(label) for code, label in INDICATOR_LABELS.items()}
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(
            exports.indicators_xlsx(report, labels=labels, department_names=names),
            content_type=exports.XLSX_TYPE)
        suffix = f"-{department}" if department else ""
        response["Content-Disposition"] = (
            f'attachment; filename="staff-indicators-{as_of.isoformat()}{suffix}.xlsx"')
        return response
    return render(request, "staff/indicators.html", {
        "form": form,
        "report": report,
        "as_of": as_of,
        "department": department,
        "department_names": names,
        "results": [(r, labels[r.indicator.code], _department_rows(r, names),
                     _missing_rows(r, names)) for r in report.results],
        "overall_label": names.get(department, department) if department
        else _("Whole college"),
        "chart": _chart(report, names, labels),
        "targets": indicators.TARGETS,
        "year_ends": [date(year, 12, 31) for year in range(today.year - 1, today.year - 5, -1)],
        "query": request.GET.urlencode(),
    })


def _department_rows(result, names):
    rows = [(names.get(code, code), share) for code, share in result.by_department.items()]
    return sorted(rows, key=lambda row: row[0])


def _missing_rows(result, names):
    return [{"code": m.code, "name": m.name, "department": names.get(m.department, m.department),
             "roles": roles_label(m.is_teacher, m.is_manager)} for m in result.missing]


def _text(share: indicators.Share) -> str:
    if share.percent is None:
        return _("nobody counted")
    return f"{number_format(share.percent, 1)}% ({share.completed}/{share.counted})"


def _chart(report, names, labels) -> charts.Chart:
    results = report.results
    departments = sorted({code for r in results for code in r.by_department},
                         key=lambda code: names.get(code, code))
    rows = [(_("Whole college") if not report.department else names.get(report.department,
                                                                           report.department),
             [(r.overall.percent, _text(r.overall)) for r in results])]
    if not report.department:
        for code in departments:
            values = []
            for r in results:
                share = r.by_department.get(code)
                values.append((share.percent, _text(share)) if share else
                              (None, _("nobody counted")))
            rows.append((names.get(code, code), values))
    targets = [(t.share * 100, f"{t.year}: {number_format(t.share * 100, 0)}%")
               for t in indicators.TARGETS]
    return charts.bar_chart(rows, targets)
