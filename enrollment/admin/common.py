"""Pieces shared by the enrolment admin pages."""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from vetschool.accounts.services import personal_data_access_log

REVEAL_PARAM = "reveal"
REVEAL_VALUE = "national_id"

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
    """The personal ID is masked on the change page; "show" reveals it and logs the read
    (who, when, which record) in the personal-data access log."""

    def wants_reveal(self, request) -> bool:
        return request.GET.get(REVEAL_PARAM) == REVEAL_VALUE

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None and self.wants_reveal(request) and obj.national_id:
            if not self.has_view_permission(request, obj):
                raise PermissionDenied
            obj._national_id_revealed = True
            if request.method == "GET":
                personal_data_access_log(user=request.user, subject=obj, field="national_id",
                                         path=request.get_full_path())
        return obj

    @admin.display(description=_("personal ID number"))
    def national_id_display(self, obj):
        if not obj or not obj.national_id:
            return "—"
        if getattr(obj, "_national_id_revealed", False):
            return format_html("<strong>{}</strong> <span class='help'>({})</span>",
                               obj.national_id, _("this read is logged"))
        return format_html(
            '{} <a href="?{}={}">{}</a>', obj.national_id_masked, REVEAL_PARAM, REVEAL_VALUE,
            _("show the full number (the read is logged)"),
        )


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
