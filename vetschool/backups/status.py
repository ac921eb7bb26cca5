"""How old the newest backup is, for /healthz."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from vetschool.backups.models import Backup


def backup_state() -> str:
    """"ok", "stale" (older than BACKUP_MAX_AGE_HOURS) or "missing"."""
    newest = Backup.objects.order_by("-created_at").values_list("created_at", flat=True).first()
    if newest is None:
        return "missing"
    if timezone.now() - newest > timedelta(hours=settings.BACKUP_MAX_AGE_HOURS):
        return "stale"
    return "ok"
