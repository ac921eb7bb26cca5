"""Admin of homeroom classes: open them from the enrolments, place and move learners."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from training import services
from training.admin.common import LearnerColumns, ServiceAdmin, admin_page
from training.forms import MoveLearnerForm, OpenClassesForm
from training.models import ClassMembership, ClassStatus, HomeroomClass, ProgramStatus
from vetschool.admin import ReadOnlyAdminMixin, ReadOnlyInline, admin_permission
from vetschool.forms import add_service_errors


class MembershipInline(LearnerColumns, ReadOnlyInline):
    """The class's members and their history; moves go through the "move" page."""

    model = ClassMembership
    fk_name = "homeroom_class"
    fields = ("learner_code", "learner_name", "status", "from_date", "to_date", "reason",
              "end_reason", "move_link")
    readonly_fields = fields
    ordering = ("to_date", "enrollment__learner__code")
    verbose_name_plural = _("learners (and former learners)")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("enrollment__learner")

    @admin.display(description=_("enrolment status"))
    def status(self, obj):
        return obj.enrollment.get_status_display()

    @admin.display(description="")
    def move_link(self, obj):
        if obj.to_date is not None:
            return ""
        url = reverse("admin:training_homeroomclass_move", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("move"))


@admin.register(HomeroomClass)
class HomeroomClassAdmin(ServiceAdmin):
    list_display = ("code", "name", "status", "program", "admission_year", "advisor", "members",
                    "capacity", "first_semester")
    list_filter = ("status", "admission_year", "program__occupation__level")
    list_select_related = ("program__occupation", "advisor", "first_semester__school_year")
    search_fields = ("code", "name")
    autocomplete_fields = ("advisor",)
    inlines = [MembershipInline]
    actions = ["fill"]
    fields = ("code", "name", "program", "admission_year", "first_semester", "advisor",
              "capacity", "status", "waiting")
    readonly_fields = ("waiting",)

    def get_readonly_fields(self, request, obj=None):
        return ("program", "admission_year", "waiting") if obj else ("waiting",)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(member_count=Count(
            "memberships", filter=Q(memberships__to_date__isnull=True)))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "program":
            from training.models import Program

            kwargs["queryset"] = Program.objects.filter(
                status=ProgramStatus.ACTIVE).select_related("occupation")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("learners"), ordering="member_count")
    def members(self, obj):
        return obj.member_count

    @admin.display(description=_("waiting for a class"))
    def waiting(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        return services.unplaced_enrollments(program=obj.program,
                                             admission_year=obj.admission_year).count()

    def save_service(self, request, obj, data, change):
        if change:
            fields = {k: data[k] for k in ("code", "name", "advisor", "capacity",
                                           "first_semester", "status") if k in data}
            return services.class_update(homeroom_class=obj, by=request.user, **fields)
        return services.class_create(
            program=data["program"], admission_year=data["admission_year"], code=data["code"],
            name=data.get("name", ""), advisor=data.get("advisor"),
            capacity=data.get("capacity"), first_semester=data.get("first_semester"),
            by=request.user)

    @admin.action(description=_("Place the enrolments waiting for these classes"),
                  permissions=["change"])
    def fill(self, request, queryset):
        for homeroom_class in queryset.filter(status=ClassStatus.ACTIVE):
            try:
                count = services.class_fill(homeroom_class=homeroom_class, by=request.user)
            except ValidationError as exc:
                self.message_user(request, f"{homeroom_class}: {' '.join(exc.messages)}",
                                  messages.ERROR)
            else:
                self.message_user(request, _("%(class_code)s: %(count)s learner(s) placed.")
                                  % {"class_code": homeroom_class.code, "count": count},
                                  messages.SUCCESS)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("open/", view(self.open_view), name="training_homeroomclass_open"),
            path("move/<int:membership_id>/", view(self.move_view),
                 name="training_homeroomclass_move"),
            *super().get_urls(),
        ]

    @admin_permission("view")
    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}),
                         "open_url": reverse("admin:training_homeroomclass_open")}
        return super().changelist_view(request, extra_context)

    @admin_permission("training.add_homeroomclass")
    def open_view(self, request):
        form = OpenClassesForm(request.POST if request.method == "POST" else None, initial={
            "admission_year": timezone.localdate().year, "on": timezone.localdate(),
            "class_size": 35})
        if request.method == "POST" and form.is_valid():
            try:
                classes = services.classes_open(by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                self.message_user(request, _("Opened %(count)s class(es): %(codes)s.") % {
                    "count": len(classes), "codes": ", ".join(c.code for c in classes)},
                    messages.SUCCESS)
                url = reverse("admin:training_homeroomclass_changelist")
                return HttpResponseRedirect(
                    f"{url}?admission_year={form.cleaned_data['admission_year']}")
        return admin_page(
            request, self, "admin/training/page.html", _("Open classes from the enrolments"),
            form=form, submit_label=_("Open the classes"),
            intro=_("The studying enrolments of the program's occupation and admission year "
                    "that are in no class are shared evenly into as many classes as needed; "
                    "they follow this program version from now on."))

    @admin_permission("training.change_homeroomclass")
    def move_view(self, request, membership_id):
        membership = get_object_or_404(
            ClassMembership.objects.select_related("homeroom_class__program",
                                                   "enrollment__learner"),
            pk=membership_id, to_date__isnull=True)
        form = MoveLearnerForm(request.POST if request.method == "POST" else None, initial={
            "enrollment": membership.enrollment_id, "on": timezone.localdate()})
        form.fields["to_class"].queryset = (
            HomeroomClass.objects.filter(status=ClassStatus.ACTIVE,
                                         program__occupation=membership.homeroom_class
                                         .program.occupation)
            .exclude(pk=membership.homeroom_class_id).select_related("program"))
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                services.learner_move(enrollment=membership.enrollment,
                                      to_class=data["to_class"], on=data["on"],
                                      reason=data["reason"], note=data["note"],
                                      decision_number=data["decision_number"],
                                      change_program=data["change_program"], by=request.user)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                self.message_user(request, _("%(learner)s moved to %(class_code)s.") % {
                    "learner": membership.enrollment.learner.full_name,
                    "class_code": data["to_class"].code}, messages.SUCCESS)
                return HttpResponseRedirect(reverse("admin:training_homeroomclass_change",
                                                    args=[data["to_class"].pk]))
        learner = membership.enrollment.learner
        return admin_page(
            request, self, "admin/training/page.html",
            _("Move %(learner)s (%(code)s) from %(class_code)s") % {
                "learner": learner.full_name, "code": learner.code,
                "class_code": membership.homeroom_class.code},
            form=form, submit_label=_("Move"),
            intro=_("The learner leaves the current class on the date given and joins the new "
                    "one; the history is kept, and the section lists of the semesters not yet "
                    "ended follow."))


@admin.register(ClassMembership)
class ClassMembershipAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Class history, read-only: who was in which class when."""

    list_display = ("learner", "homeroom_class", "from_date", "to_date", "reason",
                    "end_reason", "decision_number")
    list_filter = ("reason", "end_reason")
    list_select_related = ("enrollment__learner", "homeroom_class")
    search_fields = ("enrollment__learner__code", "enrollment__learner__full_name",
                     "homeroom_class__code")
    date_hierarchy = "from_date"

    @admin.display(description=_("learner"), ordering="enrollment__learner__code")
    def learner(self, obj):
        return f"{obj.enrollment.learner.code} {obj.enrollment.learner.full_name}"
