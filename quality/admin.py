"""The admin of graduate tracking records (the QA office)."""

from __future__ import annotations

from django import forms
from django.contrib import admin

from quality import services
from quality.models import TracerRecord


class TracerRecordForm(forms.ModelForm):
    class Meta:
        model = TracerRecord
        fields = ["enrollment", "checkpoint", "status", "employer", "employer_name",
                  "relatedness", "income_band", "months_to_first_job", "source", "note"]

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        for name, value in data.items():
            setattr(self.instance, name, value)
        for field, message in services.tracer_record_problems(self.instance).items():
            self.add_error(field if field in self.fields else None, str(message))
        return data


@admin.register(TracerRecord)
class TracerRecordAdmin(admin.ModelAdmin):
    form = TracerRecordForm
    list_display = ["enrollment", "checkpoint", "status", "employer_display", "relatedness",
                    "income_band", "source", "recorded_at"]
    list_filter = ["checkpoint", "status", "source"]
    search_fields = ["enrollment__learner__code", "employer__name", "employer_name"]
    list_select_related = ["enrollment__learner", "employer"]
    raw_id_fields = ["enrollment"]
    autocomplete_fields = ["employer"]
    readonly_fields = ["recorded_by", "recorded_at"]

    @admin.display(description=TracerRecord._meta.get_field("employer").verbose_name)
    def employer_display(self, record):
        return record.employer_display or "—"

    def save_model(self, request, obj, form, change):
        services.tracer_record_save(record=obj, by=request.user)

# The admin registrations of accreditation and surveys live in their own modules.
from quality import admin_accreditation, admin_surveys  # noqa: E402,F401
