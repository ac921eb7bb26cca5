"""Forms of the staff admin pages and of the teacher portal.

Forms validate input and mirror the services' rules so errors appear next to the
field; the writes themselves are the services' (admin save_model / views call them).
"""

from __future__ import annotations

from django import forms
from django.contrib.admin.widgets import AdminDateWidget
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from staff import indicators
from staff.models import (
    AssessmentPeriod,
    CompetencyAssessment,
    CompetencyLevel,
    Courseware,
    Department,
    Participation,
    StaffMember,
)
from staff.services import people as people_services
from staff.services import trainings as training_services
from vetschool.forms import add_service_errors
from vetschool.imports import validate_import_file
from vetschool.uploads import validate_document

POSITION_FIELDS = people_services.POSITION_FIELDS


class StaticTextWidget(forms.Widget):
    """Shows a value as text (for a disabled field whose value is known)."""

    def __init__(self, text: str = "", attrs=None):
        super().__init__(attrs)
        self.text = text

    def render(self, name, value, attrs=None, renderer=None):
        return format_html("<span>{}</span>", self.text)


def _check_upload(upload):
    if isinstance(upload, UploadedFile):
        validate_document(upload)
    return upload


# --- Admin: staff records -----------------------------------------------------------------


class StaffMemberAdminForm(forms.ModelForm):
    effective_date = forms.DateField(
        label=_("Effective date of the change"), required=False, widget=AdminDateWidget,
        help_text=_("When department, roles or status change, the change is recorded in the "
                    "employment history from this date (not in the future)."),
    )
    decision_number = forms.CharField(label=_("Decision number"), max_length=50, required=False)
    record_note = forms.CharField(label=_("Note on the change"), max_length=300, required=False)

    class Meta:
        model = StaffMember
        fields = (
            "user", "staff_code", "full_name", "national_id", "date_of_birth", "gender",
            "email", "phone", "department", "is_teacher", "is_manager", "employment_status",
            "highest_qualification", "qualification_major", "pedagogical_certificate_type",
            "pedagogical_certificate_number", "pedagogical_certificate_date",
            "vocational_certificate_type", "vocational_certificate_occupation",
            "vocational_certificate_number", "vocational_certificate_date",
        )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._original_national_id = self.instance.national_id
        if "national_id" not in self.fields:  # a reader's (view-only) form
            return
        if self.instance.pk:
            # The full number never reaches the page: the field starts empty.
            self.initial["national_id"] = ""
            field = self.fields["national_id"]
            field.label = _("New personal ID number")
            field.help_text = _("Leave empty to keep the recorded number; type a number only "
                                "to correct it.")
        else:
            self.fields["effective_date"].required = True
            self.fields["effective_date"].label = _("Employed from")
            self.fields["effective_date"].help_text = _(
                "The date of the first employment record (usually the hiring date).")

    def position_changed(self) -> bool:
        return bool(set(self.changed_data) & set(POSITION_FIELDS))

    def clean(self):
        data = super().clean()
        if self.instance.pk and not data.get("national_id"):
            data["national_id"] = self._original_national_id
        if self.instance.pk and not self.position_changed():
            return data
        effective = data.get("effective_date")
        department = data.get("department")
        if effective is None:
            self.add_error("effective_date", people_services.EFFECTIVE_DATE_REQUIRED)
        elif department is not None:
            probe = StaffMember(date_of_birth=data.get("date_of_birth"))
            try:
                people_services.check_position(probe, effective_date=effective,
                                               department=department)
            except ValidationError as exc:
                add_service_errors(self, exc)
        return data


class StaffImportForm(forms.Form):
    file = forms.FileField(label=_("File (.xlsx or .csv)"), validators=[validate_import_file])

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".xlsx", ".csv")):
            raise ValidationError(_("Only .xlsx and .csv files can be imported."))
        if upload.size > 10 * 1024 * 1024:
            raise ValidationError(_("The file is larger than 10 MB."))
        return upload


# --- Admin: trainings -----------------------------------------------------------------------


class ParticipationInlineForm(forms.ModelForm):
    certificate = forms.FileField(
        label=_("Certificate file"), required=False, widget=forms.FileInput,
        help_text=_("PDF, JPEG or PNG up to 5 MB. Leave empty to keep the stored file."),
    )

    class Meta:
        model = Participation
        fields = ("staff", "result", "completed_on", "certificate", "certificate_number", "note")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A reader without the change permission gets a form with no model fields.
        if self.instance.pk and "staff" in self.fields:
            field = self.fields["staff"]
            field.disabled = True
            field.widget = StaticTextWidget(str(self.instance.staff))

    def clean_certificate(self):
        # None keeps the stored file (FileField.save_form_data treats None as "no change").
        upload = self.cleaned_data.get("certificate")
        return _check_upload(upload) if isinstance(upload, UploadedFile) else None

    def clean(self):
        data = super().clean()
        result = data.get("result")
        completed_on = data.get("completed_on")
        if result == indicators.COMPLETED:
            if completed_on is None:
                self.add_error("completed_on", training_services.COMPLETION_DATE_REQUIRED)
            elif completed_on > timezone.localdate():
                self.add_error("completed_on", training_services.COMPLETION_IN_FUTURE)
            stored = self.instance.pk and self.instance.certificate
            if not (data.get("certificate") or stored):
                self.add_error("certificate", training_services.EVIDENCE_REQUIRED)
        elif result and completed_on is not None:
            self.add_error("completed_on", training_services.NO_COMPLETION_DATE)
        return data


class RegisterDepartmentForm(forms.Form):
    department = forms.ModelChoiceField(label=_("Department"),
                                        queryset=Department.objects.filter(is_active=True))
    teachers_only = forms.BooleanField(
        label=_("Teachers only"), required=False,
        help_text=_("Otherwise teachers and managers of the department are registered."),
    )


# --- Admin: competency ------------------------------------------------------------------------


class AssessmentConfirmForm(forms.ModelForm):
    """The assessor's form; one level field per area is added by the admin (area_<id>)."""

    class Meta:
        model = CompetencyAssessment
        fields = ("assessor_note",)
        widgets = {"assessor_note": forms.Textarea(attrs={"rows": 3})}

    area_ids: tuple[int, ...] = ()

    def levels(self) -> dict:
        return {area_id: self.cleaned_data[f"area_{area_id}"] for area_id in self.area_ids}


def assessment_confirm_form(assessment) -> type[AssessmentConfirmForm]:
    framework = assessment.period.framework
    levels = CompetencyLevel.objects.filter(framework=framework).order_by("rank")
    ratings = {r.area_id: r for r in assessment.ratings.select_related("self_level", "level")}
    attrs = {"area_ids": ()}
    area_ids = []
    for area in framework.areas.order_by("number"):
        rating = ratings.get(area.pk)
        self_level = rating.self_level if rating else None
        attrs[f"area_{area.pk}"] = forms.ModelChoiceField(
            queryset=levels, label=f"{area.number}. {area.name}",
            initial=(rating.level or self_level) if rating else None,
            empty_label=_("— choose a level —"),
            help_text=(_("Self-assessed: %(level)s") % {"level": self_level}) if self_level
            else _("Not self-assessed"),
        )
        area_ids.append(area.pk)
    attrs["area_ids"] = tuple(area_ids)
    return type("AssessmentConfirmForm", (AssessmentConfirmForm,), attrs)


# --- Portal: self-assessment and courseware ----------------------------------------------------


class SelfAssessmentForm(forms.Form):
    """One level field per area of the period's framework (named area_<area id>)."""

    def __init__(self, *args, period: AssessmentPeriod, initial_levels=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.period = period
        levels = CompetencyLevel.objects.filter(framework=period.framework).order_by("rank")
        initial_levels = initial_levels or {}
        self.areas = list(period.framework.areas.order_by("number"))
        for area in self.areas:
            self.fields[f"area_{area.pk}"] = forms.ModelChoiceField(
                queryset=levels, label=f"{area.number}. {area.name}",
                help_text=area.description, widget=forms.RadioSelect,
                initial=initial_levels.get(area.pk), empty_label=None,
            )

    def levels(self) -> dict:
        return {area.pk: self.cleaned_data[f"area_{area.pk}"] for area in self.areas}


class CoursewareForm(forms.ModelForm):
    link = forms.URLField(label=_("link"), max_length=500, required=False, assume_scheme="https")
    file = forms.FileField(
        label=_("File"), required=False,
        help_text=_("A PDF, JPEG or PNG up to 5 MB. Give a link for videos, simulations and "
                    "larger material."),
    )

    class Meta:
        model = Courseware
        fields = ("title", "module_code", "module_name", "kind", "status", "link", "file",
                  "description")
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def clean_file(self):
        # None keeps the stored file (FileField.save_form_data treats None as "no change").
        upload = self.cleaned_data.get("file")
        return _check_upload(upload) if isinstance(upload, UploadedFile) else None
