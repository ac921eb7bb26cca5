"""The national API contract, read from the repository's copy of it.

`docs/national-api/openapi.yaml` is the one source of truth for the record types,
their key fields and their schemas: the registry checks app registrations against
it and the sandbox validates records with it. Pure functions, no Django models.
"""

import functools
import hashlib
import re
from collections.abc import Iterable
from pathlib import Path

import yaml

CONTRACT_PATH = Path(__file__).resolve().parents[2] / "docs" / "national-api" / "openapi.yaml"

MAX_BATCH = 1000
# X-Timestamp further than this from the server's clock is refused.
CLOCK_WINDOW_SECONDS = 300
_KEY_DESCRIPTION = re.compile(r"key:\s*([a-z_, ]+)")


@functools.cache
def document() -> dict:
    with CONTRACT_PATH.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def schemas() -> dict:
    return document()["components"]["schemas"]


@functools.cache
def record_types() -> tuple[str, ...]:
    """The record types in the contract's order (which is also the order we send them)."""
    return tuple(schemas()["RecordType"]["enum"])


@functools.cache
def key_fields(record_type: str) -> tuple[str, ...]:
    """A type's key fields, in the order the schema lists them ("key: a, b, c")."""
    description = schemas()[record_type]["description"]
    match = _KEY_DESCRIPTION.search(description)
    if not match:
        raise ValueError(f"the contract names no key for record type {record_type!r}")
    return tuple(name.strip() for name in match.group(1).split(",") if name.strip())


def key_text(key: dict, fields: Iterable[str]) -> str:
    """The record's key fields' values joined with "|" (as /summary and /records use it)."""
    return "|".join(str(key[name]) for name in fields)


def digest(lines: Iterable[tuple[str, int]]) -> str:
    """SHA-256 of "<key>\\t<version>\\n" lines; `lines` must already be sorted by key."""
    sha = hashlib.sha256()
    for key, version in lines:
        sha.update(f"{key}\t{version}\n".encode())
    return sha.hexdigest()


def signature(secret: str, method: str, path: str, timestamp: str, body: bytes) -> str:
    """HMAC-SHA256 over METHOD, PATH, X-Timestamp and the SHA-256 of the body as sent."""
    import hmac

    message = "\n".join([method.upper(), path, timestamp, hashlib.sha256(body).hexdigest()])
    return hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest()
