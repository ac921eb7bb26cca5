"""Personal data in the console: the learners' correction requests (the office answers
them here, before their due date) and the log of the retention rule's erasures."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enrollment.models import CorrectionRequest, CorrectionStatus, RetentionErasure
from enrollment.services import privacy
from vetschool.admin import ReadOnlyAdminMixin, ServiceErrorsMixin


class OverdueFilter(admin.SimpleListFilter):
    title = _("deadline")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _("Overdue"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(status=CorrectionStatus.OPEN,
                                   due_on__lt=timezone.localdate())
        return queryset


class AnswerForm(forms.ModelForm):
    class Meta:
        model = CorrectionRequest
        fields = ("status", "answer")

    def clean(self):
        data = super().clean()
        if self.instance.pk and CorrectionRequest.objects.filter(
                pk=self.instance.pk).exclude(status=CorrectionStatus.OPEN).exists():
            raise ValidationError(privacy.ALREADY_ANSWERED)
        if data.get("status") == CorrectionStatus.OPEN:
            self.add_error("status", _("Choose corrected or refused."))
        return data


@admin.register(CorrectionRequest)
class CorrectionRequestAdmin(ServiceErrorsMixin, admin.ModelAdmin):
    form = AnswerForm
    list_display = ("requested_at", "learner", "field", "proposed_value", "status", "due_on")
    list_filter = ("status", OverdueFilter, "field")
    list_select_related = ("learner",)
    search_fields = ("learner__code", "learner__full_name")
    readonly_fields = ("learner", "field", "proposed_value", "note", "requested_at", "due_on",
                       "answered_at", "answered_by")
    fields = ("learner", "field", "proposed_value", "note", "requested_at", "due_on",
              "status", "answer", "answered_at", "answered_by")

    def has_add_permission(self, request):
        return False  # the learner asks in the portal

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        # The answer goes through the service (checks, who and when).
        privacy.correction_request_answer(request=obj, status=form.cleaned_data["status"],
                                          answer=form.cleaned_data["answer"],
                                          by=request.user)


@admin.register(RetentionErasure)
class RetentionErasureAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("at", "round", "applications", "documents")
    list_select_related = ("round",)
    date_hierarchy = "at"
