"""A local stand-in of the national API: the whole contract, from its own SQLite file.

`python manage.py national_sandbox` serves it for demos and tests; tests may also run it
in a thread (`serve_in_thread`). It checks signatures and timestamps, keeps batches for
idempotent replays (409 for a reused id with another body), keeps per key only the
highest version, validates records against the contract's schemas, and answers /summary,
/batches/{id} and /records/{type}/{key}. Fault switches apply to POST .../batches:
fail-rate (503), throttle-rate (429 + Retry-After), latency, reject-rate, and drop-rate,
which closes the connection AFTER the batch was stored, so the client must replay.

Not in the contract, for tests and demos (no authentication): GET /_sandbox/stats and
POST /_sandbox/reset?institution=CODE (forget an institution: a "ministry-side reset").
"""

import datetime
import decimal
import gzip
import hashlib
import hmac
import json
import logging
import random
import re
import sqlite3
import threading
import time
from dataclasses import dataclass
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from vetschool.sync import contract

logger = logging.getLogger(__name__)

DEFAULT_PORT = 8765
# The demo college's secret (seed_demo stores it); never a real ministry secret.
DEFAULT_SECRET = "vetschool-sandbox-secret"
MAX_BODY = 50 * 1024 * 1024
_PATH = re.compile(r"^/v1/institutions/(?P<code>[^/]+)/(?P<rest>.*)$")
_CODE = re.compile(r"^[A-Z0-9]{2,12}$")


@dataclass
class Faults:
    fail_rate: float = 0.0
    throttle_rate: float = 0.0
    latency_ms: int = 0
    reject_rate: float = 0.0
    drop_rate: float = 0.0
    clock_offset: int = 0  # seconds added to this server's clock (to simulate skew)
    seed: int | None = None


# --- validation --------------------------------------------------------------------------------
# The contract's record schemas use a small subset of JSON Schema; compiling it to plain
# checks keeps the sandbox far faster than a generic validator (it is the benchmark's
# ceiling). A keyword outside the subset fails loudly when the sandbox starts.
_IGNORED = {"description", "title", "examples"}
_TYPES = {
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: (isinstance(v, int) and not isinstance(v, bool))
    or (isinstance(v, float) and v.is_integer()),
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
}
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _is_date(value) -> bool:
    if not isinstance(value, str) or not _DATE.match(value):
        return False
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _resolve(schema: dict, schemas: dict) -> dict:
    while "$ref" in schema:
        ref = schema["$ref"]
        if not ref.startswith("#/components/schemas/"):
            raise ValueError(f"unsupported $ref {ref!r}")
        rest = {k: v for k, v in schema.items() if k != "$ref"}
        schema = {**schemas[ref.rsplit("/", 1)[1]], **rest}
    return schema


def compile_schema(schema: dict, schemas: dict):
    """A function value -> list of (path, message) for the contract's subset of JSON Schema."""
    schema = _resolve(schema, schemas)
    checks = []
    for keyword, arg in schema.items():
        if keyword in _IGNORED or keyword in ("properties", "required", "items"):
            continue
        if keyword == "type":
            names = arg if isinstance(arg, list) else [arg]
            tests = [_TYPES[name] for name in names]
            checks.append(lambda v, t=tests, n=names: None if any(f(v) for f in t)
                          else f"is not of type {' or '.join(n)}")
        elif keyword == "enum":
            checks.append(lambda v, e=arg: None if any(v == x and type(v) is type(x) for x in e)
                          else f"{v!r} is not one of {e}")
        elif keyword == "pattern":
            regex = re.compile(arg)
            checks.append(lambda v, r=regex: None if not isinstance(v, str) or r.search(v)
                          else f"{v!r} does not match {r.pattern!r}")
        elif keyword in ("maxLength", "minLength"):
            sign = 1 if keyword == "maxLength" else -1
            checks.append(lambda v, m=arg, s=sign, k=keyword: None if not isinstance(v, str)
                          or s * len(v) <= s * m else f"breaks {k} {m}")
        elif keyword in ("minimum", "maximum"):
            sign = -1 if keyword == "minimum" else 1
            checks.append(lambda v, m=arg, s=sign, k=keyword: None
                          if not _TYPES["number"](v) or s * v <= s * m else f"{v} breaks {k} {m}")
        elif keyword == "multipleOf":
            step = decimal.Decimal(str(arg))
            checks.append(lambda v, d=step: None if not _TYPES["number"](v)
                          or (decimal.Decimal(str(v)) / d) % 1 == 0
                          else f"{v} is not a multiple of {d}")
        elif keyword == "format":
            if arg == "date":
                checks.append(lambda v: None if not isinstance(v, str) or _is_date(v)
                              else f"{v!r} is not a date")
            elif arg not in ("date-time", "uuid"):
                raise ValueError(f"unsupported format {arg!r}")
        elif keyword in ("minItems", "maxItems"):
            sign = -1 if keyword == "minItems" else 1
            checks.append(lambda v, m=arg, s=sign, k=keyword: None
                          if not isinstance(v, list) or s * len(v) <= s * m else f"{k} {m}")
        else:
            raise ValueError(f"unsupported JSON Schema keyword {keyword!r}")
    properties = {name: compile_schema(sub, schemas)
                  for name, sub in schema.get("properties", {}).items()}
    required = list(schema.get("required", []))
    items = compile_schema(schema["items"], schemas) if "items" in schema else None

    def validate(value, path=""):
        for check in checks:
            problem = check(value)
            if problem:
                return [(path, problem)]
        errors = []
        if isinstance(value, dict):
            errors += [(f"{path}.{name}" if path else name, "is required")
                       for name in required if name not in value]
            for name, sub in properties.items():
                if name in value:
                    errors += sub(value[name], f"{path}.{name}" if path else name)
        if items and isinstance(value, list):
            for index, item in enumerate(value):
                errors += items(item, f"{path}[{index}]")
        return errors

    return validate


class RecordValidator:
    def __init__(self):
        schemas = contract.schemas()
        self._validators = {name: compile_schema(schemas[name], schemas)
                            for name in contract.record_types()}

    def problem(self, record_type: str, document: dict) -> tuple[str, str] | None:
        """(code, message) of the first problem, or None when the record is valid."""
        errors = self._validators[record_type](document)
        if not errors:
            return None
        path, message = sorted(errors)[0]
        field = path.split(".", 1)[0].split("[", 1)[0]
        code = "invalid_national_id" if field == "national_id" else "invalid_record"
        return code, f"{path or 'record'}: {message}"


# --- storage -------------------------------------------------------------------------------------
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
        match = _PATH.match(urlsplit(path).path)
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


