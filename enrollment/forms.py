"""Forms of the public admission pages, the learner's page and the admin's decision pages.

Forms only parse input; the services validate the rules and write. A service's
ValidationError is put back on the form's fields by `vetschool.forms.add_service_errors`.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from enrollment.consent import CONSENT_TEXT, CONSENT_VERSION, GUARDIAN_CONSENT_TEXT
from enrollment.models import (
    AdmissionRound,
    CorrectableField,
    DocumentKind,
    EducationLevel,
    EnrollmentStatus,
    GuardianRelation,
    StudyMode,
)
from enrollment.services.admission.common import CONSENT_REQUIRED
from enrollment.services.common import clean_full_name, clean_national_id
from enrollment.services.learners import REGISTRAR_STATUSES
from vetschool.reference.models import EthnicGroup, Gender, Occupation, ProvincialUnit
from vetschool.uploads import validate_document
from vetschool.validators import (
    check_date_of_birth,
    clean_personal_id_typed,
    clean_phone,
)

DOCUMENT_ACCEPT = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"
DOCUMENT_HELP = _("PDF, JPEG or PNG, up to 5 MB.")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class OccupationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.display_name} — {obj.get_level_display()} ({obj.code})"


def _document_field(label, *, required):
    return forms.FileField(
        label=label, required=required, help_text=DOCUMENT_HELP,
        widget=forms.ClearableFileInput(attrs={"accept": DOCUMENT_ACCEPT}),
    )


class ApplicationForm(forms.Form):
    """The online application. Field names are those of `application_submit`'s errors."""

    full_name = forms.CharField(label=_("Full name"), max_length=100,
                                help_text=_("As on your personal ID card, with diacritics."),
                                widget=forms.TextInput(attrs={"autocomplete": "name"}))
    one_word_name_confirmed = forms.BooleanField(
        label=_("My full name is a single word, as on my personal ID card."), required=False)
    date_of_birth = forms.DateField(label=_("Date of birth"), widget=DateInput())
    gender = forms.ChoiceField(label=_("Gender"), choices=Gender.choices)
    national_id = forms.CharField(
        label=_("Personal ID number"), max_length=20,
        help_text=_("The 12 digits of your citizen ID card (CCCD)."),
        # No pattern: "001 206 012 345" is accepted and cleaned (vetschool.validators).
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    ethnic_group = forms.ModelChoiceField(label=_("Ethnic group"),
                                          queryset=EthnicGroup.objects.all())
    province = forms.ModelChoiceField(label=_("Province of permanent residence"),
                                      queryset=ProvincialUnit.objects.order_by("name_vi"))
    address = forms.CharField(label=_("Address"), max_length=300,
                              widget=forms.TextInput(attrs={"autocomplete": "street-address"}))
    phone = forms.CharField(label=_("Phone"), max_length=20,
                            help_text=_("10 digits starting with 0, or +84 and 9 digits."),
                            widget=forms.TextInput(attrs={"autocomplete": "tel",
                                                          "inputmode": "tel"}))
    email = forms.EmailField(label=_("E-mail"), required=False,
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    education_level = forms.ChoiceField(label=_("Education"), choices=EducationLevel.choices)
    school_name = forms.CharField(label=_("School"), max_length=200,
                                  help_text=_("The last school you attended."))
    graduation_year = forms.IntegerField(label=_("Year of graduation"), required=False,
                                         min_value=1950, max_value=2100)
    wish_1 = OccupationChoiceField(label=_("First wish"), queryset=Occupation.objects.none())
    wish_2 = OccupationChoiceField(label=_("Second wish"), required=False,
                                   queryset=Occupation.objects.none())
    wish_3 = OccupationChoiceField(label=_("Third wish"), required=False,
                                   queryset=Occupation.objects.none())
    document_id_card = _document_field(DocumentKind.ID_CARD.label, required=True)
    document_certificate = _document_field(DocumentKind.CERTIFICATE.label, required=True)
    document_photo = _document_field(DocumentKind.PHOTO.label, required=False)
    document_other = _document_field(DocumentKind.OTHER.label, required=False)
    consent = forms.BooleanField(
        label=CONSENT_TEXT, required=False,  # the service refuses without it, with its message
        help_text=format_lazy(_("Consent version {version}."), version=CONSENT_VERSION),
    )
    guardian_name = forms.CharField(label=_("Legal representative's full name"), max_length=100,
                                    required=False)
    guardian_relation = forms.ChoiceField(
        label=_("Relation to the applicant"), required=False,
        choices=[("", "---------"), *GuardianRelation.choices])
    guardian_phone = forms.CharField(label=_("Legal representative's phone"), max_length=20,
                                     required=False,
                                     widget=forms.TextInput(attrs={"inputmode": "tel"}))
    guardian_consent = forms.BooleanField(label=GUARDIAN_CONSENT_TEXT, required=False)

    PERSONAL = ("full_name", "date_of_birth", "gender", "national_id", "ethnic_group")
    CONTACT = ("province", "address", "phone", "email")
    EDUCATION = ("education_level", "school_name", "graduation_year")
    WISHES = ("wish_1", "wish_2", "wish_3")
    DOCUMENTS = ("document_id_card", "document_certificate", "document_photo", "document_other")
    GUARDIAN = ("guardian_name", "guardian_relation", "guardian_phone", "guardian_consent")

    def __init__(self, *args, round: AdmissionRound, kept=None, **kwargs):
        """`kept`: document field → the upload a failed submission kept
        (vetschool.uploads.draft_upload_read); such a field may stay empty."""
        super().__init__(*args, **kwargs)
        self.round = round
        self.kept = kept or {}
        for name in self.kept:
            self.fields[name].required = False
        offered = Occupation.objects.filter(
            pk__in=round.quotas.values("occupation")
        ).order_by("level", "name_vi")
        for name in self.WISHES:
            self.fields[name].queryset = offered
        self.fields["ethnic_group"].initial = EthnicGroup.objects.filter(code="01").first()

    def clean_full_name(self):
        return clean_full_name(self.cleaned_data["full_name"])  # one letter is refused

    def clean_date_of_birth(self):
        born = self.cleaned_data["date_of_birth"]
        check_date_of_birth(born)  # its own message, before any age is computed
        return born

    def clean_national_id(self):
        return clean_personal_id_typed(self.cleaned_data["national_id"])

    def clean_phone(self):
        return clean_phone(self.cleaned_data["phone"])

    def clean(self):
        # The service decides; checking the ID here too shows its message together with
        # the other fields' errors instead of after them.
        data = super().clean()
        name = data.get("full_name")
        if name and len(name.split()) == 1 and not data.get("one_word_name_confirmed"):
            try:
                clean_full_name(name, one_word_confirmed=False)
            except ValidationError as error:
                self.add_error("full_name", error)
        number, born, gender = (data.get("national_id"), data.get("date_of_birth"),
                                data.get("gender"))
        if number and born and gender:
            try:
                clean_national_id(number, date_of_birth=born, gender=gender)
            except ValidationError as error:
                self.add_error("national_id", error)
        if not data.get("consent"):
            self.add_error("consent", ValidationError(CONSENT_REQUIRED, code="consent_required"))
        for name_, kept in self.kept.items():
            if not data.get(name_):
                data[name_] = SimpleUploadedFile(kept.filename, kept.content)
        _check_documents(self, self.DOCUMENTS)
        return data

    @property
    def asks_one_word_confirmation(self) -> bool:
        """The confirmation shows once a one-word name was refused for want of it (or it
        was ticked)."""
        if self.is_bound and self.data.get("one_word_name_confirmed"):
            return True
        return any(error.code == "one_word"
                   for error in self.errors.as_data().get("full_name", []))

    def group(self, names):
        return [self[name] for name in names]

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "round": self.round,
            **{name: data.get(name) for name in (*self.PERSONAL, *self.CONTACT,
                                                 *self.EDUCATION)},
            "email": data.get("email") or "",
            "one_word_name_confirmed": bool(data.get("one_word_name_confirmed")),
            "consent": bool(data.get("consent")),
            "guardian": {name.removeprefix("guardian_"): data.get(name)
                         for name in self.GUARDIAN},
            "wishes": [data.get(name) for name in self.WISHES],
            "documents": [
                (name.removeprefix("document_"), data.get(name)) for name in self.DOCUMENTS
            ],
        }


def _check_documents(form: forms.Form, names) -> None:
    """Type and size of each upload, from its content (vetschool.uploads)."""
    for name in names:
        upload = form.cleaned_data.get(name)
        if upload:
            try:
                validate_document(upload)
            except ValidationError as error:
                form.add_error(name, error)


class LookupForm(forms.Form):
    tracking_code = forms.CharField(label=_("Tracking code"), max_length=30,
                                    widget=forms.TextInput(attrs={"autocomplete": "off"}))
    date_of_birth = forms.DateField(label=_("Date of birth"), widget=DateInput())


class RespondForm(forms.Form):
    note = forms.CharField(label=_("Note for the admissions office"), required=False,
                           widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    document_id_card = _document_field(DocumentKind.ID_CARD.label, required=False)
    document_certificate = _document_field(DocumentKind.CERTIFICATE.label, required=False)
    document_photo = _document_field(DocumentKind.PHOTO.label, required=False)
    document_other = _document_field(DocumentKind.OTHER.label, required=False)

    DOCUMENTS = ("document_id_card", "document_certificate", "document_photo",
                 "document_other")

    def clean(self):
        data = super().clean()
        _check_documents(self, self.DOCUMENTS)
        return data

    def documents(self):
        return [(name.removeprefix("document_"), self.cleaned_data.get(name))
                for name in self.DOCUMENTS]


# --- Admin decision pages ---------------------------------------------------------------------


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}),
                             required=False, max_length=2000)


class RequiredReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}),
                             max_length=2000)


class ChangesForm(forms.Form):
    message = forms.CharField(
        label=_("What must the applicant change or add?"),
        widget=forms.Textarea(attrs={"rows": 4}), max_length=2000,
        help_text=_("The applicant reads this on the lookup page."),
    )


class DecisionFieldsMixin(forms.Form):
    decision_number = forms.CharField(label=_("Decision number"), max_length=50)
    decision_date = forms.DateField(label=_("Decision date"), widget=DateInput(),
                                    initial=timezone.localdate)


class EnrolForm(DecisionFieldsMixin):
    start_date = forms.DateField(
        label=_("Start date"), widget=DateInput(), required=False,
        help_text=_("Empty: the round's start of classes."),
    )
    expected_end_date = forms.DateField(
        label=_("Expected end date"), widget=DateInput(), required=False,
        help_text=_("Empty: 2 years after the start for intermediate, 3 for college."),
    )
    mode = forms.ChoiceField(label=_("Mode"), choices=StudyMode.choices,
                             initial=StudyMode.FULL_TIME)


class StatusChangeForm(DecisionFieldsMixin):
    status = forms.ChoiceField(
        label=_("New status"),
        choices=[(s.value, s.label) for s in EnrollmentStatus if s in REGISTRAR_STATUSES],
    )
    effective_date = forms.DateField(label=_("Effective from"), widget=DateInput(),
                                     initial=timezone.localdate)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}),
                             max_length=2000)


class StatusRevertForm(DecisionFieldsMixin):
    effective_date = forms.DateField(label=_("Effective from"), widget=DateInput(),
                                     initial=timezone.localdate)
    reason = forms.CharField(label=_("Reason of the correction"),
                             widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("File (XLSX or CSV)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
    dry_run = forms.BooleanField(label=_("Only check the file, import nothing"),
                                 required=False)


class CorrectionRequestForm(forms.Form):
    field = forms.ChoiceField(label=_("Which data is wrong?"),
                              choices=[("", "---------"), *CorrectableField.choices])
    proposed_value = forms.CharField(label=_("The correct value"), max_length=300)
    note = forms.CharField(label=_("Note (optional)"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("E.g. which document shows the correct value."))
