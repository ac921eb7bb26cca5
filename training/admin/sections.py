"""Admin of sections: open them, merge classes, assign teachers, keep the lists."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from staff.models import EmploymentStatus, StaffMember
from training import services
from training.admin.common import (
    LearnerColumns,
    ServiceAdmin,
    admin_page,
    record_formset,
    service_error,
)
from training.forms import AddLearnerForm
from training.models import (
    ClassStatus,
    HomeroomClass,
    Section,
    SectionLearner,
    SectionMeeting,
    TeachingAssignment,
)
from vetschool.admin import ReadOnlyInline, admin_permission
from vetschool.collation import in_roster_order
from vetschool.forms import add_service_errors


class TeachingAssignmentForm(forms.ModelForm):
    class Meta:
        model = TeachingAssignment
        fields = ("staff", "role", "hours")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "staff" in self.fields:
            self.fields["staff"].queryset = StaffMember.objects.filter(
                is_teacher=True, employment_status=EmploymentStatus.ACTIVE).order_by(
                "full_name")

    def validate_unique(self):
        pass  # the service says it in words


class ServiceInlineFormSet(forms.BaseInlineFormSet):
    """Each changed row is tried by its service in a rolled-back savepoint, so that what
    the service refuses (e.g. a timetable clash naming the other section) shows on the row;
    the real save runs in `SectionAdmin.save_formset`."""

    def clean(self):
        super().clean()
        if not self.instance.pk:
            return
        for item in self.forms:
            if (item in self.deleted_forms or not item.has_changed()
                    or not getattr(item, "cleaned_data", None) or item.errors):
                continue
            exc = service_error(lambda item=item: save_inline_row(self.instance, item, None))
            if exc is not None:
                add_service_errors(item, exc)


def save_inline_row(section, item, by):
    """Save one changed row of the teachers or timetable inline through its service."""
    data = item.cleaned_data
    if isinstance(item.instance, SectionMeeting):
        fields = {name: data.get(name) for name in services.timetable.MEETING_FIELDS}
        fields["room"] = fields["room"] or ""
        if item.instance.pk:
            return services.meeting_update(meeting=item.instance, by=by, **fields)
        return services.meeting_add(section=section, by=by, **fields)
    if not data.get("staff"):
        return None
    if item.instance.pk:
        services.teaching_unassign(assignment=item.instance, by=by)
    return services.teaching_assign(section=section, staff=data["staff"], role=data["role"],
                                    hours=data.get("hours"), by=by)


class TeachingAssignmentInline(admin.TabularInline):
    model = TeachingAssignment
    form = TeachingAssignmentForm
    formset = ServiceInlineFormSet
    extra = 1
    fields = ("staff", "role", "hours")
    verbose_name_plural = _("teachers")


class SectionMeetingForm(forms.ModelForm):
    class Meta:
        model = SectionMeeting
        fields = ("weekday", "first_period", "last_period", "first_week", "last_week", "room")

    def validate_unique(self):
        pass  # the service says it in words, naming the section that holds the room


class SectionMeetingInline(admin.TabularInline):
    """The section's weekly slots; a room, teacher or learner booked twice is refused."""

    model = SectionMeeting
    form = SectionMeetingForm
    formset = ServiceInlineFormSet
    extra = 1
    fields = ("weekday", "first_period", "last_period", "first_week", "last_week", "room")
    verbose_name_plural = _("timetable")


class RosterFormSet(forms.BaseInlineFormSet):
    """The list in the roster order of every other page (`vetschool.collation`)."""

    def get_queryset(self):
        if not hasattr(self, "_roster"):
            self._roster = in_roster_order(super().get_queryset(),
                                           lambda sl: sl.enrollment.learner)
        return self._roster


class SectionLearnerInline(LearnerColumns, ReadOnlyInline):
    """The active list, read-only; additions and removals have their own pages."""

    model = SectionLearner
    formset = RosterFormSet
    fk_name = "section"
    fields = ("learner_code", "learner_name", "source", "reason", "added_at", "remove_link")
    readonly_fields = fields
    verbose_name_plural = _("learners on the list")

    def get_queryset(self, request):
        return (super().get_queryset(request).filter(removed_at__isnull=True)
                .select_related("enrollment__learner"))

    @admin.display(description="")
    def remove_link(self, obj):
        url = reverse("admin:training_section_remove_learner", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("take off the list"))


