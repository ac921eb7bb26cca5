"""Whole record types: a full re-queue (first load, ministry reset) and the retry of
rejected entries.
"""

from collections import defaultdict
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Exists, OuterRef, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from vetschool.sync import registry
from vetschool.sync.models import Entry, Record
from vetschool.sync.outbox.common import BUILD_CHUNK, Tally, lock
from vetschool.sync.outbox.roots import next_versions, process_roots, queue_record
from vetschool.sync.registry import RecordType


def enqueue_full(record_type: RecordType, *, tally: Tally | None = None,
                 progress=None) -> Tally:
    """Re-queue every record of the type (first load, ministry reset), and delete for the
    records the college sent but no longer has. One transaction per chunk."""
    tally = tally if tally is not None else Tally()
    queryset = record_type.get_queryset().order_by("pk")
    last = None
    while True:
        page = queryset if last is None else queryset.filter(pk__gt=last)
        pks = list(page.values_list("pk", flat=True)[:BUILD_CHUNK])
        if not pks:
            break
        with transaction.atomic():
            lock(replayable=True)  # a lost chunk leaves a full push incomplete, not wrong
            process_roots(record_type, pks, force=True, tally=tally)
        tally.keep_statistics()
        last = pks[-1]
        if progress:
            progress()
    # An anti-join (NOT EXISTS), not `NOT IN (subquery)`: past work_mem (4 MB by default,
    # about 100,000 keys) PostgreSQL runs a NOT IN subquery once per outer row.
    live = record_type.get_queryset().order_by().annotate(
        pk_text=Cast("pk", TextField())).filter(pk_text=OuterRef("object_pk"))
    gone = list(Record.objects.filter(type=record_type.name).filter(~Exists(live))
                .values_list("object_pk", flat=True))
    for start in range(0, len(gone), BUILD_CHUNK):
        with transaction.atomic():
            lock()
            process_roots(record_type, gone[start:start + BUILD_CHUNK], tally=tally)
    return tally


def requeue_rejected(entries: Iterable[Entry], *, tally: Tally | None = None) -> Tally:
    """Retry after fix: rebuild each rejected record from today's data, with a new version."""
    tally = tally if tally is not None else Tally()
    entries = [e for e in entries if e.state == Entry.State.REJECTED]
    with transaction.atomic():
        lock()
        by_type: dict[str, set[str]] = defaultdict(set)
        for entry in entries:
            if entry.op == Entry.Op.UPSERT and registry.is_registered(entry.type):
                by_type[entry.type].add(entry.object_pk)
        for name, pks in by_type.items():
            process_roots(registry.get_type(name), pks, force=True, tally=tally)
        deletes = [e for e in entries if e.op == Entry.Op.DELETE]
        if deletes:
            versions = next_versions(len(deletes))
            for entry, version in zip(deletes, versions, strict=True):
                record_type = registry.get_type(entry.type)
                queue_record(record_type, [(entry.object_pk, entry.key, entry.key_text, "delete",
                                      version, None)], tally)
        # What is still rejected has nothing left to send (the object is gone or unpushable).
        Entry.objects.filter(pk__in=[e.pk for e in entries], state=Entry.State.REJECTED).update(
            state=Entry.State.SUPERSEDED, updated_at=timezone.now())
    return tally
