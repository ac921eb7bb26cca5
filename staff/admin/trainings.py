"""Admin of training courses and participations: results with evidence, bulk registration
of a department, and a delete that refuses courses with results."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Count, Q
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from staff import indicators, services
from staff.admin.common import certificate_link
from staff.forms import ParticipationInlineForm, RegisterDepartmentForm
from staff.models import Participation, ParticipationResult, TrainingCourse
from staff.services.trainings import registered_message
from vetschool.admin import ServiceErrorsMixin, admin_permission


class ParticipationInline(admin.TabularInline):
    model = Participation
    form = ParticipationInlineForm
    extra = 1
    autocomplete_fields = ("staff",)
    readonly_fields = ("certificate_link",)
    verbose_name_plural = _("participants and results")

    def get_fields(self, request, obj=None):
        if self.has_change_permission(request, obj):
            return ("staff", "result", "completed_on", "certificate", "certificate_link",
                    "certificate_number", "note")
        return ("staff", "result", "completed_on", "certificate_link", "certificate_number",
                "note")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("staff__department").order_by(
            "staff__staff_code")

    @admin.display(description=_("stored certificate"))
    def certificate_link(self, obj):
        return certificate_link(obj)


@admin.register(TrainingCourse)
class TrainingCourseAdmin(ServiceErrorsMixin, admin.ModelAdmin):
    change_form_template = "admin/staff/trainingcourse/change_form.html"
    list_display = ("code", "title", "kind", "delivery", "hours", "starts_on", "ends_on",
                    "participants", "completed")
    list_filter = ("kind", "delivery")
    date_hierarchy = "starts_on"
    search_fields = ("code", "title", "provider")
    inlines = [ParticipationInline]
    actions = ["delete_courses"]
    fieldsets = (
        (None, {"fields": ("code", "title", "provider", "kind")}),
        (_("Schedule"), {"fields": (("starts_on", "ends_on"), "hours", "delivery", "location")}),
        (_("Description"), {"fields": ("description",)}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(
            participant_total=Count("participations", distinct=True),
            completed_total=Count("participations", distinct=True,
                                  filter=Q(participations__result=ParticipationResult.COMPLETED)),
        )

    @admin.display(description=_("participants"), ordering="participant_total")
    def participants(self, obj):
        return obj.participant_total

    @admin.display(description=_("completed"), ordering="completed_total")
    def completed(self, obj):
        return obj.completed_total

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def save_model(self, request, obj, form, change):
        services.course_save(course=obj, by=request.user)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Participation:
            return super().save_formset(request, form, formset, change)
        formset.save(commit=False)
        for participation in formset.deleted_objects:
            services.participation_withdraw(participation=participation, by=request.user)
        deleted = set(formset.deleted_forms)
        for inline_form in formset.forms:
            if inline_form in deleted or not inline_form.has_changed():
                continue
            data = inline_form.cleaned_data
            if not data:
                continue
            participation = inline_form.instance
            upload = data.get("certificate")
            upload = upload if isinstance(upload, UploadedFile) else None
            is_new = participation.pk is None
            if is_new:
                participation = services.participant_register(
                    course=form.instance, staff=data["staff"], by=request.user)
                if data["result"] == indicators.REGISTERED and not (
                        upload or data.get("certificate_number") or data.get("note")):
                    continue
            services.participation_record_result(
                participation=participation, result=data["result"],
                completed_on=data.get("completed_on"), certificate=upload,
                certificate_number=data.get("certificate_number", ""),
                note=data.get("note", ""), by=request.user,
            )

    # --- delete: refused for courses with results -----------------------------------------

    @admin_permission("delete")
    def delete_view(self, request, object_id, extra_context=None):
        course = self.get_object(request, object_id)
        if course is not None and self.has_delete_permission(request, course):
            count = services.course_results_count(course)
            if count:
                self.message_user(request, services.trainings.COURSE_HAS_RESULTS % {
                    "course": course.code, "count": count}, messages.ERROR)
                return HttpResponseRedirect(
                    reverse("admin:staff_trainingcourse_change", args=[course.pk]))
        return super().delete_view(request, object_id, extra_context)

    def delete_model(self, request, obj):
        services.course_delete(course=obj, by=request.user)

    def get_deleted_objects(self, objs, request):
        # Registrations without a result go with the course (the service deletes them), so
        # the confirmation lists them instead of calling them "protected".
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        return deleted, model_count, perms_needed, []

    @admin.action(description=_("Delete selected courses (refused for courses with results)"),
                  permissions=["delete"])
    def delete_courses(self, request, queryset):
        deleted = 0
        for course in queryset:
            try:
                services.course_delete(course=course, by=request.user)
                deleted += 1
            except ValidationError as exc:
                self.message_user(request, " ".join(exc.messages), messages.ERROR)
        if deleted:
            self.message_user(request, _("%(count)d course(s) deleted.") % {"count": deleted},
                              messages.SUCCESS)

    # --- bulk registration --------------------------------------------------------------------

    def get_urls(self):
        return [
            path("<path:object_id>/register-department/",
                 self.admin_site.admin_view(self.register_department_view),
                 name="staff_trainingcourse_register_department"),
        ] + super().get_urls()

    @admin_permission("change")
    def register_department_view(self, request, object_id):
        # The admin's own lookup: an id the key cannot hold ("AAA") is a 404, not a 500.
        course = self.get_object(request, object_id)
        if course is None:
            raise Http404
        if not self.has_change_permission(request, course):
            raise PermissionDenied
        form = RegisterDepartmentForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            created = services.course_register_department(
                course=course, department=form.cleaned_data["department"],
                teachers_only=form.cleaned_data["teachers_only"], by=request.user)
            self.message_user(request, registered_message(len(created)), messages.SUCCESS)
            return HttpResponseRedirect(
                reverse("admin:staff_trainingcourse_change", args=[course.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": course,
            "title": _("Register a department for %(course)s") % {"course": course},
            "form": form,
        }
        return TemplateResponse(request, "admin/staff/trainingcourse/register_department.html",
                                context)


@admin.register(Participation)
class ParticipationAdmin(ServiceErrorsMixin, admin.ModelAdmin):
    """All participations, to search and filter; results are recorded on the course page
    or here, through the same service."""

    form = ParticipationInlineForm
    list_display = ("staff", "department", "course", "kind", "result", "completed_on",
                    "certificate_number", "evidence")
    list_filter = ("result", "course__kind", "staff__department")
    list_select_related = ("staff__department", "course")
    search_fields = ("staff__staff_code", "staff__full_name__unaccent", "course__code",
                     "course__title", "certificate_number")
    date_hierarchy = "completed_on"
    readonly_fields = ("course", "certificate_link")
    fields = ("course", "staff", "result", "completed_on", "certificate", "certificate_link",
              "certificate_number", "note")

    def get_fields(self, request, obj=None):
        if self.has_change_permission(request, obj):
            return self.fields
        return tuple(f for f in self.fields if f != "certificate")

    @admin.display(description=_("department"), ordering="staff__department__code")
    def department(self, obj):
        return obj.staff.department

    @admin.display(description=_("kind"), ordering="course__kind")
    def kind(self, obj):
        return obj.course.get_kind_display()

    @admin.display(description=_("certificate file"))
    def evidence(self, obj):
        return certificate_link(obj)

    @admin.display(description=_("stored certificate"))
    def certificate_link(self, obj):
        return certificate_link(obj)

    def has_add_permission(self, request):
        return False  # participants are registered on the course page

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        upload = data.get("certificate")
        services.participation_record_result(
            participation=obj, result=data["result"], completed_on=data.get("completed_on"),
            certificate=upload if isinstance(upload, UploadedFile) else None,
            certificate_number=data.get("certificate_number", ""), note=data.get("note", ""),
            by=request.user,
        )

    def has_delete_permission(self, request, obj=None):
        # A result is a record of fact: only a registration without one can be withdrawn.
        return super().has_delete_permission(request, obj) and (obj is None or not obj.is_result)

    def delete_model(self, request, obj):
        services.participation_withdraw(participation=obj, by=request.user)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions
