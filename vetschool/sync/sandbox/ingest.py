"""Taking in one batch: replays, versions, validation and the reject switch."""

import datetime
import hashlib
import json

from vetschool.sync import contract
from vetschool.sync.sandbox.faults import Faults
from vetschool.sync.sandbox.schema import RecordValidator
from vetschool.sync.sandbox.store import Store


class Ingestor:
    def __init__(self, store: Store, faults: Faults):
        self.store = store
        self.faults = faults
        self.validator = RecordValidator()

    def _rejected_by_rate(self, record_type, key_text, version) -> bool:
        if not self.faults.reject_rate:
            return False
        token = f"{self.faults.seed}|{record_type}|{key_text}|{version}".encode()
        draw = int(hashlib.sha256(token).hexdigest()[:8], 16) / 0xFFFFFFFF
        return draw < self.faults.reject_rate

    def _check(self, record) -> tuple[dict | None, tuple | None]:
        """(a rejection, None) or (None, (type, op, version, key, key_text, data))."""
        def rejected(message, code="invalid_record"):
            return {"status": "rejected", "code": code, "message": message}, None

        if not isinstance(record, dict):
            return rejected("not an object")
        record_type, op, version, key = (record.get(k) for k in ("type", "op", "version", "key"))
        if record_type not in contract.record_types():
            return rejected(f"unknown record type {record_type!r}")
        if op not in ("upsert", "delete"):
            return rejected("op: upsert|delete")
        if not isinstance(version, int) or isinstance(version, bool) or version < 1:
            return rejected("version: an integer ≥ 1")
        fields = contract.key_fields(record_type)
        if not isinstance(key, dict) or set(key) != set(fields) or any(
                not isinstance(key[f], str | int) or isinstance(key[f], bool) for f in fields):
            return rejected(f"key: exactly {', '.join(fields)}")
        key_text = contract.key_text(key, fields)
        data = record.get("data")
        if op == "upsert":
            if not isinstance(data, dict):
                return rejected("data: required for upsert")
            problem = self.validator.problem(record_type, {**data, **key})
            if problem:
                return rejected(problem[1], problem[0])
            if self._rejected_by_rate(record_type, key_text, version):
                return rejected("rejected by the sandbox (--reject-rate)")
        return None, (record_type, op, version, key, key_text, data)

    def _stored_versions(self, cursor, institution: str, wanted: list[tuple]) -> dict:
        versions = {}
        by_type: dict[str, list[str]] = {}
        for record_type, key_text in wanted:
            by_type.setdefault(record_type, []).append(key_text)
        for record_type, keys in by_type.items():
            for first in range(0, len(keys), 500):
                chunk = keys[first:first + 500]
                marks = ",".join("?" * len(chunk))
                rows = cursor.execute(
                    f"SELECT key_text, version FROM records WHERE institution = ? AND "  # noqa: S608
                    f"type = ? AND key_text IN ({marks})", (institution, record_type, *chunk))
                versions.update({(record_type, k): v for k, v in rows})
        return versions

    def ingest(self, institution: str, batch: dict, body_sha: str) -> tuple[int, dict, bool]:
        """(HTTP status, answer, replay). Stores the batch and its answer atomically."""
        batch_id = str(batch["batch_id"])
        checked = [self._check(record) for record in batch["records"]]  # outside the lock
        with self.store.lock:
            db = self.store.db
            known = db.execute("SELECT body_sha, answer FROM batches WHERE institution = ? AND "
                               "batch_id = ?", (institution, batch_id)).fetchone()
            if known is not None:
                if known[0] == body_sha:
                    return 200, json.loads(known[1]), True
                return 409, problem_body(409, "Batch id already used",
                                     "this batch_id was sent before with another body",
                                     "batch-conflict"), False
            now = datetime.datetime.now(datetime.UTC).isoformat()
            db.execute("BEGIN IMMEDIATE")
            try:
                cursor = db.cursor()
                versions = self._stored_versions(
                    cursor, institution, [(p[0], p[4]) for _r, p in checked if p])
                results, writes = [], {}
                for index, (rejection, parsed) in enumerate(checked):
                    if rejection:
                        results.append({"index": index, **rejection})
                        continue
                    record_type, op, version, key, key_text, data = parsed
                    stored = versions.get((record_type, key_text))
                    if stored is not None and stored >= version:
                        results.append({"index": index, "status": "stale"})
                        continue
                    versions[(record_type, key_text)] = version
                    writes[(record_type, key_text)] = (
                        institution, record_type, key_text, json.dumps(key, ensure_ascii=False),
                        version, 1 if op == "delete" else 0,
                        json.dumps(data, ensure_ascii=False) if op == "upsert" else None, now)
                    results.append({"index": index, "status": "accepted"})
                cursor.executemany(
                    "INSERT OR REPLACE INTO records (institution, type, key_text, key_json, "
                    "version, deleted, data_json, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    list(writes.values()))
                summary = {s: sum(1 for r in results if r["status"] == s)
                           for s in ("accepted", "stale", "rejected")}
                answer = {"batch_id": batch_id, "received_at": now, "results": results,
                          "summary": summary}
                cursor.execute("INSERT INTO batches VALUES (?, ?, ?, ?, ?)",
                               (institution, batch_id, body_sha, json.dumps(answer), now))
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
        return 200, answer, False


def problem_body(status: int, title: str, detail: str, kind: str, **extra) -> dict:
    return {"type": f"/problems/{kind}", "title": title, "status": status, "detail": detail,
            **extra}
