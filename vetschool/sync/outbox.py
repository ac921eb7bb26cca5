"""The resolver: captured changes -> the records they affect -> coalesced outbox entries.

Runs under one advisory lock (a single resolver at a time), so building a record and
giving it its version happen in the same order as the states they describe: a later
state always gets a higher version. Every write here is in the caller's transaction.
"""

import datetime
import decimal
import hashlib
import json
import logging
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import BooleanField, Exists, OuterRef, TextField
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast
from django.utils import timezone

from vetschool.sync import contract, registry
from vetschool.sync.models import VERSION_SEQUENCE, Entry, Record
from vetschool.sync.registry import RecordType

logger = logging.getLogger(__name__)

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


def lock() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [RESOLVER_LOCK])


# --- building ----------------------------------------------------------------------------
def jsonable(value):
    """Payload values as JSON: dates ISO, Decimals as numbers, tuples as lists."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() and value.as_tuple().exponent >= 0 \
            else float(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


def build(record_type: RecordType, obj) -> tuple[dict, str, str, str] | None:
    """(key, key_text, data_json, data_hash), or None when the object is not pushable."""
    built = record_type.build(obj)
    if built is None:
        return None
    key, data = built
    fields = record_type.key_fields
    if set(key) != set(fields):
        raise ValueError(f"{record_type.name} key must have exactly {', '.join(fields)}; "
                         f"got {', '.join(sorted(key))}")
    key = {name: jsonable(key[name]) for name in fields}
    if any(value in (None, "") for value in key.values()):
        return None
    data_json = json.dumps(jsonable(data), sort_keys=True, separators=(",", ":"),
                           ensure_ascii=False)
    key_text = contract.key_text(key, fields)
    digest = hashlib.sha256(f"{key_text}\n{data_json}".encode()).hexdigest()
    return key, key_text, data_json, digest


# --- changes -> roots ------------------------------------------------------------------------
def resolve_changes(*, limit: int = CHANGE_CHUNK, tally: Tally | None = None) -> int:
    """Resolve one chunk of captured changes; returns how many changes it consumed."""
    tally = tally if tally is not None else Tally()
    with transaction.atomic():
        lock()
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT id, table_name, row_pk, op, old FROM sync_change ORDER BY id "
                "LIMIT %s FOR UPDATE SKIP LOCKED", [limit])
            rows = cursor.fetchall()
        if not rows:
            return 0
        by_table: dict[str, list[tuple]] = defaultdict(list)
        for row in rows:
            by_table[row[1]].append(row)
        tables = registry.source_tables()
        roots: dict[str, set[str]] = defaultdict(set)
        for table, changes in by_table.items():
            info = tables.get(table)
            if info is None:  # a table that stopped being a source
                continue
            for record_type, mapper in info["types"]:
                if mapper is None:
                    roots[record_type.name].update(change[2] for change in changes)
                else:
                    roots[record_type.name].update(_map(info, mapper, changes))
        for name in sorted(roots, key=lambda n: registry.get_type(n).rank):
            process_roots(registry.get_type(name), roots[name], tally=tally)
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM sync_change WHERE id = ANY(%s)", [[r[0] for r in rows]])
    tally.keep_statistics()
    return len(rows)


def resolve_all(*, tally: Tally | None = None) -> Tally:
    tally = tally if tally is not None else Tally()
    while resolve_changes(tally=tally):
        pass
    return tally


def _map(info: dict, mapper, changes: list[tuple]) -> set[str]:
    """Root pks affected by changed rows of a mapped source table (old and current rows)."""
    rows = [json.loads(change[4]) if isinstance(change[4], str) else change[4]
            for change in changes if change[4]]
    pks = list({change[2] for change in changes if change[3] != "D"})
    if pks:
        model = info["model"]
        table = connection.ops.quote_name(model._meta.db_table)
        pk_column = connection.ops.quote_name(info["pk_column"])
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT * FROM {table} WHERE {pk_column}::text = ANY(%s)",  # noqa: S608
                           [pks])
            names = [col[0] for col in cursor.description]
            rows.extend(dict(zip(names, values, strict=True)) for values in cursor.fetchall())
    if isinstance(mapper, str):
        found = (row.get(mapper) for row in rows)
    else:
        found = mapper(rows)
    return {str(pk) for pk in found if pk is not None}


def _any(model, field, values: list) -> RawSQL:
    """`filter(_any(Model, field, list))`: `column = ANY(array)`, one array parameter however
    long the list (an IN list of 1000 placeholders costs more to build than the query
    costs to run). Unlike `IN (SELECT unnest(...))`, whose size the planner guesses (200
    rows) and then joins the whole table before filtering, the planner knows the array's
    length and reads the rows by index: a chunk costs the same at 800,000 rows as at 800.
    """
    qn = connection.ops.quote_name
    # The SQL holds only the model's own table, column and type; the values are a parameter.
    sql = (f"{qn(model._meta.db_table)}.{qn(field.column)} = "  # noqa: S608
           f"ANY(%s::{field.cast_db_type(connection)}[])")
    return RawSQL(sql, (list(values),), output_field=BooleanField())  # noqa: S611


# --- roots -> entries -------------------------------------------------------------------------
def process_roots(record_type: RecordType, pks: Iterable, *, force: bool = False,
                  tally: Tally | None = None) -> None:
    """Build the latest state of these root objects and queue what changed.

    The caller holds the resolver lock (`lock()`) in an open transaction.
    """
    tally = tally if tally is not None else Tally()
    pks = sorted({str(pk) for pk in pks})
    for start in range(0, len(pks), BUILD_CHUNK):
        _process_chunk(record_type, pks[start:start + BUILD_CHUNK], force, tally)


def _process_chunk(record_type: RecordType, pks: list[str], force: bool, tally: Tally) -> None:
    name = record_type.name
    pk_field = record_type.model._meta.pk
    # No ORDER BY: a model's default ordering may sort through several joins for nothing.
    objects = {str(obj.pk): obj for obj in record_type.get_queryset().filter(
        _any(record_type.model, pk_field, [pk_field.to_python(pk) for pk in pks])).order_by()}
    # object_pk -> (id, key, key_text, data_hash) of what was last queued
    object_pk = Record._meta.get_field("object_pk")
    records = {row[1]: (row[0], row[2], row[3], row[4]) for row in
               Record.objects.filter(_any(Record, object_pk, pks), type=name).order_by()
               .values_list("id", "object_pk", "key", "key_text", "data_hash")}
    upserts, deletes, removed, built_ok, failures = [], [], [], [], []
    for pk in pks:
        obj, rec = objects.get(pk), records.get(pk)
        try:
            built = build(record_type, obj) if obj is not None else None
        except Exception as exc:  # one broken record must not stop the others
            logger.exception("sync: cannot build %s %s", name, pk)
            failures.append((pk, f"{exc.__class__.__name__}: {exc}"))
            continue
        built_ok.append(pk)
        if built is None:
            if rec:
                deletes.append((pk, rec[1], rec[2]))
                removed.append(rec[0])
            continue
        key, key_text, data_json, data_hash = built
        if rec and rec[2] == key_text and rec[3] == data_hash and not force:
            continue
        if rec and rec[2] != key_text:
            deletes.append((pk, rec[1], rec[2]))
        upserts.append((pk, key, key_text, data_json, data_hash))

    versions = _next_versions(len(upserts))
    with connection.cursor() as cursor:
        if removed:
            cursor.execute("DELETE FROM sync_record WHERE id = ANY(%s)", [removed])
        if upserts:
            cursor.execute(_RECORDS_SQL, [name, json.dumps([
                {"object_pk": u[0], "key": u[1], "key_text": u[2], "version": v,
                 "data_hash": u[4]} for u, v in zip(upserts, versions, strict=True)],
                ensure_ascii=False)])
        if deletes:
            # A key another object holds now (keys swapped, or re-used) must not be deleted.
            cursor.execute("SELECT DISTINCT key_text FROM sync_record WHERE type = %s AND "
                           "key_text = ANY(%s)", [name, [d[2] for d in deletes]])
            held = {row[0] for row in cursor.fetchall()}
            deletes = [d for d in deletes if d[2] not in held]
    delete_versions = _next_versions(len(deletes))
    queue = [(u[0], u[1], u[2], "upsert", v, u[3]) for u, v in zip(upserts, versions, strict=True)]
    queue += [(d[0], d[1], d[2], "delete", v, None)
              for d, v in zip(deletes, delete_versions, strict=True)]
    _queue(record_type, queue, tally)
    _supersede_build_errors(name, built_ok)
    if failures:
        _record_build_failures(record_type, failures, tally)


# What was queued per object; a new key forgets what the ministry acknowledged of the old.
_RECORDS_SQL = """
INSERT INTO sync_record AS r (type, object_pk, key, key_text, version, data_hash, sent_version,
                              updated_at)
SELECT %s, u.object_pk, u.key, u.key_text, u.version, u.data_hash, NULL, now()
FROM jsonb_to_recordset(%s::jsonb)
     AS u(object_pk text, key jsonb, key_text text, version bigint, data_hash text)
ON CONFLICT (type, object_pk) DO UPDATE SET
    key = EXCLUDED.key, key_text = EXCLUDED.key_text, version = EXCLUDED.version,
    data_hash = EXCLUDED.data_hash, updated_at = now(),
    sent_version = CASE WHEN r.key_text = EXCLUDED.key_text THEN r.sent_version END
"""


def _next_versions(count: int) -> list[int]:
    if not count:
        return []
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT nextval('{VERSION_SEQUENCE}') FROM generate_series(1, %s)",  # noqa: S608
                       [count])
        return sorted(row[0] for row in cursor.fetchall())


_QUEUE_SQL = """
INSERT INTO sync_entry (type, rank, object_pk, key, key_text, op, version, data, state,
                        attempts, last_error, reject_code, reject_message, outcome,
                        created_at, updated_at)
SELECT %s, %s, u.object_pk, u.key, u.key_text, u.op, u.version, u.data,
       'pending', 0, '', '', '', '', now(), now()
FROM jsonb_to_recordset(%s::jsonb)
     AS u(object_pk text, key jsonb, key_text text, op text, version bigint, data jsonb)
