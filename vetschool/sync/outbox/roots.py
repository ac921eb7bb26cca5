"""Root objects -> coalesced outbox entries: build each record's latest state and queue
what changed, with a new version.
"""

import logging
from collections.abc import Iterable

from django.db import connection
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL
from django.utils import timezone

from vetschool.sync.models import VERSION_SEQUENCE, Entry, Record
from vetschool.sync.outbox.building import build, encode_json
from vetschool.sync.outbox.common import BUILD_CHUNK, BUILD_ERROR, Tally
from vetschool.sync.registry import RecordType

logger = logging.getLogger(__name__)


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

    versions = next_versions(len(upserts))
    with connection.cursor() as cursor:
        if removed:
            cursor.execute("DELETE FROM sync_record WHERE id = ANY(%s)", [removed])
        if upserts:
            cursor.execute(_RECORDS_SQL, [name, encode_json([
                {"object_pk": u[0], "key": u[1], "key_text": u[2], "version": v,
                 "data_hash": u[4]} for u, v in zip(upserts, versions, strict=True)])])
        if deletes:
            # A key another object holds now (keys swapped, or re-used) must not be deleted.
            cursor.execute("SELECT DISTINCT key_text FROM sync_record WHERE type = %s AND "
                           "key_text = ANY(%s)", [name, [d[2] for d in deletes]])
            held = {row[0] for row in cursor.fetchall()}
            deletes = [d for d in deletes if d[2] not in held]
    delete_versions = next_versions(len(deletes))
    queue = [(u[0], u[1], u[2], "upsert", v, u[3]) for u, v in zip(upserts, versions, strict=True)]
    queue += [(d[0], d[1], d[2], "delete", v, None)
              for d, v in zip(deletes, delete_versions, strict=True)]
    queue_record(record_type, queue, tally, built=built_ok)
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


def next_versions(count: int) -> list[int]:
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


def queue_record(record_type: RecordType, queue: list[tuple], tally: Tally, *,
                 built: list[str] | None = None) -> None:
    """Insert pending entries, or coalesce into the key's pending entry (a newer version).

    `queue` holds (object_pk, key, key_text, op, version, data_json or None); `built` the
    objects just built without error, whose earlier build errors are now moot.
    """
    latest: dict[str, tuple] = {}
    for item in queue:  # one statement may not touch a key twice: keep its latest version
        if item[2] not in latest or latest[item[2]][4] < item[4]:
            latest[item[2]] = item
    items = list(latest.values())
    with connection.cursor() as cursor:
        if items:
            # The data is already JSON text: spliced in rather than decoded and encoded again.
            rows = ",".join(
                f'{{"object_pk":{encode_json(i[0])},"key":{encode_json(i[1])},'
                f'"key_text":{encode_json(i[2])},"op":"{i[3]}",'
                f'"version":{int(i[4])},"data":{i[5] if i[5] is not None else "null"}}}'
                for i in items)
            cursor.execute(_QUEUE_SQL, [record_type.name, record_type.rank, f"[{rows}]"])
        if (items or built) and _has_rejections(cursor, record_type.name):
            # A newer state makes an older rejection moot, and a build that worked an
            # older build error: one statement for both (rejected rows are few, indexed).
            cursor.execute(
                "UPDATE sync_entry SET state = 'superseded', updated_at = now() "
                "WHERE type = %s AND state = 'rejected' AND (key_text = ANY(%s) "
                "OR (reject_code = %s AND object_pk = ANY(%s)))",
                [record_type.name, [i[2] for i in items], BUILD_ERROR, list(built or [])])
    for item in items:
        tally.queued[(record_type.name, item[3])] += 1


def _has_rejections(cursor, name: str) -> bool:
    """Usually there is none: then the chunk's 1000 keys are not sent to look for them."""
    cursor.execute("SELECT EXISTS (SELECT 1 FROM sync_entry WHERE type = %s AND "
                   "state = 'rejected')", [name])
    return cursor.fetchone()[0]


def _record_build_failures(record_type: RecordType, failures: list[tuple[str, str]],
                           tally: Tally) -> None:
    """A record that cannot be built waits, rejected locally, for a person to fix it."""
    pks = [pk for pk, _error in failures]
    Entry.objects.filter(type=record_type.name, state=Entry.State.REJECTED,
                         reject_code=BUILD_ERROR, object_pk__in=pks).update(
        state=Entry.State.SUPERSEDED, updated_at=timezone.now())
    versions = next_versions(len(failures))
    Entry.objects.bulk_create([
        Entry(type=record_type.name, rank=record_type.rank, object_pk=pk, key={},
              key_text=f"#{pk}", op=Entry.Op.UPSERT, version=version,
              state=Entry.State.REJECTED, reject_code=BUILD_ERROR, reject_message=error[:2000])
        for (pk, error), version in zip(failures, versions, strict=True)
    ])
    for pk, error in failures:
        tally.build_errors.append((record_type.name, pk, error))
