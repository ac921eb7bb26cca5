from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enterprises.models import Agreement, JobPosting, normalize_tax_code
from vetschool.imports import validate_import_file
from vetschool.uploads import validate_document


class EnterpriseImportForm(forms.Form):
    file = forms.FileField(label=_("File (.xlsx or .csv)"), validators=[validate_import_file],
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}))


class AgreementAdminForm(forms.ModelForm):
    """The admin's agreement form: the dates, the scope and the signed copy are checked as
    `agreement_save` checks them (which the admin saves through)."""

    class Meta:
        model = Agreement
        fields = ["enterprise", "number", "signed_on", "starts_on", "ends_on", "internships",
                  "co_teaching", "equipment", "recruitment", "council", "summary", "file"]

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and hasattr(upload, "content_type"):  # a new upload, not the stored file
            validate_document(upload)
        return upload

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The agreement cannot end before it starts."))
        scopes = ("internships", "co_teaching", "equipment", "recruitment", "council")
        if not any(data.get(name) for name in scopes):
            self.add_error("internships", _("Tick at least one thing the agreement covers."))
        return data


class PublicPostingForm(forms.ModelForm):
    """The public form an enterprise submits a job posting with (no account)."""

    website = forms.CharField(required=False, widget=forms.HiddenInput,
                              label="")  # a honeypot: people leave it empty

    class Meta:
        model = JobPosting
        fields = ["enterprise_name", "tax_code", "title", "occupation", "province",
                  "salary_band", "openings", "description", "deadline", "contact_name",
                  "contact_phone", "contact_email"]
        widgets = {"deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        labels = {"enterprise_name": _("Enterprise name"), "tax_code": _("Tax code")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise_name"].required = True
        self.fields["tax_code"].required = True
        self.fields["occupation"].queryset = self.fields["occupation"].queryset.order_by(
            "name_vi")
        self.fields["province"].queryset = self.fields["province"].queryset.order_by("name_vi")

    def clean_tax_code(self):
        from enterprises.models import TAX_CODE_VALIDATOR

        code = normalize_tax_code(self.cleaned_data.get("tax_code", ""))
        TAX_CODE_VALIDATOR(code)
        return code

    def clean_deadline(self):
        deadline = self.cleaned_data.get("deadline")
        if deadline and deadline < timezone.localdate():
            raise ValidationError(_("The application deadline has already passed."))
        return deadline

    def clean(self):
        data = super().clean()
        if not data.get("contact_phone") and not data.get("contact_email"):
            self.add_error("contact_phone", _("Give a phone number or an e-mail address."))
        return data


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Reason for rejection"), max_length=300)
