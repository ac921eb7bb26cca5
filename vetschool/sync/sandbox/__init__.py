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

`server` (HTTP, signatures, routes), `ingest` (one batch), `store` (SQLite), `schema`
(record validation) and `faults` (the switches); the public names are re-exported here.
"""

from vetschool.sync.sandbox.faults import Faults
from vetschool.sync.sandbox.ingest import Ingestor
from vetschool.sync.sandbox.schema import RecordValidator, compile_schema
from vetschool.sync.sandbox.server import (
    DEFAULT_PORT,
    DEFAULT_SECRET,
    MAX_BODY,
    Handler,
    SandboxServer,
    make_server,
    serve_in_thread,
)
from vetschool.sync.sandbox.store import Store

__all__ = [
    "DEFAULT_PORT", "DEFAULT_SECRET", "Faults", "Handler", "Ingestor", "MAX_BODY",
    "RecordValidator", "SandboxServer", "Store", "compile_schema", "make_server",
    "serve_in_thread",
]
