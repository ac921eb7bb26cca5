"""Certified copies issued from the register and the queue of online copy requests."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from degrees.models import CertifiedCopy, CopyRequest
from degrees.services import requests
from vetschool.admin import ReadOnlyAdminMixin


@admin.register(CertifiedCopy)
class CertifiedCopyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["diploma", "number", "issued_on", "requester_name", "issued_by", "pdf"]
    list_select_related = ["diploma", "issued_by"]
    search_fields = ["diploma__serial_number", "requester_name"]

    @admin.display(description=_("PDF"))
    def pdf(self, obj):
        url = reverse("admin:degrees_diploma_pdf", args=[obj.diploma_id])
        return format_html('<a href="{}?copy={}">{}</a>', url, obj.number, _("print"))


@admin.register(CopyRequest)
class CopyRequestAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The queue of online requests: received → ready (graduate told) → delivered."""

    list_display = ["received_at", "kind", "full_name", "status", "diploma", "copies",
                    "email", "phone"]
    list_filter = ["status", "kind"]
    list_select_related = ["diploma"]
    search_fields = ["full_name", "email", "diploma__serial_number"]
    actions = ["mark_ready", "mark_delivered"]

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm("degrees.change_copyrequest")

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def _apply(self, request, queryset, step):
        done = 0
        for item in queryset:
            try:
                step(request=item, by=request.user)
                done += 1
            except ValidationError as exc:
                self.message_user(request, f"{item}: {' '.join(exc.messages)}", messages.ERROR)
        if done:
            self.message_user(request, _("%(count)s done.") % {"count": done},
                              messages.SUCCESS)

    @admin.action(description=_("Mark ready and tell the graduate"), permissions=["change"])
    def mark_ready(self, request, queryset):
        self._apply(request, queryset, requests.copy_request_ready)

    @admin.action(description=_("Mark delivered"), permissions=["change"])
    def mark_delivered(self, request, queryset):
        self._apply(request, queryset, requests.copy_request_delivered)
