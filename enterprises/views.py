"""Public pages: an enterprise submits a job posting (no account), anyone reads the open
postings. Learners see the postings of their own occupation in the portal (grading)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from enterprises import selectors, services
from enterprises.forms import PublicPostingForm
from vetschool import ratelimit
from vetschool.reference.models import Occupation, ProvincialUnit

POSTING_WINDOW_SECONDS = 3600


def _rate_key(request) -> str:
    return f"enterprises:posting:{ratelimit.client_address(request)}"


@require_http_methods(["GET", "POST"])
def posting_submit(request):
    form = PublicPostingForm(request.POST or None)
    status = 200
    if request.method == "POST":
        # Each submission takes its number atomically before it is looked at
        # (vetschool.ratelimit): of many concurrent ones, at most the limit get through.
        tried = ratelimit.hit(_rate_key(request), POSTING_WINDOW_SECONDS)
        if tried > settings.ENTERPRISE_POSTING_RATE_PER_ADDRESS:
            form.is_valid()
            form.add_error(None, _("Too many postings were sent from this address; try again "
                                   "in an hour or call the training office."))
            status = 429
        elif form.is_valid():
            if form.cleaned_data.get("website"):  # the honeypot: a robot, nothing stored
                return redirect("enterprises:posting-submitted")
            try:
                services.posting_submit_public(posting=form.save(commit=False))
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                return redirect("enterprises:posting-submitted")
    return render(request, "enterprises/posting_form.html", {"form": form}, status=status)


def posting_submitted(request):
    return render(request, "enterprises/posting_submitted.html")


def postings(request):
    """Open postings, filterable by occupation and province."""
    occupation = _valid_id(request.GET.get("occupation"), Occupation)
    province = _valid_id(request.GET.get("province"), ProvincialUnit)
    rows = selectors.open_postings(occupation=occupation)
    if province is not None:
        rows = rows.filter(province=province)
    return render(request, "enterprises/postings.html", {
        "postings": rows[:200],
        "occupations": Occupation.objects.filter(postings__isnull=False).distinct()
        .order_by("name_vi"),
        "provinces": ProvincialUnit.objects.order_by("name_vi"),
        "occupation": occupation, "province": province,
    })


def _valid_id(value, model):
    if not value or not str(value).isdigit() or len(str(value)) > 18:
        return None
    return model.objects.filter(pk=int(value)).first()
