"""The admin of the accreditation self-assessment (the QA office): frameworks, criteria and
standards as editable data; cycles with their council and working groups; per-standard
assessments with yearly self-ratings and evidence; the evidence library; the report as PDF and DOCX.

An approved cycle and everything in it read only here; the services and database triggers
refuse changes anyway (docs/quality.md, "Accreditation self-assessment")."""

from __future__ import annotations

from pathlib import Path

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _

from enterprises.models import Enterprise
from quality import selectors_accreditation as selectors
from quality import services_accreditation as services
from quality.models import (
    CouncilMember,
    Criterion,
    Cycle,
    CycleState,
    EvidenceItem,
    Framework,
    Standard,
    StandardAssessment,
    StatisticalReport,
    Survey,
    SurveyState,
    WorkingGroup,
    YearRating,
)
from quality.report_accreditation import cycle_report_pdf
from quality.report_accreditation_docx import DOCX_CONTENT_TYPE, cycle_report_docx
from vetschool.admin import admin_permission
from vetschool.jobs import JobStatus
from vetschool.pdf import pdf_response
from vetschool.uploads import file_download, validate_document

WARNINGS = {
    "few_enterprise_representatives": _("The council has fewer than two enterprise "
                                         "representatives."),
    "no_chair": _("The council has no chair."),
}


class CriterionInline(admin.TabularInline):
    model = Criterion
    fields = ["number", "name", "benchmark_points"]
    extra = 0


@admin.register(Framework)
class FrameworkAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "points_per_standard", "pass_total", "min_criterion_percent",
                    "key_criteria", "key_criterion_percent", "years_college"]
    inlines = [CriterionInline]


class StandardInline(admin.TabularInline):
    model = Standard
    fields = ["number", "text", "text_en"]
    extra = 0


@admin.register(Criterion)
class CriterionAdmin(admin.ModelAdmin):
    list_display = ["framework", "number", "name", "benchmark_points", "standards_count"]
    list_filter = ["framework"]
    inlines = [StandardInline]
    list_select_related = ["framework"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n=Count("standards"))

    @admin.display(description=_("standards"), ordering="n")
    def standards_count(self, criterion):
        return criterion.n


@admin.register(Standard)
class StandardAdmin(admin.ModelAdmin):
    list_display = ["__str__", "text"]
    list_filter = ["criterion__framework", "criterion__number"]
    search_fields = ["text", "text_en"]
    list_select_related = ["criterion__framework"]


class FrozenMixin:
    """Read only once the cycle (`_cycle(obj)`) is approved."""

    def _cycle(self, obj):
        return obj

    def has_change_permission(self, request, obj=None):
        cycle = self._cycle(obj) if obj is not None else None
        if cycle is not None and cycle.is_frozen:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        cycle = self._cycle(obj) if obj is not None else None
        if cycle is not None and cycle.is_frozen:
            return False
        return super().has_delete_permission(request, obj)


class CycleChildInline(FrozenMixin, admin.TabularInline):
    extra = 0

    def has_add_permission(self, request, obj=None):
        if obj is not None and obj.is_frozen:
            return False
        return super().has_add_permission(request, obj)


class CouncilInline(CycleChildInline):
    model = CouncilMember
    fields = ["name", "role", "enterprise_representative", "enterprise"]
    autocomplete_fields = ["enterprise"]


class WorkingGroupInline(CycleChildInline):
    model = WorkingGroup
    fields = ["name", "leader", "standards"]
    filter_horizontal = ["standards"]

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        standards = Standard.objects.select_related("criterion__framework")
        if obj is not None:
            standards = standards.filter(criterion__framework=obj.framework_id)
        formset.form.base_fields["standards"].queryset = standards
        return formset


