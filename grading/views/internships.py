"""Internship pages: the enterprise mentor's one-time evaluation (no account), the learner's
placement and the postings of their occupation, the college supervisor's interns."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from grading import selectors as sel
from grading.services import internships as service
from vetschool import ratelimit
from vetschool.accounts.decorators import role_required
from vetschool.accounts.roles import LEARNER, TEACHER

WINDOW_SECONDS = 3600


class MentorForm(forms.Form):
    comment = forms.CharField(label=_("Comment on the intern's work"), required=False,
                              max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, columns=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.columns = list(columns)
        for column in self.columns:
            self.fields[column.code] = forms.CharField(
                label=column.label, max_length=5, required=True,
                help_text=_("A score from 0 to 10 with one decimal, e.g. 8,5."),
                widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))
        self.order_fields([column.code for column in self.columns] + ["comment"])

    def scores(self) -> dict[str, str]:
        return {column.code: self.cleaned_data[column.code] for column in self.columns}


def _rate_key(request) -> str:
    return f"grading:mentor-link:{ratelimit.client_address(request)}"


@never_cache
@require_http_methods(["GET", "POST"])
def mentor_evaluate(request, token: str):
    if ratelimit.count(_rate_key(request)) >= settings.GRADING_MENTOR_LINK_RATE:
        return render(request, "grading/mentor_unusable.html",
                      {"reason": gettext("Too many invalid links from this address; try again "
                                    "in an hour.")}, status=429)
    try:
        link = service.mentor_link_open(token)
    except service.LinkUnusable as exc:
        ratelimit.hit(_rate_key(request), WINDOW_SECONDS)
        return render(request, "grading/mentor_unusable.html", {"reason": str(exc)},
                      status=410)
    placement = link.placement
    form = MentorForm(request.POST or None, columns=service.mentor_columns(placement))
    if request.method == "POST" and form.is_valid():
        try:
            evaluation = service.mentor_evaluation_submit(
                token=token, scores=form.scores(), comment=form.cleaned_data["comment"])
        except service.LinkUnusable as exc:
            return render(request, "grading/mentor_unusable.html", {"reason": str(exc)},
                          status=410)
        except ValidationError as exc:
            _show_cell_errors(form, exc)
        else:
            return render(request, "grading/mentor_done.html", {"evaluation": evaluation})
    return render(request, "grading/mentor_form.html", {
        "form": form, "placement": placement, "link": link,
        "learner": placement.section_learner.enrollment.learner,
        "module": placement.section_learner.section.module,
    }, status=400 if form.errors else 200)


def _show_cell_errors(form: MentorForm, exc: ValidationError) -> None:
    by_key = getattr(exc, "error_dict", None) or {"": exc.error_list}
    for key, errors in by_key.items():
        code = key.split(":", 1)[1] if ":" in key else None
        field = code if code in form.fields else None
        for error in errors:
            message = error.message % error.params if error.params else error.message
            form.add_error(field, str(message))


@role_required(LEARNER)
def my_internship(request):
    """The learner's placements and the open postings of their occupation."""
    from enterprises.selectors import open_postings

    learner = sel.own_learner(request.user)
    placements = sel.learner_placements(learner) if learner else []
    occupation = sel.learner_occupation(learner) if learner else None
    return render(request, "grading/my_internship.html", {
        "placements": placements,
        "postings": open_postings(occupation=occupation)[:50] if occupation else [],
        "occupation": occupation,
    })


@role_required(TEACHER)
def my_interns(request):
    """The placements a teacher supervises for the college."""
    return render(request, "grading/my_interns.html",
                  {"placements": sel.supervised_placements(request.user)})
