"""The sandbox's storage: one SQLite file with requests, batches and the latest record
versions, per institution.
"""

import json
import re
import sqlite3
import threading
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

from vetschool.sync import contract

PATH = re.compile(r"^/v1/institutions/(?P<code>[^/]+)/(?P<rest>.*)$")


class Store:
    def __init__(self, path: str | Path):
        if str(path) != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self.lock = threading.Lock()
        with self.lock:
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.executescript("""
                CREATE TABLE IF NOT EXISTS batches (
                    institution TEXT, batch_id TEXT, body_sha TEXT, answer TEXT,
                    received_at TEXT, PRIMARY KEY (institution, batch_id));
                CREATE TABLE IF NOT EXISTS records (
                    institution TEXT, type TEXT, key_text TEXT, key_json TEXT,
                    version INTEGER, deleted INTEGER, data_json TEXT, updated_at TEXT,
                    PRIMARY KEY (institution, type, key_text));
                CREATE TABLE IF NOT EXISTS requests (
                    id INTEGER PRIMARY KEY, at REAL, method TEXT, path TEXT,
                    institution TEXT, status INTEGER, outcome TEXT, batch_id TEXT);
            """)

    def log(self, method, path, status, outcome, batch_id=None) -> None:
        match = PATH.match(urlsplit(path).path)
        institution = unquote(match["code"]) if match else ""
        with self.lock:
            self.db.execute("INSERT INTO requests (at, method, path, institution, status, "
                            "outcome, batch_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
                            (time.time(), method, path, institution, status, outcome, batch_id))

    def stored_batch(self, institution: str, batch_id: str):
        with self.lock:
            return self.db.execute("SELECT body_sha, answer FROM batches WHERE institution = ? "
                                   "AND batch_id = ?", (institution, batch_id)).fetchone()

    def summary(self, institution: str) -> dict:
        types = {}
        with self.lock:
            for name in contract.record_types():
                rows = self.db.execute(
                    "SELECT key_text, version FROM records WHERE institution = ? AND type = ? "
                    "AND deleted = 0 ORDER BY key_text", (institution, name)).fetchall()
                types[name] = {"count": len(rows), "digest": contract.digest(rows)}
        return {"institution_code": institution, "types": types}

    def record(self, institution: str, record_type: str, key_text: str) -> dict | None:
        with self.lock:
            row = self.db.execute(
                "SELECT key_json, version, deleted, data_json FROM records WHERE institution = ? "
                "AND type = ? AND key_text = ?", (institution, record_type, key_text)).fetchone()
        if row is None:
            return None
        return {"type": record_type, "key": json.loads(row[0]), "version": row[1],
                "deleted": bool(row[2]), "data": json.loads(row[3]) if row[3] else None}

    def reset(self, institution: str) -> None:
        with self.lock:
            self.db.execute("DELETE FROM records WHERE institution = ?", (institution,))
            self.db.execute("DELETE FROM batches WHERE institution = ?", (institution,))

    def stats(self, institution: str = "") -> dict:
        """Requests by outcome, batches stored, records accepted (optionally of one code)."""
        where, args = ("WHERE institution = ?", (institution,)) if institution else ("", ())
        with self.lock:
            outcomes = dict(self.db.execute(
                f"SELECT outcome, count(*) FROM requests {where} GROUP BY outcome",  # noqa: S608
                args).fetchall())
            batches = self.db.execute(f"SELECT count(*) FROM batches {where}",  # noqa: S608
                                      args).fetchone()[0]
            total = "coalesce(sum(json_extract(answer, '$.summary.accepted')), 0)"
            accepted_sql = f"SELECT {total} FROM batches {where}"  # noqa: S608
            accepted = self.db.execute(accepted_sql, args).fetchone()[0]
            replay_where = f"{where} {'AND' if where else 'WHERE'} outcome = 'replay'"
            replayed = [row[0] for row in self.db.execute(
                f"SELECT DISTINCT batch_id FROM requests {replay_where}",  # noqa: S608
                args)]
        return {"requests": outcomes, "batches": batches, "accepted_total": accepted,
                "replayed_batches": replayed}
