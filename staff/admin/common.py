"""Pieces shared by the staff admin pages."""

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from pghistory.models import MiddlewareEvents

from vetschool.reference.national_id import mask_national_id

MASKED_FIELDS = frozenset({"national_id"})


def certificate_link(participation) -> str:
    if not participation or not participation.pk or not participation.certificate:
        return "—"
    url = reverse("staff:certificate", args=[participation.pk])
    return format_html('<a href="{}">{}</a>', url, _("certificate"))


def courseware_file_link(item) -> str:
    if not item or not item.pk or not item.file:
        return "—"
    url = reverse("staff:courseware-file", args=[item.pk])
    return format_html('<a href="{}">{}</a>', url, _("file"))


def _masked_diff(diff: dict | None) -> list[tuple[str, str, str]]:
    rows = []
    for field, change in (diff or {}).items():
        if field in ("updated_at", "created_at"):
            continue
        before, after = (change + [None, None])[:2] if isinstance(change, list) else (None, change)
        if field in MASKED_FIELDS:
            before = mask_national_id(before) if before else before
            after = mask_national_id(after) if after else after
        rows.append((field, "" if before is None else str(before),
                     "" if after is None else str(after)))
    return rows


def history_panel(obj, *, limit: int = 30) -> str:
    """The latest changes of a record and of the rows that point at it (pghistory)."""
    if not obj or not obj.pk:
        return "—"
    events = (MiddlewareEvents.objects.references(obj).select_related("user")
              .order_by("-pgh_created_at")[:limit])
    rows = [{
        "at": event.pgh_created_at,
        "model": event.pgh_model.split(".")[-1].removesuffix("Event"),
        "label": event.pgh_label,
        "user": event.user,
        "changes": _masked_diff(event.pgh_diff) if event.pgh_label != "insert" else [],
    } for event in events]
    return render_to_string("admin/staff/history_panel.html", {"events": rows})
