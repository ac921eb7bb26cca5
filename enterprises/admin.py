"""The admin of partner enterprises, agreements and job postings (the training office)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from enterprises import selectors, services
from enterprises.forms import AgreementAdminForm, EnterpriseImportForm
from enterprises.models import Agreement, Contact, Enterprise, JobPosting
from enterprises.models.agreements import ExpiryState
from enterprises.services.imports import REQUIRED_COLUMNS, import_template
from vetschool.admin import ServiceErrorsMixin, admin_permission
from vetschool.imports import UnreadableFile

EXPIRY_CLASS = {ExpiryState.EXPIRED: "error", ExpiryState.EXPIRING: "warning"}


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0
    fields = ["full_name", "position", "phone", "email", "is_mentor", "is_active"]


class AgreementInline(admin.TabularInline):
    model = Agreement
    form = AgreementAdminForm
    extra = 0
    fields = ["number", "signed_on", "starts_on", "ends_on", "internships", "co_teaching",
              "equipment", "recruitment", "council", "file"]
    show_change_link = True


class ExpiryFilter(admin.SimpleListFilter):
    title = _("validity")
    parameter_name = "validity"

    def lookups(self, request, model_admin):
        return [(ExpiryState.ACTIVE, _("In force")), (ExpiryState.EXPIRING, _("Expiring soon")),
                (ExpiryState.EXPIRED, _("Expired"))]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == ExpiryState.ACTIVE:
            return queryset.filter(pk__in=selectors.agreements_in_force(day=today))
        if self.value() == ExpiryState.EXPIRING:
            return queryset.filter(pk__in=selectors.agreements_expiring(today=today))
        if self.value() == ExpiryState.EXPIRED:
            return queryset.filter(ends_on__lt=today)
        return queryset


def expiry_badge(agreement: Agreement):
    state = agreement.expiry_state(timezone.localdate(), selectors.reminder_days())
    label = ExpiryState(state).label
    if agreement.ends_on:
        label = f"{label} ({agreement.ends_on:%d/%m/%Y})"
    css = EXPIRY_CLASS.get(state, "")
    return format_html('<span class="{}">{}</span>', css, label)


@admin.register(Enterprise)
class EnterpriseAdmin(ServiceErrorsMixin, admin.ModelAdmin):
    list_display = ["name", "tax_code", "sector", "province", "occupation_list",
                    "agreements_in_force", "is_active"]
    list_filter = ["is_active", "province", "sector", "occupations"]
    search_fields = ["tax_code"]
    search_help_text = _("Name (with or without accents) or tax code.")
    autocomplete_fields = ["occupations"]
    inlines = [ContactInline, AgreementInline]
    list_select_related = ["province"]
    list_per_page = 50

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("occupations", "agreements")

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        return selectors.enterprise_search(queryset, query=search_term), False

    @admin.display(description=_("occupations taken"))
    def occupation_list(self, enterprise):
        return ", ".join(o.name_vi for o in enterprise.occupations.all()) or "—"

    @admin.display(description=_("agreements in force"))
    def agreements_in_force(self, enterprise):
        today = timezone.localdate()
        return sum(1 for a in enterprise.agreements.all() if a.in_force_on(today))

    def save_formset(self, request, form, formset, change):
        if formset.model is Agreement:
            for agreement in formset.save(commit=False):
                upload = agreement.file if agreement.file and not agreement.file._committed \
                    else None
                services.agreement_save(agreement=agreement, file=upload, by=request.user)
            for obj in formset.deleted_objects:
                obj.delete()
            formset.save_m2m()
            return
        super().save_formset(request, form, formset, change)

    # --- import --------------------------------------------------------------------------

    def get_urls(self):
        urls = [
            path("import/", self.admin_site.admin_view(self.import_view),
                 name="enterprises_enterprise_import"),
            path("import/template.xlsx", self.admin_site.admin_view(self.import_template_view),
                 name="enterprises_enterprise_import_template"),
        ]
        return urls + super().get_urls()

    @admin_permission("add", "change")
    def import_view(self, request):
        report = problems_error = None
        form = EnterpriseImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            upload.seek(0)
            dry_run = "check" in request.POST
            try:
                report = services.enterprise_import(content=upload.read(), filename=upload.name,
                                                    dry_run=dry_run)
            except UnreadableFile as exc:
                form.add_error("file", str(exc))
            else:
                if report.ok and not dry_run:
                    self.message_user(request, _(
                        "Imported: %(new)d new, %(updated)d updated.")
                        % {"new": report.new, "updated": report.updated}, messages.SUCCESS)
                elif not report.ok:
                    problems_error = _("Nothing was imported: fix the rows below and try again.")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Import partner enterprises"),
            "form": form, "report": report, "problems_error": problems_error,
            "required_columns": REQUIRED_COLUMNS,
        }
        return TemplateResponse(request, "admin/enterprises/enterprise/import.html", context)

    @admin_permission("add")
    def import_template_view(self, request):
        response = HttpResponse(
            import_template(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = 'attachment; filename="enterprise-import-template.xlsx"'
        return response


@admin.register(Agreement)
class AgreementAdmin(ServiceErrorsMixin, admin.ModelAdmin):
    form = AgreementAdminForm
    list_display = ["number", "enterprise", "signed_on", "starts_on", "validity", "scope_list"]
    list_filter = [ExpiryFilter, "internships", "recruitment", "council"]
    search_fields = ["number", "enterprise__tax_code", "enterprise__name"]
    autocomplete_fields = ["enterprise"]
    list_select_related = ["enterprise"]
    readonly_fields = ["recorded_by", "reminded_at", "created_at"]
    date_hierarchy = "starts_on"

    @admin.display(description=_("validity"), ordering="ends_on")
    def validity(self, agreement):
        return expiry_badge(agreement)

    @admin.display(description=_("covers"))
    def scope_list(self, agreement):
        return format_html_join(", ", "{}", ((label,) for label in agreement.scope_labels))

    def save_model(self, request, obj, form, change):
        upload = obj.file if obj.file and not obj.file._committed else None
        services.agreement_save(agreement=obj, file=upload, by=request.user)


@admin.register(JobPosting)
class JobPostingAdmin(ServiceErrorsMixin, admin.ModelAdmin):
    list_display = ["title", "employer", "occupation", "province", "deadline", "status",
                    "source"]
    list_filter = ["status", "source", "province", "occupation"]
    search_fields = ["title", "enterprise__name", "enterprise_name", "tax_code"]
    autocomplete_fields = ["enterprise", "occupation"]
    list_select_related = ["enterprise", "occupation", "province"]
    readonly_fields = ["source", "status", "decided_by", "decided_at", "reject_reason",
                       "created_at"]
    actions = ["approve", "close"]

    @admin.display(description=_("enterprise"))
    def employer(self, posting):
        if posting.enterprise_id:
            url = reverse("admin:enterprises_enterprise_change", args=[posting.enterprise_id])
            return format_html('<a href="{}">{}</a>', url, posting.enterprise.name)
        return format_html("{} <small>({})</small>", posting.enterprise_name, _("not a partner"))

    def save_model(self, request, obj, form, change):
        # The form checked the fields; a past deadline of a new posting comes back as a
        # message (ServiceErrorsMixin).
        services.posting_save(posting=obj, by=request.user)

    @admin.action(description=_("Approve and publish the selected postings"),
                  permissions=["change"])
    def approve(self, request, queryset):
        done = failed = 0
        for posting in queryset.filter(status=JobPosting.Status.PENDING):
            services.posting_approve(posting=posting, by=request.user)
            done += 1
        failed = queryset.exclude(status=JobPosting.Status.OPEN).count()
        self.message_user(request, _("%(done)d postings published.") % {"done": done},
                          messages.SUCCESS)
        if failed:
            self.message_user(request, _("%(count)d selected postings were not waiting for "
                                         "approval and were left as they were.")
                              % {"count": failed}, messages.WARNING)

    @admin.action(description=_("Close the selected postings"), permissions=["change"])
    def close(self, request, queryset):
        count = 0
        for posting in queryset.filter(status=JobPosting.Status.OPEN):
            services.posting_close(posting=posting, by=request.user)
            count += 1
        self.message_user(request, _("%(count)d postings closed.") % {"count": count},
                          messages.SUCCESS)
