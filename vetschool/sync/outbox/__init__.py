"""The resolver: captured changes -> the records they affect -> coalesced outbox entries.

Runs under one advisory lock (a single resolver at a time), so building a record and
giving it its version happen in the same order as the states they describe: a later
state always gets a higher version. Every write here is in the caller's transaction.

`changes` (changes -> roots), `roots` (roots -> entries), `building` (one record), `full`
(whole types, retries) and `common` (lock, tally); the public names are re-exported here.
"""

from vetschool.sync.outbox.building import build, jsonable
from vetschool.sync.outbox.changes import resolve_all, resolve_changes
from vetschool.sync.outbox.common import (
    ANALYZE_FROM,
    BUILD_CHUNK,
    BUILD_ERROR,
    CHANGE_CHUNK,
    RESOLVER_LOCK,
    Tally,
    lock,
)
from vetschool.sync.outbox.full import enqueue_full, requeue_rejected
from vetschool.sync.outbox.roots import process_roots

__all__ = [
    "ANALYZE_FROM", "BUILD_CHUNK", "BUILD_ERROR", "CHANGE_CHUNK", "RESOLVER_LOCK", "Tally",
    "build", "enqueue_full", "jsonable", "lock", "process_roots", "requeue_rejected",
    "resolve_all", "resolve_changes",
]
