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
    if isinstance(value, dict):
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


def canonical_json(value) -> str:
    """Compact JSON with sorted keys, non-ASCII kept, and every Decimal written as the exact
    number its text gives ("7.50" → 7.50): a score never passes through float, and trailing
    zeros survive into the payload and its hash (PostgreSQL jsonb keeps them too)."""
    if isinstance(value, dict):
        items = sorted((str(k), v) for k, v in value.items())
        return "{" + ",".join(f"{json.dumps(k, ensure_ascii=False)}:{canonical_json(v)}"
                              for k, v in items) + "}"
    if isinstance(value, list | tuple):
        return "[" + ",".join(canonical_json(v) for v in value) + "]"
    if isinstance(value, decimal.Decimal):
        if not value.is_finite():
            raise ValueError(f"{value} is not a JSON number")
        # Plain notation (no exponent), as the contract's examples write numbers.
        return format(value, "f")
    if isinstance(value, float):
        raise TypeError("payload numbers are Decimal or int, never float")
    return json.dumps(value, ensure_ascii=False)


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
