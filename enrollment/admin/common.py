"""Pieces shared by the enrolment admin pages."""

from __future__ import annotations

from django.contrib import admin
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from vetschool.admin import admin_permission
from vetschool.privacy import reveal_page, revealed_recently

STATUS_BADGES = {
    "submitted": "", "changes_requested": "warn", "waitlisted": "warn", "admitted": "ok",
    "rejected": "error", "enrolled": "ok", "studying": "ok", "reserved": "warn",
    "suspended": "warn", "dropped_out": "error", "dismissed": "error", "expelled": "error",
    "transferred": "", "graduated": "ok",
}


def badge(value: str, label) -> str:
    return format_html('<span class="vs-badge {}">{}</span>', STATUS_BADGES.get(value, ""),
                       label)


def ids_from(request) -> list[int]:
    raw = request.GET.get("ids") or request.POST.get("ids") or ""
    return [int(x) for x in raw.split(",") if x.strip().isdigit()]


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class NationalIdRevealMixin:
    """The personal ID is masked on every page; "show" leads to its own page where the
    user gives a reason and POSTs, and the read is logged (who, when, whose, why) in the
    personal-data access log (vetschool.privacy.reveal_page). For a while after that, the
    change form carries the full number so that it can be corrected."""

    def wants_reveal(self, request, obj=None) -> bool:
        return (obj is not None and self.has_change_permission(request, obj)
                and revealed_recently(request, obj))

    def _reveal_url_name(self) -> str:
        opts = self.model._meta
        return f"{opts.app_label}_{opts.model_name}_national_id"

    def get_urls(self):
        return [
            path("<path:object_id>/national-id/",
                 self.admin_site.admin_view(self.national_id_view),
                 name=self._reveal_url_name()),
            *super().get_urls(),
        ]

    @admin_permission("view")
    def national_id_view(self, request, object_id):
        obj = self.get_object(request, object_id)
        if obj is None or not self.has_view_permission(request, obj):
            raise Http404
        opts = self.model._meta
        change_url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change",
                             args=[obj.pk])
        return reveal_page(
            request, subject=obj, value=obj.national_id or "", masked=obj.national_id_masked,
            title=_("Personal ID number of %(name)s") % {"name": obj.full_name},
            back_url=change_url,
            edit_url=change_url if self.has_change_permission(request, obj) else "",
        )

    @admin.display(description=_("personal ID number"))
    def national_id_display(self, obj):
        if not obj or not obj.national_id:
            return "—"
        url = reverse(f"admin:{self._reveal_url_name()}", args=[obj.pk])
        return format_html('{} <a href="{}">{}</a>', obj.national_id_masked, url,
                           _("show the full number (asks why; the read is logged)"))


def admin_page(request, admin_obj, template: str, title: str, **context):
    """Render a custom page inside the admin layout."""
    opts = admin_obj.model._meta
    return render(request, template, {
        **admin_obj.admin_site.each_context(request),
        "opts": opts,
        "title": title,
        "has_view_permission": admin_obj.has_view_permission(request),
        **context,
    })
