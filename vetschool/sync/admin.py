"""The sync's console: a dashboard, the outbox's rejected entries, pushes, configuration.

Writes go through services; national ID numbers in keys are masked.
"""

import re

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from vetschool.admin import ReadOnlyAdminMixin, admin_permission
from vetschool.reference.national_id import mask_national_id
from vetschool.sync import registry, selectors, services
from vetschool.sync.config import current_config
from vetschool.sync.models import Configuration, Dashboard, Entry, Run

PUSH_PERMISSION = "sync.push"
ACTIVE = (Run.Status.QUEUED, Run.Status.RUNNING)
_NATIONAL_ID = re.compile(r"(?<!\d)\d{12}(?!\d)")


def masked_key(key_text: str) -> str:
    return _NATIONAL_ID.sub(lambda m: mask_national_id(m.group(0)), key_text or "")


class ConfigurationForm(forms.ModelForm):
    url = forms.URLField(label=_("national API URL"), required=False, assume_scheme="https")
    secret = forms.CharField(
        label=_("shared secret"), required=False, widget=forms.PasswordInput,
        help_text=_("Leave empty to keep the stored secret. Environment variables "
                    "(NATIONAL_API_SECRET, NATIONAL_API_SECRET_FILE) always win."))

    class Meta:
        model = Configuration
        fields = ["url", "institution_code", "secret"]


@admin.register(Configuration)
class ConfigurationAdmin(admin.ModelAdmin):
    form = ConfigurationForm
    list_display = ["__str__", "url", "institution_code", "updated_at"]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not Configuration.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        secret = form.cleaned_data.get("secret")
        if not secret and change:
            secret = Configuration.objects.get(pk=1).secret
        saved = services.configuration_update(
            url=form.cleaned_data["url"], institution_code=form.cleaned_data["institution_code"],
            secret=secret or "")
        obj.pk = saved.pk
        config = current_config()
        if config.source == "environment":
            messages.warning(request, _("Saved, but NATIONAL_API_URL is set in the environment: "
                                        "the environment's configuration is the one used."))


@admin.register(Entry)
class EntryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["id", "type", "key_masked", "op", "version", "state", "reject_code",
                    "reject_message", "attempts", "updated_at"]
    list_filter = ["state", "type", "reject_code", "op"]
    list_per_page = 50
    actions = ["retry_after_fix"]
    fields = ["type", "key_masked", "op", "version", "state", "outcome", "batch", "attempts",
              "last_error", "reject_code", "reject_message", "created_at", "updated_at",
              "sent_at"]
    readonly_fields = fields
    show_full_result_count = False

    @admin.display(description=_("key"))
    def key_masked(self, obj):
        return masked_key(obj.key_text)

    def has_push_permission(self, request):
        return request.user.has_perm(PUSH_PERMISSION)

    @admin.action(description=_("Retry after fix (rebuild from current data and send)"),
                  permissions=["push"])
    def retry_after_fix(self, request, queryset):
        tally = services.entries_retry(entries=queryset.filter(state=Entry.State.REJECTED),
                                       by=request.user)
        self.message_user(request, ngettext(
            "%(count)d record queued again; the next push or the drain sends it.",
            "%(count)d records queued again; the next push or the drain sends them.",
            tally.total) % {"count": tally.total}, messages.SUCCESS)


@admin.register(Run)
class RunAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["created_at", "kind", "status", "queued", "accepted", "stale", "rejected",
                    "batches", "duration", "error_kind"]
    list_filter = ["kind", "status"]
    list_select_related = ["requested_by"]
    readonly_fields = [f.name for f in Run._meta.fields] + ["duration"]


@admin.register(Dashboard)
class DashboardAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """/admin/sync/dashboard/: the state of the sync on one page."""

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("", wrap(self.dashboard_view), name="sync_dashboard_changelist"),
            path("sync-now/", wrap(self.sync_now_view), name="sync_dashboard_sync_now"),
            path("reconcile/", wrap(self.reconcile_view), name="sync_dashboard_reconcile"),
            path("retry-rejected/", wrap(self.retry_view), name="sync_dashboard_retry"),
        ]

    @admin_permission("view")
    def dashboard_view(self, request):
        config = current_config()
        runs = list(selectors.recent_runs())
        reconciliation = selectors.latest_reconciliation()
        rejected = [(entry, masked_key(entry.key_text)) for entry in selectors.rejected_entries()]
        context = {
            **self.admin_site.each_context(request),
            "title": _("National sync"),
            "opts": self.model._meta,
            "config": config,
            "queue": selectors.queue_state(),
            "runs": runs,
            # A push waits or runs: the page reloads itself to show its progress and errors.
            "refresh_seconds": 5 if any(run.status in ACTIVE for run in runs) else None,
            "rejected": rejected,
            "reconciliation": reconciliation,
            "types": [t.name for t in registry.record_types()],
            "can_push": request.user.has_perm(PUSH_PERMISSION),
            "entries_url": reverse("admin:sync_entry_changelist") + "?state__exact=rejected",
        }
        return TemplateResponse(request, "admin/sync/dashboard.html", context)

    def _require_push(self, request):
        if not request.user.has_perm(PUSH_PERMISSION):
            raise PermissionDenied

    def _back(self):
        return HttpResponseRedirect(reverse("admin:sync_dashboard_changelist"))

    @admin_permission(PUSH_PERMISSION)
    def sync_now_view(self, request):
        return require_POST(self._sync_now)(request)

    def _sync_now(self, request):
        self._require_push(request)
        config = current_config()
        if not config.enabled:
            messages.error(request, config.disabled_reason)
            return self._back()
        run = services.push_request(by=request.user)
        messages.success(request, _("Push #%(id)s requested; this page shows its progress.")
                         % {"id": run.pk})
        return self._back()

    @admin_permission(PUSH_PERMISSION)
    def reconcile_view(self, request):
        return require_POST(self._reconcile)(request)

    def _reconcile(self, request):
        self._require_push(request)
        services.reconcile_request()
        messages.success(request, _("Reconciliation requested: a background worker asks the "
                                    "national database; this page shows the result."))
        return self._back()

    @admin_permission(PUSH_PERMISSION)
    def retry_view(self, request):
        return require_POST(self._retry)(request)

    def _retry(self, request):
        self._require_push(request)
        tally = services.entries_retry(entries=Entry.objects.filter(state=Entry.State.REJECTED),
                                       by=request.user)
        messages.success(request, ngettext(
            "%(count)d record queued again; the next push or the drain sends it.",
            "%(count)d records queued again; the next push or the drain sends them.",
            tally.total) % {"count": tally.total})
        return self._back()
