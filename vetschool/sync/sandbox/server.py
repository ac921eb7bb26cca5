"""The HTTP side: signatures, timestamps, fault switches and the routes of the contract."""

import gzip
import hashlib
import hmac
import json
import logging
import random
import re
import threading
import time
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from vetschool.sync import contract
from vetschool.sync.sandbox.faults import Faults
from vetschool.sync.sandbox.ingest import Ingestor, problem_body
from vetschool.sync.sandbox.schema import is_datetime, is_uuid
from vetschool.sync.sandbox.store import PATH, Store

logger = logging.getLogger(__name__)

DEFAULT_PORT = 8765
# The demo college's secret (seed_demo stores it); never a real ministry secret.
DEFAULT_SECRET = "vetschool-sandbox-secret"
MAX_BODY = 50 * 1024 * 1024


_CODE = re.compile(r"^[A-Z0-9]{2,12}$")


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
        self._send(status, problem_body(status, title, detail, kind, **extra), problem=True,
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
        match = PATH.match(parts.path)
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
        match = PATH.match(parts.path)
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
            return self._send(429, problem_body(429, "Too many requests", "slow down", "throttled"),
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
        elif not is_uuid(batch.get("batch_id")):
            problem = "batch_id: a UUID"
        elif not is_datetime(batch.get("generated_at")):
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
