"""QA pages: graduate employment figures and the records behind each."""

from __future__ import annotations

from django.shortcuts import render

from quality import rules, selectors
from vetschool.accounts.decorators import allowed


def _int(value):
    return int(value) if value and str(value).isdigit() and len(str(value)) < 6 else None


@allowed(rules.can_read_quality)
def employment(request):
    return render(request, "quality/employment.html", {"figures": selectors.employment()})


@allowed(rules.can_read_quality)
def employment_records(request):
    params = {
        "occupation_code": (request.GET.get("occupation") or "")[:10] or None,
        "level": (request.GET.get("level") or "")[:20] or None,
        "year": _int(request.GET.get("year")),
        "checkpoint": _int(request.GET.get("checkpoint")),
    }
    return render(request, "quality/employment_records.html", {
        "records": selectors.tracer_records(**params)[:1000], "params": params})
