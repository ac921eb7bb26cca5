"""Captured changes -> the root objects (records) they affect."""

import json
from collections import defaultdict

from django.db import connection, transaction

from vetschool.sync import registry
from vetschool.sync.outbox.common import CHANGE_CHUNK, Tally, lock
from vetschool.sync.outbox.roots import process_roots


def resolve_changes(*, limit: int = CHANGE_CHUNK, tally: Tally | None = None) -> int:
    """Resolve one chunk of captured changes; returns how many changes it consumed."""
    tally = tally if tally is not None else Tally()
    with transaction.atomic():
        lock(replayable=True)
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
        # The array is cast to the column's type, not the column to text: an index read,
        # not a scan of the whole table for each record type the table is a source of.
        pk_type = model._meta.pk.cast_db_type(connection)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT * FROM {table} WHERE {pk_column} = "  # noqa: S608
                           f"ANY(%s::{pk_type}[])", [pks])
            names = [col[0] for col in cursor.description]
            rows.extend(dict(zip(names, values, strict=True)) for values in cursor.fetchall())
    if isinstance(mapper, str):
        found = (row.get(mapper) for row in rows)
    else:
        found = mapper(rows)
    return {str(pk) for pk in found if pk is not None}
