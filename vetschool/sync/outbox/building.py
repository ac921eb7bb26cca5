"""Building a record: the record type's key and data as canonical JSON, and its hash."""

import datetime
import decimal
import hashlib
import json
import uuid

from vetschool.sync import contract
from vetschool.sync.registry import RecordType


def jsonable(value):
    """Payload values as JSON types: dates ISO, tuples as lists; Decimals stay Decimal, for
    `canonical_json` writes them as exact numbers."""
    kind = type(value)
    if kind in _SCALARS:  # the common case first: a payload is mostly these
        return value
    if kind is dict or isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


_SCALARS = frozenset({str, int, bool, type(None), decimal.Decimal})
# One encoder for every value: `json.dumps(v, ensure_ascii=False)` builds a new JSONEncoder
# per call (~15 µs each, twenty a record: most of a full push's build time once).
encode_json = json.JSONEncoder(ensure_ascii=False).encode
_STRING = json.encoder.encode_basestring  # what that encoder writes for a str (C version)
_LITERALS = {True: "true", False: "false"}


def canonical_json(value) -> str:
    """Compact JSON with sorted keys, non-ASCII kept, and every Decimal written as the exact
    number its text gives ("7.50" → 7.50): a score never passes through float, and trailing
    zeros survive into the payload and its hash (PostgreSQL jsonb keeps them too).

    Byte for byte what `json.dumps(v, sort_keys=True, separators=(",", ":"),
    ensure_ascii=False)` writes for everything but Decimals (the hashes of records queued
    before stay valid); the exact types of a payload take a fast path."""
    kind = type(value)
    if kind is str:
        return _STRING(value)
    if kind is bool:
        return _LITERALS[value]
    if kind is int:
        return int.__repr__(value)
    if value is None:
        return "null"
    if kind is dict or isinstance(value, dict):
        if all(type(k) is str for k in value):
            return "{" + ",".join(f"{_STRING(k)}:{canonical_json(value[k])}"
                                  for k in sorted(value)) + "}"
        items = sorted((str(k), v) for k, v in value.items())
        return "{" + ",".join(f"{_STRING(k)}:{canonical_json(v)}" for k, v in items) + "}"
    if isinstance(value, list | tuple):
        return "[" + ",".join(canonical_json(v) for v in value) + "]"
    if isinstance(value, decimal.Decimal):
        if not value.is_finite():
            raise ValueError(f"{value} is not a JSON number")
        # Plain notation (no exponent), as the contract's examples write numbers.
        return format(value, "f")
    if isinstance(value, float):
        raise TypeError("payload numbers are Decimal or int, never float")
    return encode_json(value)


def build(record_type: RecordType, obj) -> tuple[dict, str, str, str] | None:
    """(key, key_text, data_json, data_hash), or None when the object is not pushable."""
    built = record_type.build(obj)
    if built is None:
        return None
    key, data = built
    fields = record_type.key_fields
    if set(key) != set(fields):
        raise ValueError(f"{record_type.name} key must have exactly {', '.join(fields)}; "
                         f"got {', '.join(sorted(key))}")
    key = {name: jsonable(key[name]) for name in fields}
    if any(value in (None, "") for value in key.values()):
        return None
    data_json = canonical_json(jsonable(data))
    key_text = contract.key_text(key, fields)
    digest = hashlib.sha256(f"{key_text}\n{data_json}".encode()).hexdigest()
    return key, key_text, data_json, digest