@admin.register(Cycle)
class CycleAdmin(FrozenMixin, admin.ModelAdmin):
    list_display = ["title", "framework", "level", "assessment_year", "state", "revises"]
    list_filter = ["framework", "state"]
    inlines = [CouncilInline, WorkingGroupInline]
    readonly_fields = ["state", "window_years", "revises", "approved_at", "summary"]
    actions = ["submit", "approve", "send_back", "revise", "copy_evidence"]

    def get_fields(self, request, obj=None):
        fields = ["framework", "title", "level", "assessment_year", "starts_on", "report_due",
                  "ends_on"]
        return fields if obj is None else [*fields, *self.readonly_fields]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else [*self.readonly_fields, "framework", "level"]

    def save_model(self, request, obj, form, change):
        if change:
            services.check_editable(obj)
            obj.save()
            return
        created = services.cycle_create(**{name: form.cleaned_data[name] for name in (
            "framework", "title", "level", "assessment_year", "starts_on", "report_due",
            "ends_on")})
        obj.pk = created.pk
        obj.window_years = created.window_years
        obj._state.adding = False

    @admin.display(description=_("totals"))
    def summary(self, cycle):
        result = selectors.cycle_result(cycle)
        verdict = {True: _("Passes"), False: _("Does not pass"),
                   None: _("Not yet known")}[result.passed]
        missing = "; ".join(
            (str(_("total")) if m.criterion is None else f"{_('criterion')} {m.criterion}")
            + f": {m.points}/{m.required}" for m in result.missing)
        report = reverse("admin:quality_cycle_report", kwargs={"pk": cycle.pk})
        warnings = " ".join(str(WARNINGS[key]) for key in selectors.council_warnings(cycle))
        docx = reverse("admin:quality_cycle_report_docx", kwargs={"pk": cycle.pk})
        return format_html('{} / {} — {}<br>{}<br><strong>{}</strong><br><a href="{}">{}</a>'
                           ' · <a href="{}">{}</a>',
                           result.total, result.maximum, verdict, missing, warnings, report,
                           _("Report (PDF)"), docx, _("Report (DOCX)"))

    def get_urls(self):
        return [path("<int:pk>/report/", self.admin_site.admin_view(self.report_view),
                     name="quality_cycle_report"),
                path("<int:pk>/report.docx", self.admin_site.admin_view(self.report_docx_view),
                     name="quality_cycle_report_docx"),
                *super().get_urls()]

    @admin_permission("view")
    def report_view(self, request, pk):
        cycle = get_object_or_404(Cycle.objects.select_related("framework"), pk=pk)
        return pdf_response(cycle_report_pdf(cycle),
                            f"tu-danh-gia-{cycle.assessment_year}-{cycle.pk}.pdf")

    @admin_permission("view")
    def report_docx_view(self, request, pk):
        cycle = get_object_or_404(Cycle.objects.select_related("framework"), pk=pk)
        response = HttpResponse(cycle_report_docx(cycle), content_type=DOCX_CONTENT_TYPE)
        response["Content-Disposition"] = content_disposition_header(
            True, f"tu-danh-gia-{cycle.assessment_year}-{cycle.pk}.docx")
        return response

    def _advance(self, request, queryset, to):
        for cycle in queryset:
            try:
                services.cycle_advance(cycle, to=to)
            except ValidationError as error:
                self.message_user(request, f"{cycle}: {'; '.join(error.messages)}",
                                  messages.ERROR)
            else:
                self.message_user(request, f"{cycle}: {CycleState(to).label}")

    @admin.action(description=_("Submit for review"), permissions=["change"])
    def submit(self, request, queryset):
        self._advance(request, queryset, CycleState.REVIEW)

    @admin.action(description=_("Approve (freezes the cycle)"), permissions=["change"])
    def approve(self, request, queryset):
        self._advance(request, queryset, CycleState.APPROVED)

    @admin.action(description=_("Send back to draft"), permissions=["change"])
    def send_back(self, request, queryset):
        self._advance(request, queryset, CycleState.DRAFT)

    @admin.action(description=_("Copy the evidence of the latest approved cycle"),
                  permissions=["change"])
    def copy_evidence(self, request, queryset):
        for cycle in queryset:
            source = (Cycle.objects.filter(state=CycleState.APPROVED).exclude(pk=cycle.pk)
                      .order_by("-assessment_year", "-approved_at").first())
            if source is None:
                self.message_user(request, _("No approved cycle to copy from."),
                                  messages.ERROR)
                return
            try:
                made = services.evidence_copy(source=source, target=cycle)
            except ValidationError as error:
                self.message_user(request, f"{cycle}: {'; '.join(error.messages)}",
                                  messages.ERROR)
            else:
                self.message_user(request, _("%(n)s evidence links copied from %(source)s.")
                                  % {"n": made, "source": source})

    @admin.action(description=_("Start a revision (new draft copy)"), permissions=["add"])
    def revise(self, request, queryset):
        for cycle in queryset:
            revision = services.cycle_revise(cycle)
            self.message_user(request, _("Revision started: %(cycle)s") % {"cycle": revision})


class RatingInline(CycleChildInline):
    model = YearRating
    fields = ["year", "met"]

    def _cycle(self, obj):
        return obj.cycle if isinstance(obj, StandardAssessment) else obj.assessment.cycle

    def has_add_permission(self, request, obj=None):
        if obj is not None and obj.cycle.is_frozen:
            return False
        return admin.TabularInline.has_add_permission(self, request, obj)


@admin.register(StandardAssessment)
class StandardAssessmentAdmin(FrozenMixin, admin.ModelAdmin):
    list_display = ["standard", "cycle", "evidence_count"]
    list_filter = ["cycle", "standard__criterion__number"]
    list_select_related = ["standard__criterion__framework", "cycle"]
    fields = ["cycle", "standard", "standard_text", "current_state", "strengths", "weaknesses",
              "improvement_plan", "evidence"]
    readonly_fields = ["cycle", "standard", "standard_text"]
    autocomplete_fields = ["evidence"]
    inlines = [RatingInline]

    def _cycle(self, obj):
        return obj.cycle

    def has_add_permission(self, request):
        return False   # one per standard, made with the cycle

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n=Count("evidence"))

    @admin.display(description=_("evidence"), ordering="n")
    def evidence_count(self, assessment):
        return assessment.n

    @admin.display(description=_("text"))
    def standard_text(self, assessment):
        return assessment.standard.text or assessment.standard.text_en

    def save_model(self, request, obj, form, change):
        services.check_editable(obj.cycle)
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        for rating_form in formset.forms:
            year = rating_form.cleaned_data.get("year")
            if year and year not in form.instance.cycle.years:
                raise ValidationError(_("The year %(year)s is outside the compliance window."),
                                      params={"year": year})
        super().save_formset(request, form, formset, change)