class SectionForm(forms.ModelForm):
    classes = forms.ModelMultipleChoiceField(
        label=_("classes"), required=False,
        queryset=HomeroomClass.objects.filter(status=ClassStatus.ACTIVE).order_by("code"),
        help_text=_("None for a group of individual learners (re-study, improvement)."),
    )
    add_classes = forms.ModelMultipleChoiceField(
        label=_("merge classes into this section"), required=False,
        queryset=HomeroomClass.objects.filter(status=ClassStatus.ACTIVE).order_by("code"),
    )

    class Meta:
        model = Section
        fields = ("module", "semester", "code", "capacity", "practice", "schedule",
                  "delivery_form", "note")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "code" in self.fields:
            self.fields["code"].required = False
            self.fields["code"].help_text = _("Empty: module code and class codes.")
        if "delivery_form" in self.fields:  # empty keeps the default (in person)
            self.fields["delivery_form"].required = False

    def _post_clean(self):
        pass  # the service validates (ServiceAdmin runs it)


@admin.register(Section)
class SectionAdmin(ServiceAdmin):
    form = SectionForm
    list_display = ("code", "module_name", "semester", "class_codes", "learners_total",
                    "teachers", "capacity")
    list_filter = ("semester", "module__kind", "delivery_form", "module__program__occupation")
    search_fields = ("code", "module__code", "module__name_vi")
    autocomplete_fields = ("module",)
    inlines = [TeachingAssignmentInline, SectionMeetingInline, SectionLearnerInline]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("module", "semester", "classes", "code", "capacity", "practice", "schedule",
                    "delivery_form", "note")
        return ("module", "semester", "class_codes", "add_classes", "code", "capacity",
                "practice", "schedule", "delivery_form", "note", "add_learner_link")

    def get_readonly_fields(self, request, obj=None):
        return ("module", "semester", "class_codes", "add_learner_link") if obj else ()

    def get_queryset(self, request):
        return (super().get_queryset(request)
                .select_related("module__program__occupation", "semester__school_year")
                .prefetch_related(
                    Prefetch("classes", queryset=HomeroomClass.objects.order_by("code")),
                    Prefetch("assignments",
                             queryset=TeachingAssignment.objects.select_related("staff")))
                .annotate(learner_total=Count("learners", filter=Q(
                    learners__removed_at__isnull=True), distinct=True)))

    @admin.display(description=_("module"), ordering="module__code")
    def module_name(self, obj):
        return f"{obj.module.code} {obj.module.name_vi}"

    @admin.display(description=_("classes"))
    def class_codes(self, obj):
        return ", ".join(c.code for c in obj.classes.all()) or "—"

    @admin.display(description=_("learners"), ordering="learner_total")
    def learners_total(self, obj):
        return obj.learner_total

    @admin.display(description=_("teachers"))
    def teachers(self, obj):
        return ", ".join(a.staff.full_name for a in obj.assignments.all()) or format_html(
            '<span class="vs-missing">{}</span>', _("none yet"))

    @admin.display(description=_("individual learners"))
    def add_learner_link(self, obj):
        url = reverse("admin:training_section_add_learner", args=[obj.pk])
        return format_html('<a class="addlink" href="{}">{}</a>', url,
                           _("add a learner (re-study, improvement, elective)"))

    def save_service(self, request, obj, data, change):
        if not change:
            return services.section_create(
                module=data["module"], semester=data["semester"],
                classes=list(data.get("classes") or []), code=data.get("code") or "",
                capacity=data.get("capacity"), practice=bool(data.get("practice")),
                schedule=data.get("schedule", ""), note=data.get("note", ""),
                delivery_form=data.get("delivery_form") or "in_person", by=request.user)
        fields = {k: data[k] for k in ("code", "capacity", "practice", "schedule",
                                       "delivery_form", "note") if k in data}
        if not fields.get("code"):
            fields.pop("code", None)
        if not fields.get("delivery_form"):
            fields.pop("delivery_form", None)
        section = services.section_update(section=obj, by=request.user, **fields)
        for homeroom_class in data.get("add_classes") or []:
            section = services.section_class_add(section=section,
                                                 homeroom_class=homeroom_class,
                                                 by=request.user)
        return section

    def save_formset(self, request, form, formset, change):
        if formset.model not in (TeachingAssignment, SectionMeeting):
            return
        section = form.instance
        new, deleted = [], []
        for item in formset.deleted_forms:
            if item.instance.pk:
                if formset.model is SectionMeeting:
                    services.meeting_remove(meeting=item.instance, by=request.user)
                else:
                    services.teaching_unassign(assignment=item.instance, by=request.user)
                deleted.append(item.instance)
        for item in formset.forms:
            if item in formset.deleted_forms or not item.has_changed() or not item.cleaned_data:
                continue
            saved = save_inline_row(section, item, request.user)
            if saved is not None:
                new.append(saved)
        record_formset(formset, new=new, deleted=deleted)

    def delete_model(self, request, obj):
        services.section_delete(section=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for section in queryset:
            services.section_delete(section=section, by=request.user)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/add-learner/", view(self.add_learner_view),
                 name="training_section_add_learner"),
            path("learner/<int:entry_id>/remove/", view(self.remove_learner_view),
                 name="training_section_remove_learner"),
            *super().get_urls(),
        ]

    @admin_permission("training.add_sectionlearner")
    def add_learner_view(self, request, pk):
        section = get_object_or_404(Section.objects.select_related("module", "semester"),
                                    pk=pk)
        form = AddLearnerForm(request.POST if request.method == "POST" else None)
        form.fields["enrollment"].queryset = form.fields["enrollment"].queryset.filter(
            training_program__isnull=False)
        if request.method == "POST" and form.is_valid():
            try:
                services.section_learner_add(section=section, by=request.user,
                                             **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                self.message_user(request, _("Added to %(section)s.") % {"section": section},
                                  messages.SUCCESS)
                return HttpResponseRedirect(reverse("admin:training_section_change",
                                                    args=[pk]))
        return admin_page(request, self, "admin/training/page.html",
                          _("Add a learner to %(section)s") % {"section": section},
                          form=form, submit_label=_("Add"))

    @admin_permission("training.change_sectionlearner")
    def remove_learner_view(self, request, entry_id):
        entry = get_object_or_404(SectionLearner.objects.select_related(
            "section", "enrollment__learner"), pk=entry_id, removed_at__isnull=True)
        form = RemoveLearnerForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            try:
                services.section_learner_remove(entry=entry, reason=form.cleaned_data["reason"],
                                                by=request.user)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return HttpResponseRedirect(reverse("admin:training_section_change",
                                                    args=[entry.section_id]))
        return admin_page(request, self, "admin/training/page.html",
                          _("Take %(learner)s off %(section)s") % {
                              "learner": entry.enrollment.learner.full_name,
                              "section": entry.section},
                          form=form, submit_label=_("Take off the list"))


class RemoveLearnerForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)


@admin.register(TeachingAssignment)
class TeachingAssignmentAdmin(admin.ModelAdmin):
    """Who teaches what, by semester and teacher; assignments are made on the section."""

    list_display = ("staff", "section", "module", "semester", "role", "hours")
    list_filter = ("section__semester", "role", "staff__department")
    list_select_related = ("staff", "section__module", "section__semester__school_year")
    search_fields = ("staff__full_name", "staff__staff_code", "section__code")

    @admin.display(description=_("module"))
    def module(self, obj):
        return obj.section.module.name_vi

    @admin.display(description=_("semester"))
    def semester(self, obj):
        return obj.section.semester

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        services.teaching_unassign(assignment=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for assignment in queryset:
            services.teaching_unassign(assignment=assignment, by=request.user)