# --- the batch ---------------------------------------------------------------------------
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
                return 409, _problem(409, "Batch id already used",
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


def _problem(status: int, title: str, detail: str, kind: str, **extra) -> dict:
    return {"type": f"/problems/{kind}", "title": title, "status": status, "detail": detail,
            **extra}


# --- HTTP ----------------------------------------------------------------------------------
class SandboxServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address, *, store: Store, secret: str, faults: Faults | None = None,
                 verbose: bool = False):
        self.store = store
        self.secret = secret
        self.faults = faults or Faults()
        self.ingestor = Ingestor(store, self.faults)
        self.random = random.Random(self.faults.seed)
        self.random_lock = threading.Lock()
        self.verbose = verbose
        super().__init__(address, Handler)

    def draw(self) -> float:
        with self.random_lock:
            return self.random.random()

    def now(self) -> float:
        return time.time() + self.faults.clock_offset

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: SandboxServer

    def log_message(self, format, *args):  # noqa: A002 (the stdlib's name)
        if self.server.verbose:
            super().log_message(format, *args)

    def date_time_string(self, timestamp=None):
        return formatdate(self.server.now() if timestamp is None else timestamp, usegmt=True)

    # --- responses ---
    def _send(self, status: int, payload: dict | None, *, problem=False, headers=None,
              outcome: str = "", batch_id=None):
        body = json.dumps(payload, ensure_ascii=False).encode() if payload is not None else b""
        self.send_response(status)
        ctype = "application/problem+json" if problem else "application/json"
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)
        self.server.store.log(self.command, self.path, status, outcome or str(status), batch_id)

    def _fail(self, status: int, title: str, detail: str, kind: str, **extra):
        self._send(status, _problem(status, title, detail, kind, **extra), problem=True,
                   outcome=kind)

    def _body(self) -> bytes | None:
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            self.close_connection = True
            self._fail(413, "Body too large", f"at most {MAX_BODY} bytes", "too-large")
            return None
        return self.rfile.read(length) if length else b""

    def _authenticated(self, code: str, raw_path: str, body: bytes) -> bool:
        header_code = self.headers.get("X-Institution-Code", "")
        timestamp = self.headers.get("X-Timestamp", "")
        signature = self.headers.get("X-Signature", "")
        if not (header_code and timestamp and signature):
            self._fail(401, "Unauthenticated", "X-Institution-Code, X-Timestamp and "
                       "X-Signature are required", "missing-credentials")
            return False
        if header_code != code or not _CODE.match(code):
            self._fail(401, "Institution mismatch", "X-Institution-Code must match the path's "
                       "code", "institution-mismatch")
            return False
        try:
            skew = int(timestamp) - int(self.server.now())
        except ValueError:
            self._fail(401, "Bad timestamp", "X-Timestamp: Unix seconds", "clock-skew")
            return False
        if abs(skew) > contract.CLOCK_WINDOW_SECONDS:
            self._fail(401, "Clock skew", f"X-Timestamp is {abs(round(skew))} s "
                       f"{'ahead of' if skew > 0 else 'behind'} the server clock (allowed: "
                       f"{contract.CLOCK_WINDOW_SECONDS} s)", "clock-skew",
                       server_time=int(self.server.now()))
            return False
        expected = contract.signature(self.server.secret, self.command, raw_path, timestamp, body)
        if not hmac.compare_digest(expected, signature):
            self._fail(401, "Bad signature", "X-Signature does not match the request",
                       "bad-signature")
            return False
        return True

    # --- routes ---
    def do_GET(self):  # noqa: N802 (stdlib's name)
        parts = urlsplit(self.path)
        if parts.path.startswith("/_sandbox/"):
            return self._sandbox_route(parts)
        match = _PATH.match(parts.path)
        if not match:
            return self._fail(404, "Not found", parts.path, "not-found")
        code, rest = unquote(match["code"]), match["rest"]
        if not self._authenticated(code, parts.path, b""):
            return None
        store = self.server.store
        if rest == "summary":
            return self._send(200, store.summary(code))
        segments = rest.split("/")
        if len(segments) == 2 and segments[0] == "batches":
            known = store.stored_batch(code, unquote(segments[1]))
            if known is None:
                return self._fail(404, "Unknown batch", segments[1], "not-found")
            return self._send(200, json.loads(known[1]))
        if len(segments) == 3 and segments[0] == "records":
            found = store.record(code, unquote(segments[1]), unquote(segments[2]))
            if found is None:
                return self._fail(404, "Unknown record", rest, "not-found")
            return self._send(200, found)
        return self._fail(404, "Not found", parts.path, "not-found")

    def do_POST(self):  # noqa: N802
        parts = urlsplit(self.path)
        body = self._body()
        if body is None:
            return None
        if parts.path.startswith("/_sandbox/"):
            return self._sandbox_route(parts)
        match = _PATH.match(parts.path)
        if not match or match["rest"] != "batches":
            return self._fail(404, "Not found", parts.path, "not-found")
        code = unquote(match["code"])
        if not self._authenticated(code, parts.path, body):
            return None
        faults = self.server.faults
        if faults.latency_ms:
            time.sleep(faults.latency_ms / 1000)
        if faults.fail_rate and self.server.draw() < faults.fail_rate:
            return self._fail(503, "Unavailable", "injected failure (--fail-rate)", "unavailable")
        if faults.throttle_rate and self.server.draw() < faults.throttle_rate:
            return self._send(429, _problem(429, "Too many requests", "slow down", "throttled"),
                              problem=True, headers={"Retry-After": "1"}, outcome="throttled")
        batch = self._parse_batch(body)
        if batch is None:
            return None
        status, answer, replay = self.server.ingestor.ingest(
            code, batch, hashlib.sha256(self._raw_json).hexdigest())
        if status != 200:
            return self._send(status, answer, problem=True, outcome="conflict",
                              batch_id=batch["batch_id"])
        if not replay and faults.drop_rate and self.server.draw() < faults.drop_rate:
            # Stored, but the answer never leaves: the client must replay the batch.
            self.server.store.log("POST", self.path, 0, "dropped", batch["batch_id"])
            self.close_connection = True
            return None
        headers = {"Idempotent-Replay": "true"} if replay else {}
        return self._send(200, answer, headers=headers,
                          outcome="replay" if replay else "stored", batch_id=batch["batch_id"])

    def _parse_batch(self, body: bytes) -> dict | None:
        try:
            raw = gzip.decompress(body) if self.headers.get("Content-Encoding") == "gzip" else body
            batch = json.loads(raw)
        except (OSError, EOFError, ValueError) as exc:
            self._fail(400, "Unreadable body", str(exc)[:200], "bad-request")
            return None
        self._raw_json = raw
        if not isinstance(batch, dict) or not isinstance(batch.get("records"), list):
            self._fail(400, "Invalid batch", "batch_id, generated_at and records are required",
                       "bad-request")
            return None
        if len(batch["records"]) > contract.MAX_BATCH:
            self._fail(413, "Batch too large", f"at most {contract.MAX_BATCH} records",
                       "too-large")
            return None
        problem = None
        if not batch["records"]:
            problem = "records: at least one"
        elif not _is_uuid(batch.get("batch_id")):
            problem = "batch_id: a UUID"
        elif not _is_datetime(batch.get("generated_at")):
            problem = "generated_at: a date-time"
        if problem:
            self._fail(400, "Invalid batch", problem, "bad-request")
            return None
        return batch

    def _sandbox_route(self, parts):
        query = parse_qs(parts.query)
        if parts.path == "/_sandbox/stats":
            return self._send(200, self.server.store.stats(query.get("institution", [""])[0]))
        if parts.path == "/_sandbox/reset" and self.command == "POST":
            institution = query.get("institution", [""])[0]
            self.server.store.reset(institution)
            return self._send(200, {"reset": institution})
        if parts.path == "/_sandbox/health":
            return self._send(200, {"status": "ok"})
        return self._fail(404, "Not found", parts.path, "not-found")


def _is_uuid(value) -> bool:
    import uuid

    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return isinstance(value, str)


def _is_datetime(value) -> bool:
    if not isinstance(value, str):
        return False
    try:
        datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    return "T" in value


def make_server(*, host: str = "127.0.0.1", port: int = DEFAULT_PORT, db: str | Path,
                secret: str = DEFAULT_SECRET, faults: Faults | None = None,
                verbose: bool = False) -> SandboxServer:
    return SandboxServer((host, port), store=Store(db), secret=secret, faults=faults,
                         verbose=verbose)


def serve_in_thread(**kwargs) -> SandboxServer:
    """Start a sandbox in a daemon thread (port 0 = any free port); `.shutdown()` stops it."""
    kwargs.setdefault("port", 0)
    server = make_server(**kwargs)
    threading.Thread(target=server.serve_forever, daemon=True, name="national-sandbox").start()
    return server
