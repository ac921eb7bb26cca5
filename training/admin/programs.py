"""Admin of program versions and their outcomes, and of who follows which version;
import from XLSX; printing. Modules are in `training.admin.modules`.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from training import services
from training.admin.common import ServiceAdmin, admin_page, record_formset
from training.exports import XLSX_TYPE
from training.forms import ActivateForm, NewVersionForm, ProgramImportForm
from training.models import (
    EnrollmentProgram,
    LearningOutcome,
    Module,
    Program,
    ProgramRequirement,
    ProgramStatus,
)
from training.resources import template_xlsx
from vetschool.admin import ReadOnlyAdminMixin, ReadOnlyInline, admin_permission
from vetschool.imports import UnreadableFile


def program_editable(obj) -> bool:
    return obj is None or not obj.is_locked


class OutcomeInline(admin.TabularInline):
    model = LearningOutcome
    extra = 0
    fields = ("code", "domain", "text_vi", "text_en", "is_digital_capability", "order")

    def has_add_permission(self, request, obj=None):
        return program_editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return program_editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return program_editable(obj) and super().has_delete_permission(request, obj)


class RequirementInline(OutcomeInline):
    """Other graduation requirements of the version (§4.1 c), frozen with it."""

    model = ProgramRequirement
    fields = ("code", "kind", "name_vi", "name_en", "order")


class ModuleLinkInline(ReadOnlyInline):
    """The modules, read-only here; each opens its own page (plan, prerequisites)."""

    model = Module
    fields = ("code", "name_vi", "kind", "credits", "theory_hours", "practice_hours",
              "exam_hours", "planned_semester", "counts_in_gpa")
    readonly_fields = fields
    show_change_link = True
    ordering = ("planned_semester", "order", "code")


class ProgramForm(forms.ModelForm):
    class Meta:
        model = Program
        fields = ("occupation", "effective_year", "name_vi", "name_en", "short_code",
                  "duration_months", "objectives", "decision_number", "decision_date")

    def clean_short_code(self):
        return (self.cleaned_data.get("short_code") or "").upper()


@admin.register(Program)
class ProgramAdmin(ServiceAdmin):
    form = ProgramForm
    list_display = ("occupation_code", "name_vi", "level", "version_label", "status",
                    "is_locked", "total_credits", "total_hours", "module_total",
                    "digital_total", "pdf_link")
    list_filter = ("status", "is_locked", "occupation__level")
    list_select_related = ("occupation",)
    search_fields = ("occupation__code", "name_vi", "name_en", "short_code")
    autocomplete_fields = ("occupation",)
    inlines = [OutcomeInline, RequirementInline, ModuleLinkInline]
    actions = ["activate", "retire", "new_version"]
    readonly_fields = ("status", "is_locked", "total_credits", "total_hours",
                       "previous_version", "problems", "add_module_link")

    def get_fields(self, request, obj=None):
        head = ("occupation", "effective_year") if obj is None else (
            "occupation", "effective_year", "revision", "status", "is_locked",
            "previous_version", "problems", "add_module_link")
        return head + ("name_vi", "name_en", "short_code", "duration_months", "objectives",
                       "decision_number", "decision_date", "total_credits", "total_hours")

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ("total_credits", "total_hours")
        return (*self.readonly_fields, "occupation", "effective_year", "revision")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(
            module_count=Count("modules", distinct=True),
            digital_count=Count("outcomes", filter=Q(outcomes__is_digital_capability=True),
                                distinct=True),
        )

    def has_change_permission(self, request, obj=None):
        # A version in use is shown read-only; changes make a new version.
        return program_editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return (obj is None or (not obj.is_locked and obj.status == ProgramStatus.DRAFT)) \
            and super().has_delete_permission(request, obj)

    @admin.display(description=_("occupation"), ordering="occupation__code")
    def occupation_code(self, obj):
        return obj.occupation.code

    @admin.display(description=_("level"))
    def level(self, obj):
        return obj.occupation.get_level_display()

    @admin.display(description=_("version"), ordering="effective_year")
    def version_label(self, obj):
        return obj.version_label

    @admin.display(description=_("modules"), ordering="module_count")
    def module_total(self, obj):
        return obj.module_count

    @admin.display(description=_("digital outcomes"), ordering="digital_count")
    def digital_total(self, obj):
        return obj.digital_count

    @admin.display(description="PDF")
    def pdf_link(self, obj):
        return format_html('<a href="{}">PDF</a>', reverse("training:program-pdf", args=[obj.pk]))

    @admin.display(description=_("ready to be put in force?"))
    def problems(self, obj):
        if obj.status != ProgramStatus.DRAFT:
            return "—"
        found = services.program_problems(obj)
        if not found:
            return _("Yes")
        return format_html("<ul>{}</ul>", format_html_join("", "<li>{}</li>",
                                                            ((p,) for p in found)))

    @admin.display(description=_("modules"))
    def add_module_link(self, obj):
        links = format_html('<a href="{}">{}</a>', reverse("training:program-pdf", args=[obj.pk]),
                            _("print (PDF)"))
        if program_editable(obj):
            url = reverse("admin:training_module_add") + f"?program={obj.pk}"
            links = format_html('<a class="addlink" href="{}">{}</a> · {}', url,
                                _("add a module"), links)
        return links

    def save_service(self, request, obj, data, change):
        fields = {k: data[k] for k in services.programs.PROGRAM_EDITABLE_FIELDS if k in data}
        if change:
            return services.program_update(program=obj, by=request.user, **fields)
        return services.program_create(occupation=data["occupation"],
                                       effective_year=data["effective_year"], by=request.user,
                                       **fields)

    def save_formset(self, request, form, formset, change):
        if formset.model is not LearningOutcome:
            return
        program = form.instance
        new, changed, deleted = [], [], []
        for item in formset.deleted_forms:
            if item.instance.pk:
                services.outcome_delete(outcome=item.instance, by=request.user)
                deleted.append(item.instance)
        for item in formset.forms:
            if item in formset.deleted_forms or not item.has_changed() or not item.cleaned_data:
                continue
            data = item.cleaned_data
            existing = item.instance if item.instance.pk else None
            outcome = services.outcome_save(
                program=program, outcome=existing,
                code=data["code"], domain=data["domain"], text_vi=data["text_vi"],
                text_en=data.get("text_en", ""), order=data.get("order"),
                is_digital_capability=data.get("is_digital_capability", False),
                by=request.user)
            (changed if existing else new).append(outcome)
        record_formset(formset, new=new, changed=changed, deleted=deleted)

    # --- Actions ----------------------------------------------------------------------------

    @admin.action(description=_("Put in force"), permissions=["change"])
    def activate(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("Choose one version."), messages.WARNING)
            return None
        return HttpResponseRedirect(reverse("admin:training_program_activate",
                                            args=[queryset.get().pk]))

    @admin.action(description=_("Retire (no new classes)"), permissions=["change"])
    def retire(self, request, queryset):
        for program in queryset:
            try:
                services.program_retire(program=program, by=request.user)
            except ValidationError as exc:
                self.message_user(request, f"{program}: {' '.join(exc.messages)}",
                                  messages.ERROR)
            else:
                self.message_user(request, _("%(program)s retired.") % {"program": program},
                                  messages.SUCCESS)

    @admin.action(description=_("Make a new version"), permissions=["add"])
    def new_version(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("Choose one version."), messages.WARNING)
            return None
        return HttpResponseRedirect(reverse("admin:training_program_new_version",
                                            args=[queryset.get().pk]))

    # --- Pages ------------------------------------------------------------------------------

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("import/", view(self.import_view), name="training_program_import"),
            path("import/template.xlsx", view(self.template_view),
                 name="training_program_import_template"),
            path("<int:pk>/activate/", view(self.activate_view),
                 name="training_program_activate"),
            path("<int:pk>/new-version/", view(self.new_version_view),
                 name="training_program_new_version"),
            *super().get_urls(),
        ]

    @admin_permission("training.change_program")
    def activate_view(self, request, pk):
        program = get_object_or_404(Program.objects.select_related("occupation"), pk=pk)
        form = ActivateForm(request.POST if request.method == "POST" else None, initial={
            "decision_number": program.decision_number, "decision_date": program.decision_date})
        if request.method == "POST" and form.is_valid():
            try:
                services.program_activate(program=program, by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error(None, message)
            else:
                self.message_user(request, _("%(program)s is in force.") % {"program": program},
                                  messages.SUCCESS)
                return HttpResponseRedirect(reverse("admin:training_program_change",
                                                    args=[pk]))
        return admin_page(request, self, "admin/training/page.html",
                          _("Put %(program)s in force") % {"program": program}, form=form,
                          submit_label=_("Put in force"))

    @admin_permission("training.add_program")
    def new_version_view(self, request, pk):
        program = get_object_or_404(Program.objects.select_related("occupation"), pk=pk)
        form = NewVersionForm(request.POST if request.method == "POST" else None,
                              initial={"effective_year": program.effective_year + 1})
        if request.method == "POST" and form.is_valid():
            try:
                copy = services.program_new_version(
                    program=program, effective_year=form.cleaned_data["effective_year"],
                    by=request.user)
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error("effective_year", message)
            else:
                self.message_user(request, _("New draft version %(version)s: edit it, then put "
                                             "it in force.") % {"version": copy.version_label},
                                  messages.SUCCESS)
                return HttpResponseRedirect(reverse("admin:training_program_change",
                                                    args=[copy.pk]))
        return admin_page(
            request, self, "admin/training/page.html",
            _("New version of %(program)s") % {"program": program}, form=form,
            intro=_("The new version copies the outcomes, modules, assessment plans and "
                    "prerequisites. Learners keep the version they were admitted under."),
            submit_label=_("Make the new version"))

    @admin_permission("training.add_program", "training.add_module")
    def import_view(self, request):
        form = ProgramImportForm(request.POST if request.method == "POST" else None,
                                 request.FILES or None)
        outcome = None
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                outcome = services.program_import(
                    occupation=form.cleaned_data["occupation"],
                    effective_year=form.cleaned_data["effective_year"],
                    content=upload.read(), filename=upload.name,
                    dry_run=form.cleaned_data["dry_run"], by=request.user)
            except (UnreadableFile, ValidationError) as exc:
                messages_ = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
                for message in messages_:
                    form.add_error("file", message)
            else:
                report = outcome.report
                if report.ok and not report.dry_run:
                    self.message_user(request, _(
                        "Imported: %(new)s new and %(updated)s updated modules.")
                        % {"new": report.new, "updated": report.updated}, messages.SUCCESS)
                    return HttpResponseRedirect(reverse("admin:training_program_change",
                                                        args=[outcome.program.pk]))
        return admin_page(request, self, "admin/training/program/import.html",
                          _("Import a program from XLSX"), form=form, outcome=outcome,
                          submit_label=_("Import"))

    @admin_permission("training.add_program", "training.add_module")
    def template_view(self, request):
        response = HttpResponse(template_xlsx(), content_type=XLSX_TYPE)
        response["Content-Disposition"] = 'attachment; filename="chuong-trinh-dao-tao.xlsx"'
        return response


@admin.register(EnrollmentProgram)
class EnrollmentProgramAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Who follows which version: read-only here (set by placement and moves)."""

    list_display = ("enrollment", "program", "since", "decision_number", "note")
    list_select_related = ("enrollment__learner", "enrollment__occupation",
                           "program__occupation")
    search_fields = ("enrollment__learner__code", "enrollment__learner__full_name")
    list_filter = ("program__occupation",)
