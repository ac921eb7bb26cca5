"""Admin of the academic calendar; generating a semester's sections starts here."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from training import services
from training.admin.common import ServiceAdmin, admin_page
from training.forms import GenerateSectionsForm
from training.models import SchoolYear, Semester
from vetschool.admin import ReadOnlyInline, admin_permission


class SemesterInline(ReadOnlyInline):
    model = Semester
    fields = ("number", "starts_on", "ends_on", "link")
    readonly_fields = fields
    show_change_link = True

    @admin.display(description=_("sections"))
    def link(self, obj):
        url = reverse("admin:training_section_changelist") + f"?semester__id__exact={obj.pk}"
        return format_html('<a href="{}">{}</a>', url, obj.sections.count())


@admin.register(SchoolYear)
class SchoolYearAdmin(ServiceAdmin):
    list_display = ("__str__", "starts_on", "ends_on")
    fields = ("start_year", "starts_on", "ends_on")
    inlines = [SemesterInline]
    search_fields = ("start_year",)

    def get_readonly_fields(self, request, obj=None):
        return ("start_year",) if obj else ()

    def save_service(self, request, obj, data, change):
        if change:
            return services.school_year_update(school_year=obj, starts_on=data["starts_on"],
                                               ends_on=data["ends_on"], by=request.user)
        return services.school_year_create(start_year=data["start_year"],
                                           starts_on=data["starts_on"],
                                           ends_on=data["ends_on"], by=request.user)


@admin.register(Semester)
class SemesterAdmin(ServiceAdmin):
    list_display = ("__str__", "school_year", "number", "starts_on", "ends_on", "section_count")
    list_filter = ("school_year", "number")
    list_select_related = ("school_year",)
    fields = ("school_year", "number", "starts_on", "ends_on")
    actions = ["generate_sections"]

    def get_readonly_fields(self, request, obj=None):
        return ("school_year", "number") if obj else ()

    def get_queryset(self, request):
        from django.db.models import Count

        return super().get_queryset(request).annotate(section_total=Count("sections"))

    @admin.display(description=_("sections"), ordering="section_total")
    def section_count(self, obj):
        url = reverse("admin:training_section_changelist") + f"?semester__id__exact={obj.pk}"
        return format_html('<a href="{}">{}</a>', url, obj.section_total)

    def save_service(self, request, obj, data, change):
        school_year = obj.school_year if change else data["school_year"]
        return services.semester_save(
            school_year=school_year, number=obj.number if change else data["number"],
            starts_on=data["starts_on"], ends_on=data["ends_on"],
            semester=obj if change else None, by=request.user,
        )

    @admin.action(description=_("Generate the sections from the programs' plans"),
                  permissions=["change"])
    def generate_sections(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("Choose one semester."), messages.WARNING)
            return None
        return HttpResponseRedirect(reverse("admin:training_semester_generate",
                                            args=[queryset.get().pk]))

    def get_urls(self):
        view = self.admin_site.admin_view
        return [path("<int:pk>/generate/", view(self.generate_view),
                     name="training_semester_generate"), *super().get_urls()]

    @admin_permission("training.add_section")
    def generate_view(self, request, pk):
        semester = get_object_or_404(Semester.objects.select_related("school_year"), pk=pk)
        form = GenerateSectionsForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            try:
                result = services.semester_sections_generate(
                    semester=semester, by=request.user,
                    include_electives=form.cleaned_data["include_electives"])
            except ValidationError as exc:
                self.message_user(request, " ".join(exc.messages), messages.ERROR)
            else:
                self.message_user(request, str(result), messages.SUCCESS)
                if result.classes_without_start:
                    self.message_user(request, _(
                        "These classes have no first semester and were left out: %(codes)s")
                        % {"codes": ", ".join(result.classes_without_start)}, messages.WARNING)
                url = reverse("admin:training_section_changelist")
                return HttpResponseRedirect(f"{url}?semester__id__exact={semester.pk}")
        return admin_page(
            request, self, "admin/training/page.html",
            _("Generate the sections of %(semester)s") % {"semester": semester}, form=form,
            intro=_("Every active class gets one section per module its program plans for the "
                    "semester the class is in, with its studying learners. Modules a class "
                    "already takes this semester are left as they are, so running it again "
                    "only adds what is missing."),
            submit_label=_("Generate"),
        )
