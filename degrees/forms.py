from django import forms
from django.utils.translation import gettext_lazy as _

from degrees.models import CopyRequest

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
