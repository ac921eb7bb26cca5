"""Record validation against the contract's schemas, and the envelope's value checks."""

import datetime
import decimal
import re

from vetschool.sync import contract

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


def is_uuid(value) -> bool:
    import uuid

    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return isinstance(value, str)


def is_datetime(value) -> bool:
    if not isinstance(value, str):
        return False
    try:
        datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    return "T" in value
