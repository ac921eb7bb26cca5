"""Enrolments and their status decisions (record, revert) and the append-only status history."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from enrollment import selectors, services
from enrollment.admin.common import admin_page, badge
from enrollment.forms import StatusChangeForm, StatusRevertForm
from enrollment.models import Enrollment, EnrollmentStatusChange
from vetschool.admin import ReadOnlyAdminMixin, ReadOnlyInline, admin_permission
from vetschool.forms import add_service_errors


class StatusChangeInline(ReadOnlyInline):
    model = EnrollmentStatusChange
    fk_name = "enrollment"
    fields = ("effective_date", "from_status", "to_status", "decision_number", "decision_date",
              "reason", "source", "by", "at")
    readonly_fields = fields
    ordering = ("at", "id")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("by")


class EnrollmentAdminForm(forms.ModelForm):
    class Meta:
        model = Enrollment
        fields = ("mode", "start_date", "expected_end_date")

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("expected_end_date")
        if start and end and end <= start:
            self.add_error("expected_end_date",
                           _("The expected end date must be after the start date."))
        return data


@admin.register(Enrollment)
class EnrollmentAdmin(admin.ModelAdmin):
    form = EnrollmentAdminForm
    list_display = ("learner_code", "learner_name", "occupation_code", "level",
                    "admission_year", "mode", "status_badge", "status_date")
    list_filter = ("status", "level", "admission_year", "mode",
                   ("occupation", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("learner", "occupation")
    list_per_page = 50
    show_full_result_count = False
    search_fields = ("learner__code",)
    search_help_text = _("Learner name (with or without accents) or learner code.")
    inlines = [StatusChangeInline]
    fieldsets = (
        (None, {"fields": ("learner_link", "occupation", "level", "admission_year",
                           "application")}),
        (_("Study"), {"fields": ("mode", "start_date", "expected_end_date")}),
        (_("Status"), {"fields": ("status_badge", "status_date", "status_actions")}),
    )
    readonly_fields = ("learner_link", "occupation", "level", "admission_year", "application",
                       "status_badge", "status_date", "status_actions")

    class Media:
        css = {"all": ("enrollment/admin.css",)}

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        return selectors.enrollment_search(queryset, search_term), False

    @admin.display(description=_("learner code"), ordering="learner__code")
    def learner_code(self, obj):
        return obj.learner.code

    @admin.display(description=_("full name"), ordering="learner__full_name")
    def learner_name(self, obj):
        return obj.learner.full_name

    @admin.display(description=_("occupation"), ordering="occupation__code")
    def occupation_code(self, obj):
        return obj.occupation.code

    @admin.display(description=_("status"), ordering="status")
    def status_badge(self, obj):
        return badge(obj.status, obj.get_status_display())

    @admin.display(description=_("learner"))
    def learner_link(self, obj):
        url = reverse("admin:enrollment_learner_change", args=[obj.learner_id])
        return format_html('<a href="{}">{}</a>', url, obj.learner)

    @admin.display(description=_("decisions"))
    def status_actions(self, obj):
        if not obj or not obj.pk:
            return ""
        return format_html(
            '<div class="vs-actions"><a class="button" href="{}">{}</a> '
            '<a class="button" href="{}">{}</a></div>',
            reverse("admin:enrollment_enrollment_status", args=[obj.pk]),
            _("Record a status decision"),
            reverse("admin:enrollment_enrollment_revert", args=[obj.pk]),
            _("Correct the last decision"),
        )

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        services.enrollment_update(enrollment=obj, by=request.user,
                                   mode=form.cleaned_data["mode"],
                                   start_date=form.cleaned_data["start_date"],
                                   expected_end_date=form.cleaned_data["expected_end_date"])

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/status/", view(self.status_view),
                 name="enrollment_enrollment_status"),
            path("<int:pk>/revert/", view(self.revert_view),
                 name="enrollment_enrollment_revert"),
            *super().get_urls(),
        ]

    def _status_page(self, request, pk, form_class, title, service, **fixed):
        enrollment = get_object_or_404(Enrollment.objects.select_related("learner",
                                                                         "occupation"), pk=pk)
        if not self.has_change_permission(request, enrollment):
            raise PermissionDenied
        form = form_class(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                service(enrollment=enrollment, by=request.user, **form.cleaned_data, **fixed)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, gettext("The decision was recorded."))
                return redirect("admin:enrollment_enrollment_change", enrollment.pk)
        return admin_page(request, self, "admin/enrollment/enrollment/status.html", title,
                          form=form, enrollment=enrollment,
                          changes=enrollment.status_changes.select_related("by"))

    @admin_permission("change")
    def status_view(self, request, pk):
        return self._status_page(request, pk, StatusChangeForm, gettext("Record a status decision"),
                                 services.enrollment_change_status)

    @admin_permission("change")
    def revert_view(self, request, pk):
        return self._status_page(request, pk, StatusRevertForm,
                                 gettext("Correct the last decision"),
                                 services.enrollment_status_revert)


@admin.register(EnrollmentStatusChange)
class EnrollmentStatusChangeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("effective_date", "learner", "occupation", "from_status", "to_status",
                    "decision_number", "decision_date", "source", "by")
    list_filter = ("to_status", "source", "effective_date")
    list_select_related = ("enrollment__learner", "enrollment__occupation", "by")
    search_fields = ("decision_number", "enrollment__learner__code")
    date_hierarchy = "effective_date"
    list_per_page = 50
    show_full_result_count = False

    @admin.display(description=_("learner"), ordering="enrollment__learner__code")
    def learner(self, obj):
        return obj.enrollment.learner

    @admin.display(description=_("occupation"))
    def occupation(self, obj):
        return obj.enrollment.occupation.code
