"""The record of processing purposes (Personal Data Protection Law 91/2025/QH15; Decree
356/2025): for each purpose, the categories of personal data, the legal basis and how long
the data are kept. Plain data, shown on the public page `/privacy/` and checked by tests;
change it here when the system starts processing personal data for a new purpose.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class ProcessingPurpose:
    key: str
    purpose: str
    data_subjects: str
    categories: str
    legal_basis: str
    retention: str


def processing_purposes() -> list[ProcessingPurpose]:
    """The record, with the retention periods of the settings in force."""
    return [
        ProcessingPurpose(
            "admission", _("Reviewing online applications and deciding on admission"),
            _("Applicants (and the legal representative of an applicant under 16)"),
            _("Name, date of birth, gender, personal ID number, ethnic group, address, "
              "phone, e-mail, education, uploaded documents, wishes"),
            _("Consent of the applicant (and of the legal representative of a child), "
              "recorded with its text and version"),
            _("Applicants not admitted: erased or de-identified %(days)s days after the "
              "round closes; admitted applicants: kept with the learner's record")
            % {"days": settings.ENROLLMENT_RETENTION_DAYS},
        ),
        ProcessingPurpose(
            "learner_record", _("Keeping the learner's record, enrolment and status history"),
            _("Learners"),
            _("Identity, contact, enrolments, status decisions, conduct"),
            _("Legal obligations of a vocational education institution (enrolment and "
              "training regulations)"),
            _("As long as the college's records-retention schedule requires"),
        ),
        ProcessingPurpose(
            "results", _("Grading, results, transcripts and diplomas"),
            _("Learners, graduates"),
            _("Scores, attendance, results, GPA, graduation decisions, diploma register"),
            _("Legal obligations (training regulation, diploma regulations)"),
            _("Permanently: results and the diploma register are legal records"),
        ),
        ProcessingPurpose(
            "national_sync", _("Reporting to the national vocational-education database"),
            _("Learners, staff"),
            _("Identity, enrolments, results, diplomas, staff records"),
            _("Legal obligation (Decision 2222/QD-TTg and the ministry's reporting rules)"),
            _("Sent records are kept by the ministry; the outbox is kept for audit"),
        ),
        ProcessingPurpose(
            "staff", _("Staff records, qualifications and digital competency"),
            _("Staff members"),
            _("Identity, contact, employment history, qualifications, certificates"),
            _("Employment contract and legal obligations of the employer"),
            _("As long as the college's records-retention schedule requires"),
        ),
        ProcessingPurpose(
            "graduate_tracking", _("Graduate tracking and surveys"),
            _("Graduates, survey respondents"),
            _("Employment status, employer, answers (anonymous surveys are unlinkable)"),
            _("Consent of the respondent; legal obligation to report the employment rate"),
            _("As long as the reporting period requires"),
        ),
        ProcessingPurpose(
            "security", _("Security: access logs and personal data reads"),
            _("Users of the system"),
            _("Login, time, the record read and the reason given"),
            _("Legal obligation to protect personal data"),
            _("As long as the college's security policy requires"),
        ),
    ]


def processing_purposes_page(request):
    return render(request, "privacy/processing_purposes.html",
                  {"purposes": processing_purposes()})


# --- Revealing a masked personal ID --------------------------------------------------------
# A full personal ID number is shown only on its own page, after a POST that gives the
# reason; the read is logged (who, when, whose, why: accounts.PersonalDataAccess). Never a
# GET: a link can be prefetched, bookmarked or followed by accident, and its URL is logged.

REVEAL_SESSION_KEY = "privacy.revealed"
REVEAL_SESSION_SECONDS = 10 * 60


class RevealForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you need the full number?"), min_length=5, max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Recorded with your name and the time in the personal data access log."),
    )


def reveal_page(request, *, subject, value: str, masked: str, title: str, back_url: str,
                field: str = "national_id", edit_url: str = ""):
    """GET: the masked number and the reason form. POST with a reason: the full number,
    logged. `edit_url`, when given, is where the full number may be corrected for a
    while (`revealed_recently`)."""
    from vetschool.accounts.services import personal_data_access_log

    form = RevealForm(request.POST or None)
    shown = None
    if request.method == "POST" and form.is_valid():
        personal_data_access_log(user=request.user, subject=subject, field=field,
                                 path=request.path, reason=form.cleaned_data["reason"])
        shown = value
        _remember_reveal(request, subject)
    from django.contrib import admin

    response = render(request, "admin/privacy/reveal.html", {
        **admin.site.each_context(request), "title": title, "form": form, "masked": masked,
        "shown": shown, "back_url": back_url, "edit_url": edit_url if shown else "",
    }, status=400 if form.errors else 200)
    response["Cache-Control"] = "private, no-store"
    return response


def _reveal_key(subject) -> str:
    return f"{subject._meta.label_lower}:{subject.pk}"


def _remember_reveal(request, subject) -> None:
    revealed = dict(request.session.get(REVEAL_SESSION_KEY, {}))
    revealed[_reveal_key(subject)] = time.time()
    request.session[REVEAL_SESSION_KEY] = revealed


def revealed_recently(request, subject) -> bool:
    """The user revealed (and so logged a reason for) this record's number in the last
    REVEAL_SESSION_SECONDS: its edit form may carry the full number."""
    at = request.session.get(REVEAL_SESSION_KEY, {}).get(_reveal_key(subject))
    return bool(at) and time.time() - at < REVEAL_SESSION_SECONDS


def reveal_reason_from(data) -> str:
    """The reason of an API reveal (`{"reason": "..."}` in the POST body), or a DRF
    ValidationError (400) naming the field."""
    from rest_framework import serializers

    form = RevealForm(data={"reason": (data or {}).get("reason", "")})
    if not form.is_valid():
        raise serializers.ValidationError({"reason": form.errors["reason"]})
    return form.cleaned_data["reason"]
