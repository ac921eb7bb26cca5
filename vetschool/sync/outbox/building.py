"""Building a record: the record type's key and data as canonical JSON, and its hash."""

import datetime
import decimal
import hashlib
import json
import uuid

from vetschool.sync import contract
from vetschool.sync.registry import RecordType


def jsonable(value):
    """Payload values as JSON: dates ISO, Decimals as numbers, tuples as lists."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() and value.as_tuple().exponent >= 0 \
            else float(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


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
    data_json = json.dumps(jsonable(data), sort_keys=True, separators=(",", ":"),
                           ensure_ascii=False)
    key_text = contract.key_text(key, fields)
    digest = hashlib.sha256(f"{key_text}\n{data_json}".encode()).hexdigest()
    return key, key_text, data_json, digest