class EvidenceForm(forms.ModelForm):
    placements_of = forms.ModelChoiceField(
        queryset=Enterprise.objects.filter(placements__isnull=False).distinct().order_by("name"),
        required=False, label=_("internship placements at"),
        help_text=_("Files a frozen list of the internship placements at this enterprise "
                    "(XLSX) instead of an uploaded file."))
    # Evidence the system itself holds, filed as a frozen snapshot instead of an upload.
    dashboard_as_of = forms.DateField(
        required=False, label=_("Decision 2222 indicators as of"),
        help_text=_("Files the dashboard's figures on this date (XLSX)."))
    statistical_report = forms.ModelChoiceField(
        queryset=StatisticalReport.objects.filter(status=JobStatus.DONE).defer("figures"),
        required=False, label=_("statistical report"),
        help_text=_("Files a copy of this frozen report's XLSX."))
    survey_results = forms.ModelChoiceField(
        queryset=Survey.objects.filter(state=SurveyState.CLOSED), required=False,
        label=_("survey results"), help_text=_("Files the results of this closed survey (XLSX)."))

    class Meta:
        model = EvidenceItem
        fields = ["first_standard", "title", "issuer", "issued_on", "valid_until", "file",
                  "agreement"]

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and hasattr(upload, "content_type"):   # a new upload, not the stored file
            validate_document(upload)
            upload.seek(0)
        return upload


class EvidenceStateFilter(admin.SimpleListFilter):
    title = _("evidence state")
    parameter_name = "evidence_state"

    def lookups(self, request, model_admin):
        return [("unused", _("Unused")), ("expired", _("Expired"))]

    def queryset(self, request, queryset):
        if self.value() == "unused":
            return queryset.filter(pk__in=selectors.evidence_unused().values("pk"))
        if self.value() == "expired":
            return queryset.filter(valid_until__lt=timezone.localdate())
        return queryset


@admin.register(EvidenceItem)
class EvidenceItemAdmin(admin.ModelAdmin):
    form = EvidenceForm
    list_display = ["code", "title", "issuer", "issued_on", "valid_until", "uses", "file_link"]
    list_filter = [EvidenceStateFilter]
    search_fields = ["code", "title", "issuer"]
    readonly_fields = ["code"]
    raw_id_fields = ["agreement"]
    autocomplete_fields = ["first_standard"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n=Count("assessments"))

    @admin.display(description=_("used by"), ordering="n")
    def uses(self, item):
        return item.n

    def get_readonly_fields(self, request, obj=None):
        return ["code"] if obj is None else ["code", "first_standard"]

    @admin.display(description=_("file"))
    def file_link(self, item):
        if not item.file:
            return "—"
        return format_html('<a href="{}">{}</a>',
                           reverse("admin:quality_evidenceitem_file", kwargs={"pk": item.pk}),
                           _("Download"))

    @staticmethod
    def _system_snapshot(data):
        if data.get("dashboard_as_of"):
            return services.dashboard_snapshot(data["dashboard_as_of"])
        if data.get("statistical_report"):
            return services.report_snapshot(data["statistical_report"])
        if data.get("survey_results"):
            return services.survey_snapshot(data["survey_results"])
        return None

    def get_urls(self):
        return [path("<int:pk>/file/", self.admin_site.admin_view(self.file_view),
                     name="quality_evidenceitem_file"), *super().get_urls()]

    @admin_permission("view")
    def file_view(self, request, pk):
        item = get_object_or_404(EvidenceItem, pk=pk)
        suffix = Path(item.file.name).suffix if item.file else ""
        return file_download(item.file, filename=f"minh-chung-{item.code}{suffix}")

    def save_model(self, request, obj, form, change):
        enterprise = form.cleaned_data.get("placements_of")
        if enterprise is not None and not obj.file:
            snapshot = services.placements_snapshot(enterprise)
            obj.file.save(snapshot.name, snapshot, save=False)
            obj.issuer = obj.issuer or str(enterprise)
            obj.issued_on = obj.issued_on or timezone.localdate()
        snapshot = self._system_snapshot(form.cleaned_data)
        if snapshot is not None and not obj.file:
            obj.file.save(snapshot.name, snapshot, save=False)
            obj.issued_on = obj.issued_on or timezone.localdate()
        if not obj.code:
            obj.code = services.next_evidence_code(obj.first_standard)
        super().save_model(request, obj, form, change)
