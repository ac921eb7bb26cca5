"""`backup_create`: one generation — a custom-format pg_dump, the uploaded files, the
secrets the database does not hold, and a manifest of checksums and legal-record counts.

The counts and checksums are taken in the same snapshot the dump reads (a REPEATABLE READ
transaction exports it, pg_dump --snapshot imports it), so writes during the backup cannot
make the manifest disagree with the dump.
"""

from __future__ import annotations

import json
import os
import shutil
import tarfile
import tempfile
from pathlib import Path

import psycopg
from django.conf import settings
from django.db import connections
from django.utils import timezone

from vetschool.backups import generations, postgres
from vetschool.backups.models import Backup
from vetschool.backups.registry import legal_tables, secrets

DUMP = "database.dump"
MEDIA = "media.tar.gz"
FORMAT = 1


def backup_create(*, keep: int | None = None, root: Path | None = None) -> Path:
    """Write a generation into `root` (BACKUP_DIR), keep the `keep` (BACKUP_KEEP) newest."""
    root = root or generations.backup_dir()
    keep = settings.BACKUP_KEEP if keep is None else keep
    root.mkdir(parents=True, exist_ok=True)
    now = timezone.now()
    partial = Path(tempfile.mkdtemp(prefix=generations.PARTIAL, dir=root))
    final = root / generations.generation_name(now)
    try:
        _write_generation(partial, now)
        partial.rename(final)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    Backup.objects.create(
        name=final.name, created_at=now,
        size_bytes=sum(path.stat().st_size for path in final.iterdir()),
        manifest_sha256=generations.sha256(final / generations.MANIFEST))
    generations.prune(keep, root)
    return final


def _write_generation(folder: Path, now) -> None:
    folder.chmod(0o700)   # the dump holds personal data, the folder a private key
    settings_dict = connections["default"].settings_dict
    params = postgres.connection_settings(settings_dict)
    database = _dump_with_checksums(folder / DUMP, params)
    _archive_media(folder / MEDIA)
    kept_secrets = _write_secrets(folder)
    files = {path.name: {"sha256": generations.sha256(path), "bytes": path.stat().st_size}
             for path in sorted(folder.iterdir())}
    manifest = {"format": FORMAT, "created": now.isoformat(), "database": database,
                "files": files, "secrets": kept_secrets}
    path = folder / generations.MANIFEST
    path.write_text(json.dumps(manifest, indent=2, ensure_ascii=False), encoding="utf-8")
    path.chmod(0o600)


def _dump_with_checksums(target: Path, params: dict) -> dict:
    with postgres.connect(params) as conn:
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        with conn.transaction():
            snapshot = conn.execute("SELECT pg_export_snapshot()").fetchone()[0]
            version = postgres.server_version(conn)
            tables = {table.name: postgres.table_checksum(conn, table)
                      for table in legal_tables()}
            pg_dump, tool_version = postgres.client_tool("pg_dump", version)
            postgres.run_tool(pg_dump, ["--format=custom", "--compress=6", "--no-password",
                                        f"--snapshot={snapshot}", f"--file={target}"], params)
    target.chmod(0o600)
    return {"name": params["dbname"], "server_version": version,
            "pg_dump_version": tool_version, "legal_records": tables}


def _archive_media(target: Path) -> None:
    media_root = Path(settings.MEDIA_ROOT)
    with tarfile.open(target, "w:gz") as archive:
        if media_root.is_dir():
            archive.add(media_root, arcname="media")
    target.chmod(0o600)


def _write_secrets(folder: Path) -> list[str]:
    kept = []
    for file_name, read in secrets().items():
        text = read()
        if text:
            path = folder / file_name
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as stream:
                stream.write(text)
            kept.append(file_name)
    return kept
