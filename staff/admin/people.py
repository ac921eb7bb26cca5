"""Admin of departments and staff records: dated employment history, masked personal ID,
logged reveal, XLSX import and export."""

from __future__ import annotations

import tablib
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from staff import rules, selectors, services
from staff.admin.common import (
    certificate_link,
    courseware_file_link,
    history_panel,
)
from staff.forms import StaffImportForm, StaffMemberAdminForm
from staff.models import (
    Courseware,
    Department,
    EmploymentRecord,
    Participation,
    StaffImport,
    StaffMember,
)
from staff.resources import REQUIRED_COLUMNS, import_template
from staff.services.people import PERSONAL_FIELDS, POSITION_FIELDS
from vetschool.admin import (
    ExportPermissionMixin,
    ReadOnlyInline,
    ServiceErrorsMixin,
    admin_permission,
)
from vetschool.forms import add_service_errors
from vetschool.imports import UnreadableFile, import_is_large
from vetschool.privacy import reveal_page
from vetschool.spreadsheets import safe_dataset


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "is_active", "staff_count")
    list_filter = ("kind", "is_active")
    search_fields = ("code", "name")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(staff_total=Count("staff"))

    @admin.display(description=_("staff"), ordering="staff_total")
    def staff_count(self, obj):
        return obj.staff_total

    def save_model(self, request, obj, form, change):
        services.department_save(department=obj, by=request.user)


class EmploymentRecordInline(admin.TabularInline):
    model = EmploymentRecord
    extra = 0
    max_num = 0
    fields = ("effective_date", "status", "department", "roles", "decision_number", "note")
    readonly_fields = fields
    ordering = ("-effective_date",)
    verbose_name_plural = _("employment history (the latest record is the current position)")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("department")

    @admin.display(description=_("roles"))
    def roles(self, obj):
        return obj.roles_display

    def has_add_permission(self, request, obj=None):
        return False


class ParticipationReadInline(ReadOnlyInline):
    model = Participation
    max_num = 0
    fields = ("course_link", "kind", "result", "completed_on", "certificate_number", "evidence")
    readonly_fields = fields
    verbose_name_plural = _("trainings")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("course").order_by(
            "-course__starts_on")

    @admin.display(description=_("course"))
    def course_link(self, obj):
        url = reverse("admin:staff_trainingcourse_change", args=[obj.course_id])
        return format_html('<a href="{}">{}</a>', url, obj.course)

    @admin.display(description=_("kind"))
    def kind(self, obj):
        return obj.course.get_kind_display()

    @admin.display(description=_("certificate file"))
    def evidence(self, obj):
        return certificate_link(obj)


class CoursewareReadInline(ReadOnlyInline):
    model = Courseware
    fk_name = "author"
    max_num = 0
    fields = ("title_link", "module_display", "kind", "status", "link", "file_link")
    readonly_fields = fields
    verbose_name_plural = _("digital courseware authored")

    @admin.display(description=_("title"))
    def title_link(self, obj):
        url = reverse("admin:staff_courseware_change", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, obj.title)

    @admin.display(description=_("module taught"))
    def module_display(self, obj):
        return obj.module_display

    @admin.display(description=_("file"))
    def file_link(self, obj):
        return courseware_file_link(obj)


class CompetencyFilter(admin.SimpleListFilter):
    """Staff members never confirmed in a digital-competency assessment (the HR queue)."""

    title = _("digital competency")
    parameter_name = "competency"
    NONE = "none"

    def lookups(self, request, model_admin):
        return [(self.NONE, _("No confirmed assessment"))]

    def queryset(self, request, queryset):
        if self.value() == self.NONE:
            return selectors.without_confirmed_competency(queryset)
        return queryset


