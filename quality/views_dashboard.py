"""The Decision 2222 dashboard (/office/quality/dashboard/) and the records behind its own
tiles; the other tiles link to the staff, training and employment pages they come from."""

from __future__ import annotations

from datetime import date

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

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


@allowed(rules.can_read_quality)
def dashboard_records(request):
    if request.GET.get("indicator", "d2") != "d2":
        raise Http404
    as_of = _as_of(request)
    return render(request, "quality/dashboard_records.html", {
        "as_of": as_of, "rows": indicator_selectors.diploma_rows(as_of=as_of)[:2000]})
