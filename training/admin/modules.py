"""Admin of the modules of a program version, with their assessment plans and
prerequisites.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from training import services
from training.admin.common import ServiceAdmin
from training.models import AssessmentForm, AssessmentKind, Module, Program, default_check_counts
from training.services.programs import PlanLine


class ModuleForm(forms.ModelForm):
    prerequisite_modules = forms.ModelMultipleChoiceField(
        label=_("prerequisites"), queryset=Module.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Modules of the same version, planned in an earlier semester."),
    )
    continuous_checks = forms.IntegerField(label=_("continuous checks"), min_value=1,
                                           max_value=10, required=False,
                                           help_text=_("Empty: by credits (1–3: 1, ≥ 4: 2)."))
    periodic_checks = forms.IntegerField(label=_("periodic checks"), min_value=1,
                                         max_value=10, required=False,
                                         help_text=_("Empty: by credits (1–3: 1, ≥ 4: 2)."))
    exam_form = forms.ChoiceField(label=_("final exam form"), choices=AssessmentForm.choices,
                                  initial=AssessmentForm.WRITTEN)
    exam_minutes = forms.IntegerField(label=_("exam duration (minutes)"), min_value=1,
                                      max_value=600, required=False)

    class Meta:
        model = Module
        fields = ("program", "code", "name_vi", "name_en", "unit_type", "kind", "credits",
                  "theory_hours", "practice_hours", "exam_hours", "planned_semester",
                  "counts_in_gpa", "order", "description")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "order" in self.fields:  # a version in use shows its modules read-only
            self.fields["order"].required = False
        program_id = self.instance.program_id or self.initial.get("program") \
            or self.data.get("program")
        if program_id:
            self.fields["prerequisite_modules"].queryset = (
                Module.objects.filter(program_id=program_id).exclude(pk=self.instance.pk)
                .order_by("planned_semester", "code"))
        if "program" in self.fields:
            self.fields["program"].queryset = Program.objects.filter(
                is_locked=False).select_related("occupation")
        if self.instance.pk:
            self.initial["prerequisite_modules"] = list(self.instance.prerequisites.all())
            plan = {line.kind: line for line in self.instance.assessment_plan.all()}
            if AssessmentKind.CONTINUOUS in plan:
                self.initial["continuous_checks"] = plan[AssessmentKind.CONTINUOUS].count
            if AssessmentKind.PERIODIC in plan:
                self.initial["periodic_checks"] = plan[AssessmentKind.PERIODIC].count
            if AssessmentKind.EXAM in plan:
                self.initial["exam_form"] = plan[AssessmentKind.EXAM].form
                self.initial["exam_minutes"] = plan[AssessmentKind.EXAM].duration_minutes

    def _post_clean(self):
        # Uniqueness and the rest are the service's (run by ServiceAdmin).
        pass


@admin.register(Module)
class ModuleAdmin(ServiceAdmin):
    form = ModuleForm
    list_display = ("code", "name_vi", "program", "kind", "credits", "theory_hours",
                    "practice_hours", "exam_hours", "planned_semester", "counts_in_gpa")
    list_filter = ("kind", "counts_in_gpa", "planned_semester", "program__status")
    list_select_related = ("program__occupation",)
    search_fields = ("code", "name_vi", "name_en", "program__occupation__code")
    fieldsets = (
        (None, {"fields": ("program", "code", "name_vi", "name_en", "unit_type", "kind")}),
        (_("Volume and plan"), {"fields": ("credits", "theory_hours", "practice_hours",
                                           "exam_hours", "planned_semester", "counts_in_gpa",
                                           "order", "prerequisite_modules")}),
        (_("Assessment plan"), {"fields": ("continuous_checks", "periodic_checks",
                                           "exam_form", "exam_minutes")}),
        (None, {"fields": ("description",)}),
    )

    def get_readonly_fields(self, request, obj=None):
        return ("program",) if obj else ()

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        if request.GET.get("program", "").isdigit():
            initial["program"] = int(request.GET["program"])
        return initial

    def has_change_permission(self, request, obj=None):
        return (obj is None or not obj.program.is_locked) and super().has_change_permission(
            request, obj)

    def has_delete_permission(self, request, obj=None):
        return (obj is None or not obj.program.is_locked) and super().has_delete_permission(
            request, obj)

    def save_service(self, request, obj, data, change):
        program = obj.program if change else data["program"]
        credits = data["credits"] or 0
        continuous, periodic = default_check_counts(credits)
        plan = [
            PlanLine(AssessmentKind.CONTINUOUS, data.get("continuous_checks") or continuous),
            PlanLine(AssessmentKind.PERIODIC, data.get("periodic_checks") or periodic),
            PlanLine(AssessmentKind.EXAM, 1, data["exam_form"], data.get("exam_minutes")),
        ]
        return services.module_save(
            program=program, module=obj if change else None, code=data["code"],
            name_vi=data["name_vi"], name_en=data.get("name_en", ""),
            unit_type=data["unit_type"], kind=data["kind"], credits=credits,
            theory_hours=data["theory_hours"] or 0, practice_hours=data["practice_hours"] or 0,
            exam_hours=data["exam_hours"] or 0, planned_semester=data["planned_semester"],
            counts_in_gpa=data["counts_in_gpa"], order=data.get("order"),
            description=data.get("description", ""),
            prerequisites=[m.code for m in data.get("prerequisite_modules") or []],
            assessment_plan=plan, by=request.user,
        )

    def delete_model(self, request, obj):
        services.module_delete(module=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for module in queryset:
            services.module_delete(module=module, by=request.user)

    def response_post_save_add(self, request, obj):
        return HttpResponseRedirect(reverse("admin:training_program_change",
                                            args=[obj.program_id]))

    response_post_save_change = response_post_save_add
