"""What the resolver's steps share: its lock, chunk sizes and the tally of what it queued."""

from collections import Counter
from dataclasses import dataclass, field

from django.db import connection

from vetschool.sync import contract

RESOLVER_LOCK = 7_202_209  # pg_advisory_xact_lock key of the resolver
CHANGE_CHUNK = 5000
BUILD_CHUNK = 1000
BUILD_ERROR = "build_error"
ANALYZE_FROM = 10_000


@dataclass
class Tally:
    """What a resolve queued, per (type, op)."""

    queued: Counter = field(default_factory=Counter)
    build_errors: list[tuple[str, str, str]] = field(default_factory=list)  # type, pk, error
    analyzed_at: int = 0  # `total` when the ledger's statistics were last refreshed

    def keep_statistics(self) -> None:
        """Refresh the planner's statistics of the ledger when what this resolve queued
        doubled since the last refresh (from ANALYZE_FROM entries on).

        A first load fills sync_record and sync_entry from empty in one long push; with the
        statistics of an empty table the planner reads every record of the type for each
        chunk (a bitmap scan on the type instead of the (type, object_pk) index), and a push
        of 800,000 records slows down quadratically. Autovacuum may be late or off.
        """
        if self.total >= max(ANALYZE_FROM, 2 * self.analyzed_at):
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE sync_record")
            self.analyzed_at = self.total

    @property
    def total(self) -> int:
        return sum(self.queued.values())

    def lines(self) -> list[str]:
        out = []
        for name in contract.record_types():
            ups, dels = self.queued[(name, "upsert")], self.queued[(name, "delete")]
            if ups or dels:
                out.append(f"{name}: {ups} upsert(s), {dels} delete(s)")
        return out


def lock(*, replayable: bool = False) -> None:
    """Take the resolver lock for the rest of the transaction.

    `replayable`: the transaction only turns data that stays (changes, source rows) into
    entries, so its commit need not wait for the WAL flush (~20 ms on a loaded machine, once
    per chunk of 1000). If PostgreSQL crashes right after, the transaction is lost whole —
    with the change rows it consumed, which come back and are resolved again — and never
    after a later transaction that depends on it (the WAL is flushed in order, so a batch
    formed from its entries, committed synchronously, flushes it first).
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [RESOLVER_LOCK])
        if replayable:
            cursor.execute("SET LOCAL synchronous_commit TO off")
