"""Admin of the competency framework, assessment periods and assessments.

The assessor opens an assessment, sees the self-assessed level of each area and
confirms or adjusts it (staff.services.assessment_confirm).
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db.models import Count
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from staff import selectors, services
from staff.forms import assessment_confirm_form
from staff.models import (
    AssessmentPeriod,
    CompetencyArea,
    CompetencyAssessment,
    CompetencyFramework,
    CompetencyLevel,
)
from vetschool.admin import ServiceErrorsMixin


class CompetencyAreaInline(admin.TabularInline):
    model = CompetencyArea
    extra = 0
    fields = ("number", "name", "name_en", "description")


class CompetencyLevelInline(admin.TabularInline):
    model = CompetencyLevel
    extra = 0
    fields = ("rank", "code", "name", "name_en", "description")


@admin.register(CompetencyFramework)
class CompetencyFrameworkAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "is_active")
    readonly_fields = ("is_active",)
    inlines = [CompetencyAreaInline, CompetencyLevelInline]
    actions = ["activate"]

    @admin.action(description=_("Use this framework for new assessment periods"),
                  permissions=["change"])
    def activate(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("Choose exactly one framework."), messages.ERROR)
            return
        framework = services.framework_activate(framework=queryset.get(), by=request.user)
        self.message_user(request, _("%(framework)s is now in use.") % {"framework": framework},
                          messages.SUCCESS)


@admin.register(AssessmentPeriod)
class AssessmentPeriodAdmin(admin.ModelAdmin):
    list_display = ("name", "framework", "starts_on", "ends_on", "self_assessment_open",
                    "assessments", "confirmed")
    list_filter = ("framework", "self_assessment_open")
    list_select_related = ("framework",)

    def get_queryset(self, request):
        from django.db.models import Q

        return super().get_queryset(request).annotate(
            assessment_total=Count("assessments"),
            confirmed_total=Count("assessments", filter=Q(assessments__status="confirmed")),
        )

    @admin.display(description=_("assessments"), ordering="assessment_total")
    def assessments(self, obj):
        return obj.assessment_total

    @admin.display(description=_("confirmed"), ordering="confirmed_total")
    def confirmed(self, obj):
        return obj.confirmed_total

    def get_changeform_initial_data(self, request):
        framework = CompetencyFramework.objects.filter(is_active=True).first()
        return {"framework": framework.pk if framework else None}

    def save_model(self, request, obj, form, change):
        services.period_save(period=obj, by=request.user)


class AssessmentStartForm(forms.ModelForm):
    class Meta:
        model = CompetencyAssessment
        fields = ("staff", "period")


@admin.register(CompetencyAssessment)
class CompetencyAssessmentAdmin(ServiceErrorsMixin, admin.ModelAdmin):
    list_display = ("staff", "department", "period", "status", "self_assessed_at", "assessor",
                    "confirmed_at")
    list_filter = ("period", "status", "staff__department")
    list_select_related = ("staff__department", "period", "assessor")
    search_fields = ("staff__staff_code", "staff__full_name__unaccent")
    autocomplete_fields = ("staff",)

    @admin.display(description=_("department"), ordering="staff__department__code")
    def department(self, obj):
        return obj.staff.department

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            return AssessmentStartForm
        return assessment_confirm_form(obj)

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return ("staff", "period", "status", "self_assessed_at", "assessor", "confirmed_at",
                "levels")

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [(None, {"fields": ["staff", "period"],
                            "description": _("Start an assessment for a staff member who has "
                                             "not self-assessed; you then set the levels.")})]
        head = (None, {"fields": ["staff", "period", "status", "self_assessed_at", "assessor",
                                  "confirmed_at"]})
        if not self.has_change_permission(request, obj):
            return [head, (_("Levels"), {"fields": ["levels"]})]
        area_fields = [f"area_{area_id}" for area_id in assessment_confirm_form(obj).area_ids]
        return [head, (_("Confirmed level per area"), {
            "fields": [*area_fields, "assessor_note"],
            "description": _("Each area starts at the self-assessed level: confirm it or "
                             "choose another, then save."),
        })]

    @admin.display(description=_("levels"))
    def levels(self, obj):
        history = [view for view in selectors.assessment_history(staff=obj.staff)
                   if view.assessment.pk == obj.pk]
        return render_to_string("admin/staff/competency_summary.html",
                                {"current": None, "history": history})

    def save_model(self, request, obj, form, change):
        if not change:
            created = services.assessment_start(staff=form.cleaned_data["staff"],
                                                period=form.cleaned_data["period"],
                                                by=request.user)
            obj.pk = created.pk
            obj._state.adding = False
            return
        services.assessment_confirm(assessment=obj, levels=form.levels(), by=request.user,
                                    note=form.cleaned_data.get("assessor_note", ""))