@admin.register(StaffMember)
class StaffMemberAdmin(ExportPermissionMixin, ServiceErrorsMixin, admin.ModelAdmin):
    form = StaffMemberAdminForm
    change_list_template = "admin/staff/staffmember/change_list.html"
    list_display = ("staff_code", "full_name", "masked_national_id", "department", "roles",
                    "employment_status", "position_since", "user")
    list_filter = ("department", "employment_status", "is_teacher", "is_manager",
                   CompetencyFilter)
    list_select_related = ("department", "user")
    search_fields = ("staff_code", "full_name__unaccent")
    autocomplete_fields = ("user",)
    inlines = [EmploymentRecordInline, ParticipationReadInline, CoursewareReadInline]
    actions = ["export_xlsx"]
    list_per_page = 50

    # --- list ---------------------------------------------------------------------------

    @admin.display(description=_("personal ID number"))
    def masked_national_id(self, obj):
        return obj.national_id_masked or "—"

    @admin.display(description=_("roles"))
    def roles(self, obj):
        return obj.roles_display

    # --- form ---------------------------------------------------------------------------

    def _id_field(self, request) -> str:
        # Decided per request: only the HR office gets the (logged) reveal link.
        if rules.can_reveal_national_id(request.user):
            return "national_id_display"
        return "masked_national_id"

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return (self._id_field(request), "position_since", "competency", "change_history")

    def get_fieldsets(self, request, obj=None):
        can_change = obj is None or self.has_change_permission(request, obj)
        personal = ["staff_code", "full_name"]
        if obj is not None:
            personal.append(self._id_field(request))
        if can_change:
            personal.append("national_id")
        personal += ["date_of_birth", "gender", "email", "phone", "user"]
        position = ["department", ("is_teacher", "is_manager"), "employment_status"]
        if obj is not None:
            position.append("position_since")
        if can_change:
            position += ["effective_date", "decision_number", "record_note"]
        fieldsets = [
            (None, {"fields": personal}),
            (_("Position"), {"fields": position}),
            (_("Qualifications and certificates"), {"fields": [
                "highest_qualification", "qualification_major",
                "pedagogical_certificate_type", "pedagogical_certificate_number",
                "pedagogical_certificate_date", "vocational_certificate_type",
                "vocational_certificate_occupation", "vocational_certificate_number",
                "vocational_certificate_date",
            ]}),
        ]
        if obj is not None:
            fieldsets.append((_("Digital competency"), {"fields": ["competency"]}))
            fieldsets.append((_("Change history"), {"fields": ["change_history"],
                                                    "classes": ["collapse"]}))
        return fieldsets

    @admin.display(description=_("personal ID number"))
    def national_id_display(self, obj):
        if not obj.national_id:
            return "—"
        url = reverse("admin:staff_staffmember_national_id", args=[obj.pk])
        return format_html('{} · <a href="{}">{}</a>', obj.national_id_masked, url,
                           _("show the full number (asks why; the read is logged)"))

    @admin.display(description=_("current level per area and history"))
    def competency(self, obj):
        from django.template.loader import render_to_string

        history = selectors.assessment_history(staff=obj)
        return render_to_string("admin/staff/competency_summary.html", {
            "current": selectors.current_competency(history), "history": history})

    @admin.display(description=_("latest changes"))
    def change_history(self, obj):
        return history_panel(obj)

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        personal = {name: data[name] for name in PERSONAL_FIELDS if name in data}
        position = {name: data[name] for name in POSITION_FIELDS}
        if not change:
            staff = services.staff_create(
                by=request.user, effective_date=data["effective_date"],
                decision_number=data.get("decision_number", ""),
                note=data.get("record_note", ""), **position, **personal,
            )
            obj.pk = staff.pk
            obj._state.adding = False
            return
        current = StaffMember.objects.get(pk=obj.pk)
        services.staff_update(staff=current, by=request.user, **personal)
        if services.position_differs(current, **position):
            services.staff_position_change(
                staff=current, by=request.user, effective_date=data.get("effective_date"),
                decision_number=data.get("decision_number", ""),
                note=data.get("record_note", ""), **position,
            )

    def save_formset(self, request, form, formset, change):
        if formset.model is EmploymentRecord:
            formset.save(commit=False)
            for record in formset.deleted_objects:
                services.employment_record_delete(record=record, by=request.user)
            return
        super().save_formset(request, form, formset, change)

    # --- personal ID, import, export ------------------------------------------------------

    def get_urls(self):
        urls = [
            path("<path:object_id>/national-id/",
                 self.admin_site.admin_view(self.national_id_view),
                 name="staff_staffmember_national_id"),
            path("import/", self.admin_site.admin_view(self.import_view),
                 name="staff_staffmember_import"),
            path("import/template.xlsx", self.admin_site.admin_view(self.import_template_view),
                 name="staff_staffmember_import_template"),
            path("import/<int:pk>/", self.admin_site.admin_view(self.import_status_view),
                 name="staff_staffmember_import_status"),
        ]
        return urls + super().get_urls()

    @admin_permission("change")  # and the staff rule below: a full ID is HR's to read
    def national_id_view(self, request, object_id):
        if not rules.can_reveal_national_id(request.user):
            raise PermissionDenied
        # The admin's own lookup: an id the key cannot hold ("AAA") is a 404, not a 500.
        staff = self.get_object(request, object_id)
        if staff is None:
            raise Http404
        # GET asks for the reason; the POST shows the number and logs the read with it.
        return reveal_page(
            request, subject=staff, value=staff.national_id or "",
            masked=staff.national_id_masked,
            title=_("Personal ID number of %(name)s") % {"name": staff.full_name},
            back_url=reverse("admin:staff_staffmember_change", args=[staff.pk]),
        )

    @admin_permission("add", "change")
    def import_view(self, request):
        report = None
        problems_error = None
        form = StaffImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            dry_run = "check" in request.POST
            if import_is_large(upload):
                # A large list is a worker's job; its page follows it (issue #14).
                try:
                    record = services.staff_import_start(upload=upload, dry_run=dry_run,
                                                         by=request.user)
                except ValidationError as error:
                    add_service_errors(form, error)
                    return self._import_page(request, form, None, None)
                return redirect("admin:staff_staffmember_import_status", record.pk)
            try:
                report = services.staff_import(content=upload.read(), filename=upload.name,
                                               dry_run=dry_run, by=request.user)
            except UnreadableFile as exc:
                form.add_error("file", str(exc))
            else:
                if report.ok and not dry_run:
                    self.message_user(request, _(
                        "Imported: %(new)d new, %(updated)d updated, %(unchanged)d unchanged."
                    ) % {"new": report.new, "updated": report.updated,
                         "unchanged": report.unchanged}, messages.SUCCESS)
                elif not report.ok:
                    problems_error = _("Nothing was imported: fix the rows below and try again.")
        return self._import_page(request, form, report, problems_error)

    def _import_page(self, request, form, report, problems_error):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Import staff"),
            "form": form,
            "report": report,
            "problems_error": problems_error,
            "required_columns": REQUIRED_COLUMNS,
        }
        return TemplateResponse(request, "admin/staff/staffmember/import.html", context)

    @admin_permission("add", "change")
    def import_status_view(self, request, pk):
        record = get_object_or_404(StaffImport, pk=pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Import staff"),
            "record": record,
            "running": not record.finished,
        }
        return TemplateResponse(request, "admin/staff/staffmember/import_status.html", context)

    @admin_permission("add")
    def import_template_view(self, request):
        response = HttpResponse(
            import_template(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = 'attachment; filename="staff-import-template.xlsx"'
        return response

    @admin.action(description=_("Export selected staff to XLSX (personal IDs masked)"),
                  permissions=["export"])
    def export_xlsx(self, request, queryset):
        dataset = tablib.Dataset(headers=[
            str(_("staff code")), str(_("full name")), str(_("personal ID number")),
            str(_("date of birth")), str(_("gender")), str(_("department")), str(_("roles")),
            str(_("employment status")), str(_("current position since")),
            str(_("highest qualification")), str(_("pedagogical certificate")),
            str(_("vocational skill certificate")),
        ], title=str(_("Staff"))[:31])
        for staff in queryset.select_related("department").order_by("staff_code"):
            dataset.append([
                staff.staff_code, staff.full_name, staff.national_id_masked,
                staff.date_of_birth, staff.get_gender_display(), staff.department.name,
                staff.roles_display, staff.get_employment_status_display(),
                staff.position_since, staff.get_highest_qualification_display(),
                staff.get_pedagogical_certificate_type_display(),
                staff.get_vocational_certificate_type_display(),
            ])
        response = HttpResponse(
            safe_dataset(dataset).export("xlsx"),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        stamp = timezone.localdate().isoformat()
        response["Content-Disposition"] = f'attachment; filename="staff-{stamp}.xlsx"'
        return response
