"""Forms of the training pages and of the admin's custom pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from enrollment.models import Enrollment
from staff.models import StaffMember
from training.models import (
    HomeroomClass,
    MembershipReason,
    Program,
    ProgramStatus,
    SectionLearnerSource,
    Semester,
)
from vetschool.imports import validate_import_file
from vetschool.reference.models import Occupation


class SemesterChoiceForm(forms.Form):
    semester = forms.ModelChoiceField(
        label=_("Semester"), required=False,
        queryset=Semester.objects.select_related("school_year").order_by("-starts_on"),
    )


class ProgramIndicatorForm(forms.Form):
    years = forms.IntegerField(
        label=_("Updated within the last (years)"), min_value=1, max_value=20, required=False,
    )


class ProgramImportForm(forms.Form):
    occupation = forms.ModelChoiceField(
        label=_("Occupation"), queryset=Occupation.objects.filter(is_active=True),
    )
    effective_year = forms.IntegerField(label=_("In force from (year)"), min_value=2000,
                                        max_value=2100)
    file = forms.FileField(label=_("XLSX or CSV file"), validators=[validate_import_file],
                           help_text=_("One row per module; download the template."))
    dry_run = forms.BooleanField(label=_("Check only (import nothing)"), required=False,
                                 initial=True)


class NewVersionForm(forms.Form):
    effective_year = forms.IntegerField(label=_("In force from (year)"), min_value=2000,
                                        max_value=2100)


class ActivateForm(forms.Form):
    decision_number = forms.CharField(label=_("Decision number"), max_length=50)
    decision_date = forms.DateField(label=_("Decision date"),
                                    widget=forms.DateInput(attrs={"type": "date"}))


class OpenClassesForm(forms.Form):
    program = forms.ModelChoiceField(
        label=_("Program version"),
        queryset=Program.objects.filter(status=ProgramStatus.ACTIVE).select_related(
            "occupation"),
    )
    admission_year = forms.IntegerField(label=_("Admission year"), min_value=2000,
                                        max_value=2100)
    class_size = forms.IntegerField(label=_("Learners per class"), min_value=1, max_value=200)
    on = forms.DateField(label=_("Placed from"), widget=forms.DateInput(attrs={"type": "date"}))
    advisor = forms.ModelChoiceField(label=_("Advisor"), required=False,
                                     queryset=StaffMember.objects.all())


class MoveLearnerForm(forms.Form):
    enrollment = forms.ModelChoiceField(label=_("Enrolment"),
                                        queryset=Enrollment.objects.select_related("learner"),
                                        widget=forms.HiddenInput)
    to_class = forms.ModelChoiceField(label=_("New class"),
                                      queryset=HomeroomClass.objects.none())
    on = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.ChoiceField(label=_("Reason"), choices=[
        c for c in MembershipReason.choices if c[0] != MembershipReason.PLACEMENT])
    decision_number = forms.CharField(label=_("Decision number"), max_length=50,
                                      required=False)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
    change_program = forms.BooleanField(
        label=_("The learner now follows the program version of the new class"),
        required=False,
    )


class GenerateSectionsForm(forms.Form):
    include_electives = forms.BooleanField(label=_("Also open sections of elective modules"),
                                           required=False)


class AddLearnerForm(forms.Form):
    enrollment = forms.ModelChoiceField(
        label=_("Enrolment"), queryset=Enrollment.objects.select_related("learner",
                                                                         "occupation"))
    source = forms.ChoiceField(label=_("Why"), choices=[
        c for c in SectionLearnerSource.choices if c[0] != SectionLearnerSource.CLASS])
    reason = forms.CharField(label=_("Reason"), max_length=300)
