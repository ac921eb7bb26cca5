"""/healthz: database and broker state for load balancers and operators.

The age of the newest backup is reported beside them ("backup": "ok", "stale" or
"missing") but is a warning, not a failure: a load balancer must not take a serving web
process out of rotation because last night's backup failed. Monitoring alerts on it.
"""

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


def _database_state() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any failure means "down"; the text helps the operator
        return f"error: {exc.__class__.__name__}"
    return "ok"


def _broker_state() -> str:
    if not settings.CELERY_BROKER_URL:
        return "eager"
    from vetschool.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:
        return f"error: {exc.__class__.__name__}"
    return "ok"


def _backup_state() -> str:
    from vetschool.backups.status import backup_state

    try:
        return backup_state()
    except Exception as exc:  # the database state above already says why
        return f"error: {exc.__class__.__name__}"


@never_cache
@require_GET
def healthz(request):
    state = {"database": _database_state(), "broker": _broker_state()}
    healthy = all(v in ("ok", "eager") for v in state.values())
    return JsonResponse({"status": "ok" if healthy else "error", **state,
                         "backup": _backup_state()},
                        status=200 if healthy else 503)
