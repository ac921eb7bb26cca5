"""Reads of the sync ledger: the dashboard, reconciliation and the 2222 indicators."""

import datetime
import hashlib

from django.db import connection
from django.db.models import Count, Min, Q
from django.utils import timezone

from vetschool.sync.models import Batch, Change, Entry, Reconciliation, Record, Run

EMPTY_DIGEST = hashlib.sha256(b"").hexdigest()


def local_summary(record_type: str) -> dict:
    """The college's count and digest of a type, computed like the ministry's /summary:
    SHA-256 of "<key>\t<version>\n" lines of every record it holds, sorted by key (code
    points: the "C" collation of UTF-8). Computed in PostgreSQL, one statement: no row of
    the 800,000 of a big type crosses to Python (`contract.digest` is the same in Python)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*), encode(sha256(convert_to(coalesce(string_agg("
            "key_text || E'\\t' || version::text || E'\\n', '' "
            "ORDER BY key_text COLLATE \"C\", version), ''), 'UTF8')), 'hex') "
            "FROM sync_record WHERE type = %s", [record_type])
        count, digest = cursor.fetchone()
    return {"count": count, "digest": digest}


def outstanding_by_type() -> dict[str, int]:
    """Entries not yet acknowledged (pending, in flight, rejected), per type."""
    rows = (Entry.objects.filter(state__in=[Entry.State.PENDING, Entry.State.IN_FLIGHT,
                                            Entry.State.REJECTED])
            .values("type").annotate(n=Count("id")))
    return {row["type"]: row["n"] for row in rows}


def unresolved_change_count() -> int:
    return Change.objects.count()


def queue_state() -> dict:
    """Counts for the dashboard: what waits, and since when."""
    now = timezone.now()
    entries = Entry.objects.aggregate(
        pending=Count("id", filter=Q(state=Entry.State.PENDING)),
        in_flight=Count("id", filter=Q(state=Entry.State.IN_FLIGHT)),
        rejected=Count("id", filter=Q(state=Entry.State.REJECTED)),
        oldest_pending=Min("created_at", filter=Q(state__in=[Entry.State.PENDING,
                                                             Entry.State.IN_FLIGHT])),
    )
    changes = Change.objects.aggregate(count=Count("id"), oldest=Min("created_at"))
    batches = Batch.objects.filter(state=Batch.State.OPEN).aggregate(
        open=Count("id"), next_attempt=Min("next_attempt_at"))
    oldest = min((t for t in (entries["oldest_pending"], changes["oldest"]) if t), default=None)
    return {
        "changes": changes["count"],
        "pending": entries["pending"],
        "in_flight": entries["in_flight"],
        "rejected": entries["rejected"],
        "open_batches": batches["open"],
        "next_attempt_at": batches["next_attempt"],
        "oldest_pending_at": oldest,
        "oldest_pending_age": (now - oldest) if oldest else None,
    }


def recent_runs(limit: int = 10):
    return Run.objects.select_related("requested_by").order_by("-created_at", "-id")[:limit]


def rejected_entries(limit: int = 50):
    return (Entry.objects.filter(state=Entry.State.REJECTED)
            .only("id", "type", "key_text", "op", "version", "reject_code", "reject_message",
                  "updated_at", "object_pk")
            .order_by("-updated_at", "-id")[:limit])


def latest_reconciliation() -> Reconciliation | None:
    return Reconciliation.objects.order_by("-checked_at", "-id").first()


def nightly_succeeded_since(*, days: int = 7) -> bool:
    """2222 indicator c2: a nightly push succeeded at least once in the last `days` days."""
    since = timezone.now() - datetime.timedelta(days=days)
    return Run.objects.filter(kind=Run.Kind.NIGHTLY, status=Run.Status.SUCCEEDED,
                              finished_at__gte=since).exists()


def acknowledged_object_pks(record_type: str):
    """Objects whose current record the ministry acknowledged (2222 indicator d2)."""
    from django.db.models import F

    return (Record.objects.filter(type=record_type, sent_version__gte=F("version"))
            .values_list("object_pk", flat=True))
