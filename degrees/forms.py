from django import forms
from django.utils.translation import gettext_lazy as _

from degrees.models import ApplicationTiming, CopyRequest

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class VerifyForm(forms.Form):
    serial_number = forms.CharField(label=_("Serial number"), max_length=30,
                                    help_text=_("As printed on the diploma, e.g. "
                                                "CDKT-2026-000001."))
    date_of_birth = forms.DateField(label=_("Holder's date of birth"), widget=DATE_INPUT)


class CopyRequestForm(forms.ModelForm):
    serial_number = forms.CharField(label=_("Serial number of the diploma"), max_length=30)
    date_of_birth = forms.DateField(label=_("Date of birth"), widget=DATE_INPUT)

    class Meta:
        model = CopyRequest
        fields = ["kind", "serial_number", "date_of_birth", "full_name", "email", "phone",
                  "copies", "note"]


class GraduationApplicationForm(forms.Form):
    """The learner's application; `enrollments` are theirs only, so another learner's
    enrolment is not a valid choice."""

    enrollment = forms.ModelChoiceField(label=_("Enrolment"), queryset=None)
    timing = forms.ChoiceField(label=_("I finish"), choices=ApplicationTiming.choices)
    statement = forms.CharField(label=_("Why"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, enrollments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enrollment"].queryset = enrollments


# --- Registrar's admin forms ---------------------------------------------------------------


class ReviewRunForm(forms.Form):
    homeroom_class = forms.ModelChoiceField(label=_("Class"), queryset=None)
    review_date = forms.DateField(label=_("Review date"), widget=DATE_INPUT)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(
        attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        from training.models import HomeroomClass

        super().__init__(*args, **kwargs)
        self.fields["homeroom_class"].queryset = HomeroomClass.objects.order_by(
            "-admission_year", "code")


class AdjustForm(forms.Form):
    eligible = forms.BooleanField(label=_("Recognised as graduated"), required=False)
    classification = forms.ChoiceField(label=_("Classification"), required=False,
                                       choices=[("", "—")])
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        from degrees.models import Classification

        super().__init__(*args, **kwargs)
        self.fields["classification"].choices = [("", "—"), *Classification.choices]


class DecisionForm(forms.Form):
    number = forms.CharField(label=_("Decision number"), max_length=50)
    date = forms.DateField(label=_("Decision date"), widget=DATE_INPUT)
    signer_name = forms.CharField(label=_("Signed by"), max_length=150)
    signer_title = forms.CharField(label=_("Signer's title"), max_length=150, required=False)


class PrintConfirmForm(forms.Form):
    """No fields: the POST (with its CSRF token) is the confirmation."""


class IssueForm(forms.Form):
    issue_date = forms.DateField(label=_("Issue date"), widget=DATE_INPUT)


class ReplaceForm(forms.Form):
    reason = forms.CharField(label=_("Reason of the replacement"),
                             widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("Correct the learner's record first: the new diploma "
                                         "copies the facts as they are now."))


class RevokeForm(forms.Form):
    decision_number = forms.CharField(label=_("Revocation decision number"), max_length=50)
    decision_date = forms.DateField(label=_("Revocation decision date"), widget=DATE_INPUT)
    reason = forms.CharField(label=_("Reason of the revocation"),
                             widget=forms.Textarea(attrs={"rows": 3}))


class CertifiedCopyForm(forms.Form):
    requester_name = forms.CharField(label=_("Requested by"), max_length=150)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
