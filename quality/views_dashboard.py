"""The Decision 2222 dashboard (/office/quality/dashboard/) and the records behind its own
tiles; the other tiles link to the staff, training and employment pages they come from."""

from __future__ import annotations

from datetime import date

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from quality import indicator_selectors, indicators, rules
from vetschool.accounts.decorators import allowed


def _as_of(request) -> date:
    try:
        return date.fromisoformat((request.GET.get("as_of") or "")[:10])
    except ValueError:
        return timezone.localdate()


@allowed(rules.can_read_quality)
def dashboard(request):
    as_of = _as_of(request)
    return render(request, "quality/dashboard.html", {
        "as_of": as_of, "tiles": indicators.dashboard(as_of)})


LIMIT = 2000  # rows shown; the ones not acknowledged come first


@allowed(rules.can_read_quality)
def dashboard_records(request):
    indicator = request.GET.get("indicator", "d2")
    as_of = _as_of(request)
    if indicator == "d2":
        return render(request, "quality/dashboard_records.html", {
            "as_of": as_of, "rows": indicator_selectors.diploma_rows(as_of=as_of)[:LIMIT]})
    tables = {"d2-learners": _learner_table, "d2-results": _result_table,
              "d5": _report_table, "d6": _online_table, "d1": _service_table}
    if indicator not in tables:
        raise Http404
    return render(request, "quality/dashboard_rows.html",
                  {"as_of": as_of, "indicator": indicator, **tables[indicator](as_of)})


def _yes_no(value: bool) -> str:
    return str(_("Yes") if value else _("No"))


def _learner_table(as_of: date) -> dict:
    rows = indicator_selectors.enrolment_rows()[:LIMIT]
    return {"title": _("Learners studying and the national database"),
            "headers": [_("Learner code"), _("Full name"), _("Occupation"),
                        _("Admission year"), _("Acknowledged")],
            "rows": [(e.learner.code, e.learner.full_name,
                      f"{e.occupation.code} {e.occupation.name_vi}", e.admission_year,
                      _yes_no(e.acknowledged)) for e in rows]}


def _result_table(as_of: date) -> dict:
    rows = indicator_selectors.result_rows(as_of=as_of)[:LIMIT]
    return {"title": _("Module results due and the national database"),
            "headers": [_("Section"), _("Module"), _("Learner code"), _("Full name"),
                        _("Semester ended"), _("Recorded and acknowledged")],
            "rows": [(r.section.code, f"{r.section.module.code} {r.section.module.name_vi}",
                      r.enrollment.learner.code, r.enrollment.learner.full_name,
                      r.section.semester.ends_on.strftime("%d/%m/%Y"),
                      _yes_no(r.acknowledged)) for r in rows]}


def _report_table(as_of: date) -> dict:
    produced = indicator_selectors.reports_produced(as_of=as_of)
    rows = []
    for start, end in indicator_selectors.reports_due(as_of=as_of):
        report = produced.get((start, end))
        rows.append((f"{start:%d/%m/%Y} – {end:%d/%m/%Y}",
                     _yes_no(report is not None),
                     report.created_at.strftime("%d/%m/%Y") if report else "—"))
    return {"title": _("Periodic reports due and produced in the system"),
            "headers": [_("Period"), _("Produced in the system"), _("Produced on")],
            "rows": rows, "link": reverse("quality:reports")}


def _online_table(as_of: date) -> dict:
    rows = indicator_selectors.sections_online(as_of=as_of)[:LIMIT]
    return {"title": _("Sections taught online or blended this school year"),
            "headers": [_("Section"), _("Module"), _("Occupation"), _("Delivery form")],
            "rows": [(s.code, f"{s.module.code} {s.module.name_vi}",
                      f"{s.module.program.occupation.code} "
                      f"{s.module.program.occupation.name_vi}",
                      s.get_delivery_form_display()) for s in rows]}


def _service_table(as_of: date) -> dict:
    return {"title": _("Public services of the college"),
            "headers": [_("Service"), _("Address"), _("Fully online")],
            "rows": [(name, url, _yes_no(online))
                     for name, url, online in indicators.public_services()]}