ON CONFLICT (type, key_text) WHERE state = 'pending'
DO UPDATE SET op = EXCLUDED.op, version = EXCLUDED.version, data = EXCLUDED.data,
              object_pk = EXCLUDED.object_pk, updated_at = now()
"""


def _queue(record_type: RecordType, queue: list[tuple], tally: Tally) -> None:
    """Insert pending entries, or coalesce into the key's pending entry (a newer version).

    `queue` holds (object_pk, key, key_text, op, version, data_json or None).
    """
    if not queue:
        return
    latest: dict[str, tuple] = {}
    for item in queue:  # one statement may not touch a key twice: keep its latest version
        if item[2] not in latest or latest[item[2]][4] < item[4]:
            latest[item[2]] = item
    items = list(latest.values())
    # The data is already JSON text: splice it in rather than decode and encode it again.
    rows = ",".join(
        f'{{"object_pk":{json.dumps(i[0])},"key":{json.dumps(i[1], ensure_ascii=False)},'
        f'"key_text":{json.dumps(i[2], ensure_ascii=False)},"op":"{i[3]}",'
        f'"version":{int(i[4])},"data":{i[5] if i[5] is not None else "null"}}}'
        for i in items)
    with connection.cursor() as cursor:
        cursor.execute(_QUEUE_SQL, [record_type.name, record_type.rank, f"[{rows}]"])
        # A newer state makes an older rejection moot.
        cursor.execute(
            "UPDATE sync_entry SET state = 'superseded', updated_at = now() "
            "WHERE type = %s AND state = 'rejected' AND key_text = ANY(%s)",
            [record_type.name, [i[2] for i in items]])
    for item in items:
        tally.queued[(record_type.name, item[3])] += 1


def _supersede_build_errors(name: str, pks: list[str]) -> None:
    if pks:
        Entry.objects.filter(type=name, state=Entry.State.REJECTED, reject_code=BUILD_ERROR,
                             object_pk__in=pks).update(state=Entry.State.SUPERSEDED,
                                                       updated_at=timezone.now())


def _record_build_failures(record_type: RecordType, failures: list[tuple[str, str]],
                           tally: Tally) -> None:
    """A record that cannot be built waits, rejected locally, for a person to fix it."""
    pks = [pk for pk, _error in failures]
    Entry.objects.filter(type=record_type.name, state=Entry.State.REJECTED,
                         reject_code=BUILD_ERROR, object_pk__in=pks).update(
        state=Entry.State.SUPERSEDED, updated_at=timezone.now())
    versions = _next_versions(len(failures))
    Entry.objects.bulk_create([
        Entry(type=record_type.name, rank=record_type.rank, object_pk=pk, key={},
              key_text=f"#{pk}", op=Entry.Op.UPSERT, version=version,
              state=Entry.State.REJECTED, reject_code=BUILD_ERROR, reject_message=error[:2000])
        for (pk, error), version in zip(failures, versions, strict=True)
    ])
    for pk, error in failures:
        tally.build_errors.append((record_type.name, pk, error))


# --- whole types -------------------------------------------------------------------------------
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
            lock()
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
            versions = _next_versions(len(deletes))
            for entry, version in zip(deletes, versions, strict=True):
                record_type = registry.get_type(entry.type)
                _queue(record_type, [(entry.object_pk, entry.key, entry.key_text, "delete",
                                      version, None)], tally)
        # What is still rejected has nothing left to send (the object is gone or unpushable).
        Entry.objects.filter(pk__in=[e.pk for e in entries], state=Entry.State.REJECTED).update(
            state=Entry.State.SUPERSEDED, updated_at=timezone.now())
    return tally
