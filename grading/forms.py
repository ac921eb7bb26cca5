"""Forms of the grading pages (teacher grid, office review, transcripts)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grading.models import AttendanceKind
from training.models import Semester
from vetschool.imports import validate_import_file


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("Why is it returned?"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}))


class ApproveForm(forms.Form):
    note = forms.CharField(label=_("Note (optional)"), max_length=2000, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))


class AmendmentRequestForm(forms.Form):
    value = forms.CharField(label=_("New value"), max_length=10, required=False,
                            help_text=_("0 to 10 with one decimal, V or KP; empty removes the "
                                        "value."))
    reason = forms.CharField(label=_("Reason"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}))
    evidence = forms.CharField(label=_("Evidence"), max_length=300, required=False,
                               help_text=_("E.g. the re-marking record or the decision number."))


class AmendmentDecisionForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=2000, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}),
                           help_text=_("Required to reject."))


class SessionForm(forms.Form):
    day = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(label=_("Kind"), choices=AttendanceKind.choices)
    hours = forms.DecimalField(label=_("Hours"), min_value=0.5, max_value=12, decimal_places=1,
                               initial=4)
    topic = forms.CharField(label=_("Topic"), max_length=200, required=False)


class GradebookImportForm(forms.Form):
    file = forms.FileField(label=_("XLSX file exported from this gradebook"),
                           validators=[validate_import_file])


class StandingReviewForm(forms.Form):
    decision_number = forms.CharField(label=_("Decision number"), max_length=50)
    decision_date = forms.DateField(label=_("Decision date"),
                                    widget=forms.DateInput(attrs={"type": "date"}),
                                    initial=timezone.localdate)
    note = forms.CharField(label=_("Note"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))


class WarningFilterForm(forms.Form):
    semester = forms.ModelChoiceField(
        label=_("Semester"), required=False,
        queryset=Semester.objects.select_related("school_year").filter(number__lt=3)
        .order_by("-starts_on"))
