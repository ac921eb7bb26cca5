"""Learner records (filtered by their enrolments) and the learner import; enrolments and
their status history are in `enrolments`."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.cache import add_never_cache_headers
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from enrollment import exports, selectors, services
from enrollment.admin.common import NationalIdRevealMixin, admin_page, badge, xlsx_response
from enrollment.forms import ImportForm
from enrollment.models import (
    Enrollment,
    EnrollmentStatus,
    Learner,
    LearnerImport,
)
from enrollment.resources import OPTIONAL_COLUMNS, REQUIRED_COLUMNS
from enrollment.services.learners import LEARNER_EDITABLE, EnrolmentResult
from vetschool.admin import ExportPermissionMixin, ReadOnlyInline, admin_permission
from vetschool.forms import add_service_errors
from vetschool.reference.models import Level, Occupation

# Importing learners creates learners and their enrolments.
IMPORT_PERMISSIONS = ("enrollment.add_learner", "enrollment.add_enrollment")
_ENROLMENT_PARAMETERS = {"status": "status", "level": "level",
                         "admission_year": "admission_year", "occupation": "occupation_id"}


class EnrolmentFilter(admin.SimpleListFilter):
    """Filters on a learner's enrolments. Together they select learners having ONE
    enrolment that matches all of them (a college enrolment of 2024, not a college one of
    2025 plus another of 2024); the first filter applied does it for all."""

    def queryset(self, request, queryset):
        if getattr(request, "_enrolment_filtered", False):
            return queryset
        request._enrolment_filtered = True
        conditions = {
            field: request.GET[name] for name, field in _ENROLMENT_PARAMETERS.items()
            if request.GET.get(name)
        }
        if not conditions:
            return queryset
        try:
            enrolments = Enrollment.objects.filter(**conditions)
        except (ValueError, ValidationError) as exc:
            # A year or id the field cannot hold: the changelist's "?e=1", not a 500.
            raise IncorrectLookupParameters(exc) from exc
        return queryset.filter(pk__in=enrolments.values("learner_id"))


class EnrolmentStatusFilter(EnrolmentFilter):
    title = _("enrolment status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return EnrollmentStatus.choices


class EnrolmentLevelFilter(EnrolmentFilter):
    title = _("level")
    parameter_name = "level"

    def lookups(self, request, model_admin):
        return Level.choices


class AdmissionYearFilter(EnrolmentFilter):
    title = _("admission year")
    parameter_name = "admission_year"

    def lookups(self, request, model_admin):
        years = (Enrollment.objects.order_by("-admission_year")
                 .values_list("admission_year", flat=True).distinct())
        return [(y, y) for y in years]


class EnrolmentOccupationFilter(EnrolmentFilter):
    title = _("occupation")
    parameter_name = "occupation"

    def lookups(self, request, model_admin):
        return [(o.pk, str(o)) for o in Occupation.objects.filter(is_active=True)]


class LearnerAdminForm(forms.ModelForm):
    # A one-word full name (a few ethnic-minority names are) is saved once confirmed
    # (vetschool.validators.check_full_name), like on the online application.
    one_word_name_confirmed = forms.BooleanField(
        label=_("The full name is a single word, as on the personal ID card."),
        required=False)

    class Meta:
        model = Learner
        fields = LEARNER_EDITABLE

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        probe = Learner(pk=self.instance.pk, code=self.instance.code)
        for name in LEARNER_EDITABLE:
            setattr(probe, name, data.get(name, getattr(self.instance, name)))
        try:
            services.learner_clean(probe, one_word_name_confirmed=(
                data.get("one_word_name_confirmed") or "full_name" not in self.changed_data))
        except ValidationError as error:
            add_service_errors(self, error)
        else:
            # The cleaned forms (phone, personal ID) are what the service stores.
            for name in ("phone", "national_id"):
                if name in data:
                    data[name] = getattr(probe, name)
        return data


class EnrollmentInline(ReadOnlyInline):
    model = Enrollment
    fields = ("link", "occupation", "level", "admission_year", "mode", "start_date",
              "expected_end_date", "status_badge", "status_date")
    readonly_fields = fields
    show_change_link = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("occupation")

    @admin.display(description=_("enrolment"))
    def link(self, obj):
        url = reverse("admin:enrollment_enrollment_change", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("open"))

    @admin.display(description=_("status"))
    def status_badge(self, obj):
        return badge(obj.status, obj.get_status_display())


@admin.register(Learner)
class LearnerAdmin(ExportPermissionMixin, NationalIdRevealMixin, admin.ModelAdmin):
    form = LearnerAdminForm
    list_display = ("code", "full_name", "masked_id", "date_of_birth", "gender",
                    "current_enrolment", "has_login")
    list_filter = (EnrolmentStatusFilter, EnrolmentOccupationFilter, EnrolmentLevelFilter,
                   AdmissionYearFilter, "gender", "nationality", "province")
    list_select_related = ("user",)
    list_per_page = 50
    show_full_result_count = False
    search_fields = ("code",)  # see get_search_results
    search_help_text = _("Name (with or without accents), learner code, or the full 12-digit "
                         "personal ID number.")
    inlines = [EnrollmentInline]
    actions = ["create_logins", "export_learners"]
    change_list_template = "admin/enrollment/learner/change_list.html"

    class Media:
        css = {"all": ("enrollment/admin.css",)}

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related(Prefetch(
            "enrollments",
            queryset=Enrollment.objects.select_related("occupation").order_by(
                "-admission_year", "-id"),
        ))

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        return selectors.learner_search(queryset, search_term), False

    def get_fieldsets(self, request, obj=None):
        personal = ["code", "full_name", "date_of_birth", "gender"]
        if self.has_change_permission(request, obj):
            personal.insert(2, "one_word_name_confirmed")  # a form field: not for viewers
        personal.append("national_id" if self.wants_reveal(request, obj)
                        else "national_id_display")
        personal += ["ethnic_group", "nationality", "province", "address", "phone", "email"]
        return (
            (_("Personal data"), {"fields": personal}),
            (_("Login"), {"fields": ("login",)}),
            (_("History"), {"fields": ("history_link",)}),
        )

    def get_readonly_fields(self, request, obj=None):
        return ("code", "national_id_display", "login", "history_link")

    @admin.display(description=_("personal ID"))
    def masked_id(self, obj):
        return obj.national_id_masked

    @admin.display(description=_("current enrolment"))
    def current_enrolment(self, obj):
        enrollments = list(obj.enrollments.all())
        if not enrollments:
            return "—"
        e = enrollments[0]
        return format_html("{} · {} · {} {}", e.occupation.code, e.get_level_display(),
                           e.admission_year, badge(e.status, e.get_status_display()))

    @admin.display(description=_("login"), boolean=True)
    def has_login(self, obj):
        return obj.user_id is not None

    @admin.display(description=_("login"))
    def login(self, obj):
        if obj.user_id:
            return format_html("{} ({})", obj.user.username,
                               gettext("active") if obj.user.is_active else gettext("disabled"))
        return gettext("No login yet: use the action “Create logins / new passwords”.")

    @admin.display(description=_("full history"))
    def history_link(self, obj):
        url = reverse("admin:enrollment_learner_history", args=[obj.pk])
        return format_html('<a class="button" href="{}">{}</a>', url,
                           _("Personal data, enrolments and status decisions"))

    def has_add_permission(self, request):
        return False  # learners come from enrolment of applicants, or from the import

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        changes = {name: form.cleaned_data[name] for name in form.changed_data
                   if name in LEARNER_EDITABLE}
        services.learner_update(learner=obj, by=request.user, **changes)

    @admin_permission("view")
    def history_view(self, request, object_id, extra_context=None):
        # The admin's own lookup: an id the key cannot hold ("AAA") is a 404, not a 500.
        learner = self.get_object(request, object_id)
        if learner is None:
            raise Http404
        if not self.has_view_permission(request, learner):
            raise PermissionDenied
        return admin_page(
            request, self, "admin/enrollment/learner/history.html",
            gettext("History of %(learner)s") % {"learner": learner}, learner=learner,
            original=learner, entries=selectors.learner_history(learner),
            enrollments=learner.enrollments.select_related("occupation"),
        )

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("import/", view(self.import_view), name="enrollment_learner_import"),
            path("import/<int:pk>/", view(self.import_status_view),
                 name="enrollment_learner_import_status"),
            path("<int:object_id>/full-history/", view(self.history_view),
                 name="enrollment_learner_history"),
            *super().get_urls(),
        ]

    @admin_permission(*IMPORT_PERMISSIONS)
    def import_view(self, request):
        form = ImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                record = services.learner_import_start(upload=form.cleaned_data["file"],
                                                       dry_run=form.cleaned_data["dry_run"],
                                                       by=request.user)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return redirect("admin:enrollment_learner_import_status", record.pk)
        return admin_page(request, self, "admin/enrollment/learner/import.html",
                          gettext("Import learners"), form=form,
                          required_columns=REQUIRED_COLUMNS, optional_columns=OPTIONAL_COLUMNS,
                          recent=LearnerImport.objects.select_related("created_by")[:10])

    @admin_permission(*IMPORT_PERMISSIONS)
    def import_status_view(self, request, pk):
        record = get_object_or_404(LearnerImport, pk=pk)
        return admin_page(request, self, "admin/enrollment/learner/import_status.html",
                          gettext("Import learners"), record=record,
                          running=record.status in (LearnerImport.Status.QUEUED,
                                                    LearnerImport.Status.RUNNING))

    @admin.action(description=_("Create logins / new passwords"), permissions=["change"])
    def create_logins(self, request, queryset):
        results = []
        for learner in queryset.select_related("user").order_by("code"):
            try:
                username, password = services.learner_login_create(learner=learner,
                                                                   by=request.user)
            except ValidationError as error:
                messages.error(request, f"{learner.code}: {' '.join(error.messages)}")
                continue
            results.append(EnrolmentResult(learner, None, username, password))
        response = admin_page(request, self, "admin/enrollment/enrolment_result.html",
                              gettext("Logins"), results=results)
        add_never_cache_headers(response)  # one-time passwords
        return response

    @admin.action(description=_("Export learners (XLSX)"), permissions=["export"])
    def export_learners(self, request, queryset):
        return xlsx_response(exports.learner_list_xlsx(queryset.select_related("ethnic_group")),
                             "hoc-sinh.xlsx")
