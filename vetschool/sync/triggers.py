"""Database triggers that write a `sync_change` row for every changed source row.

Installed after every `migrate` from the registry (so a new record type or source needs
no migration of its own), dropped from tables that stopped being sources. They are
statement-level triggers with transition tables: one INSERT ... SELECT per statement,
whether the statement came from the admin, the API, `QuerySet.update`, a bulk import
or raw SQL, and they live and die with the writer's transaction.

Not captured: TRUNCATE, and writes made while triggers are disabled
(`session_replication_role = replica`). `sync_national --full` repairs both.
"""

import hashlib
import logging

from django.db import connections

from vetschool.sync import registry

logger = logging.getLogger(__name__)

TRIGGER_PREFIX = "vetschool_sync_"
FUNCTION_PREFIX = "vetschool_sync_capture_"
_EVENTS = {
    "INSERT": "REFERENCING NEW TABLE AS new_rows",
    "UPDATE": "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
    "DELETE": "REFERENCING OLD TABLE AS old_rows",
}


def function_name(table: str) -> str:
    name = FUNCTION_PREFIX + table
    if len(name) > 63:
        name = name[:50] + "_" + hashlib.sha256(table.encode()).hexdigest()[:12]
    return name


def _function_sql(table: str, pk: str, keep_old: bool, qn) -> str:
    pk_column = qn(pk)
    old_value = "to_jsonb(o)" if keep_old else "NULL::jsonb"
    # Identifiers are quoted by the backend; nothing here comes from a user.
    return f"""
CREATE OR REPLACE FUNCTION {qn(function_name(table))}() RETURNS trigger
LANGUAGE plpgsql AS $body$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO sync_change (table_name, row_pk, op)
      SELECT TG_TABLE_NAME, n.{pk_column}::text, 'I' FROM new_rows n;
  ELSIF TG_OP = 'UPDATE' THEN
    INSERT INTO sync_change (table_name, row_pk, op, old)
      SELECT TG_TABLE_NAME, o.{pk_column}::text, 'U', {old_value} FROM old_rows o;
    -- A row whose primary key changed also counts under its new key.
    INSERT INTO sync_change (table_name, row_pk, op)
      SELECT TG_TABLE_NAME, k.pk::text, 'U' FROM (
        SELECT n.{pk_column} AS pk FROM new_rows n
        EXCEPT SELECT o.{pk_column} FROM old_rows o) k;
  ELSE
    INSERT INTO sync_change (table_name, row_pk, op, old)
      SELECT TG_TABLE_NAME, o.{pk_column}::text, 'D', {old_value} FROM old_rows o;
  END IF;
  RETURN NULL;
END
$body$;
"""  # noqa: S608


def install(using: str = "default") -> list[str]:
    """Create or replace the triggers of every source table; drop those no longer needed."""
    connection = connections[using]
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        existing_tables = set(connection.introspection.table_names(cursor))
        if "sync_change" not in existing_tables:
            return []
        wanted = {}
        for table, info in registry.source_tables().items():
            if table not in existing_tables:
                logger.warning("sync: source table %s does not exist yet; no trigger", table)
                continue
            wanted[table] = info
        for table, info in wanted.items():
            cursor.execute(_function_sql(table, info["pk_column"], info["keep_old"], qn))
            for event, referencing in _EVENTS.items():
                cursor.execute(
                    f"CREATE OR REPLACE TRIGGER {qn(TRIGGER_PREFIX + event.lower())} "
                    f"AFTER {event} ON {qn(table)} {referencing} "
                    f"FOR EACH STATEMENT EXECUTE FUNCTION {qn(function_name(table))}()"
                )
        for table in installed_tables(using) - set(wanted):
            _drop(cursor, table, qn)
    return sorted(wanted)


def installed_tables(using: str = "default") -> set[str]:
    with connections[using].cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE t.tgname LIKE %s AND NOT t.tgisinternal",
            [TRIGGER_PREFIX.replace("_", r"\_") + "%"],
        )
        return {row[0] for row in cursor.fetchall()}


def _drop(cursor, table: str, qn) -> None:
    for event in _EVENTS:
        cursor.execute(f"DROP TRIGGER IF EXISTS {qn(TRIGGER_PREFIX + event.lower())} "
                       f"ON {qn(table)}")
    cursor.execute(f"DROP FUNCTION IF EXISTS {qn(function_name(table))}()")


def install_after_migrate(sender, using="default", **kwargs) -> None:
    install(using=using)
