"""`restore_drill`: prove the newest backup restores to the legal records it recorded.

In order: the files against the manifest's checksums (a changed byte fails before anything
is restored); pg_restore into a scratch database on the same server (created and dropped
here); the scratch database's migrations against this code (what `migrate --check` asks);
each legal-record table's row count and checksum against the manifest.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import psycopg
from django.db import connections
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone
from psycopg import sql

from vetschool.backups import generations, postgres
from vetschool.backups.create import DUMP
from vetschool.backups.registry import legal_tables


@dataclass
class TableCheck:
    name: str
    expected_rows: int | None
    rows: int | None
    checksum_equal: bool

    @property
    def passed(self) -> bool:
        return self.checksum_equal and self.rows == self.expected_rows


@dataclass
class DrillReport:
    generation: Path | None = None
    age: timedelta | None = None
    restore_seconds: float | None = None
    problems: list[str] = field(default_factory=list)
    tables: list[TableCheck] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return (self.generation is not None and not self.problems
                and all(check.passed for check in self.tables))

    def lines(self) -> list[str]:
        out = [f"backup: {self.generation.name if self.generation else 'none'}"]
        if self.age is not None:
            out.append(f"backup age: {self.age.total_seconds() / 3600:.1f} h")
        if self.restore_seconds is not None:
            out.append(f"restore seconds: {self.restore_seconds:.1f}")
        for check in self.tables:
            out.append(f"{'PASS' if check.passed else 'FAIL'}  {check.name}: "
                       f"{check.rows} rows (manifest {check.expected_rows}), checksum "
                       f"{'equal' if check.checksum_equal else 'DIFFERS'}")
        out += [f"FAIL  {problem}" for problem in self.problems]
        out.append(f"overall: {'PASS' if self.passed else 'FAIL'}")
        return out


def restore_drill(generation: Path | None = None) -> DrillReport:
    report = DrillReport(generation=generation or generations.newest())
    if report.generation is None:
        report.problems.append(f"no backup in {generations.backup_dir()}")
        return report
    try:
        manifest = generations.read_manifest(report.generation)
        report.age = timezone.now() - datetime.fromisoformat(manifest["created"])
        report.problems += generations.file_problems(report.generation, manifest)
    except (ValueError, KeyError, TypeError) as exc:   # a manifest changed by hand or cut short
        report.problems.append(f"{generations.MANIFEST}: unreadable ({exc.__class__.__name__})")
    if report.problems:
        return report   # a tampered or incomplete backup is not restored at all
    params = postgres.connection_settings(connections["default"].settings_dict)
    scratch = _scratch_name(params["dbname"])
    create_database(params, scratch)
    try:
        started = time.monotonic()
        _restore(report.generation / DUMP, {**params, "dbname": scratch})
        report.restore_seconds = time.monotonic() - started
        report.problems += migration_problems({**params, "dbname": scratch})
        report.tables = _table_checks(manifest, {**params, "dbname": scratch})
    except (RuntimeError, psycopg.Error) as exc:
        report.problems.append(str(exc))
    finally:
        drop_database(params, scratch)
    return report


def _scratch_name(database: str) -> str:
    return f"{database[:30]}_drill_{uuid.uuid4().hex[:12]}"


def _maintenance(params: dict):
    return postgres.connect({**params, "dbname": "postgres"}, autocommit=True)


def create_database(params: dict, name: str) -> None:
    with _maintenance(params) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def drop_database(params: dict, name: str) -> None:
    with _maintenance(params) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
                     .format(sql.Identifier(name)))


def _restore(dump: Path, params: dict) -> None:
    with postgres.connect(params) as conn:
        version = postgres.server_version(conn)
    pg_restore, _version = postgres.client_tool("pg_restore", version)
    postgres.run_tool(pg_restore, ["--no-owner", "--no-privileges", "--exit-on-error",
                                   "--no-password", f"--dbname={params['dbname']}", str(dump)],
                      params)


def migration_problems(params: dict) -> list[str]:
    """What `migrate --check` would refuse: migrations of this code the restored database
    lacks, and migrations it has that this code does not know. Read with the drill's own
    connection, not a Django alias: a scratch database is not a configured database."""
    with postgres.connect(params) as conn:
        applied = {tuple(row) for row in conn.execute("SELECT app, name FROM django_migrations")}
    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    pending = sorted(f"{app}.{name}" for app, name in graph.nodes
                     if (app, name) not in applied
                     and not _replaced_ones_applied(graph.nodes[app, name], applied))
    unknown = sorted(f"{app}.{name}" for app, name in applied
                     if (app, name) not in graph.nodes and not _is_replaced(graph, app, name))
    return ([f"migration not applied in the backup: {name}" for name in pending]
            + [f"migration unknown to this code: {name}" for name in unknown])


def _replaced_ones_applied(migration, applied: set) -> bool:
    """A squashed migration counts as applied when everything it replaces is."""
    return bool(migration.replaces) and all(tuple(key) in applied for key in migration.replaces)


def _is_replaced(graph, app: str, name: str) -> bool:
    return any((app, name) in {tuple(key) for key in migration.replaces}
               for migration in graph.nodes.values())


def _table_checks(manifest: dict, params: dict) -> list[TableCheck]:
    recorded = manifest["database"]["legal_records"]
    checks = []
    with postgres.connect(params) as conn:
        for table in legal_tables():
            expected = recorded.get(table.name)
            found = postgres.table_checksum(conn, table)
            checks.append(TableCheck(
                name=table.name, expected_rows=expected and expected["rows"],
                rows=found["rows"], checksum_equal=bool(expected)
                and expected["md5"] == found["md5"]))
    known = {table.name for table in legal_tables()}
    checks += [TableCheck(name=name, expected_rows=recorded[name]["rows"], rows=None,
                          checksum_equal=False) for name in sorted(set(recorded) - known)]
    return checks
