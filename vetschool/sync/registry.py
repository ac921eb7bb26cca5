"""Which records the college pushes: each domain app registers its record types here.

An app's `national.py` (discovered like `admin.py`) says, per record type of the
contract, which model a record comes from, how to build it and which other
models' changes affect it::

    from vetschool.sync.registry import record

    @record("learner", model=Learner, sources={Residence: "learner_id"},
            queryset=lambda qs: qs.select_related("ethnic_group"))
    def learner_record(learner):
        if not learner.national_id:
            return None                      # not pushable (no personal ID)
        return {"national_id": learner.national_id}, {"full_name": learner.full_name, ...}

The platform never imports a domain app: it only knows the types registered here.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db import models

from vetschool.sync import contract

# build(obj) -> (key, data), or None when the object is not pushable.
Build = Callable[[models.Model], "tuple[dict, dict] | None"]
# A mapper receives rows of a changed source table (dicts by column name: the old values
# of updated or deleted rows, the current values of inserted or updated ones) and
# returns the primary keys of the root objects whose record they affect. A string names
# the column of the source table that holds the root's primary key.
Mapper = Callable[[list[dict]], Iterable] | str


@dataclass
class RecordType:
    name: str
    model: type[models.Model]
    build: Build
    sources: dict = field(default_factory=dict)
    queryset: Callable[[models.QuerySet], models.QuerySet] | None = None

    @property
    def key_fields(self) -> tuple[str, ...]:
        return contract.key_fields(self.name)

    @property
    def rank(self) -> int:
        """Types are sent in the contract's order (learners before their enrolments...)."""
        return contract.record_types().index(self.name)

    def get_queryset(self) -> models.QuerySet:
        queryset = self.model._default_manager.all()
        return self.queryset(queryset) if self.queryset else queryset

    def source_models(self) -> list[tuple[type[models.Model], Mapper | None]]:
        """(model, mapper) for every table whose changes affect this type; None = the root."""
        out: list[tuple[type[models.Model], Mapper | None]] = [(self.model, None)]
        for source, mapper in self.sources.items():
            out.append((_resolve_model(source), mapper))
        return out


_types: dict[str, RecordType] = {}


def ids_whose_value_changed(rows: list[dict], column: str) -> list:
    """The ids among a mapper's rows (old and current values mixed) whose `column` differs
    between them: for a source that affects its records only through one column, such as
    the learner's personal ID in the key of every record of the learner. An inserted or
    deleted row has one version only and is not counted: the dependent rows' own inserts
    and deletes are captured on their tables."""
    values: dict = {}
    for row in rows:
        values.setdefault(row["id"], set()).add(row.get(column))
    return [pk for pk, seen in values.items() if len(seen) > 1]


def register(name: str, *, model, build: Build, sources: dict | None = None,
             queryset=None, replace: bool = False) -> RecordType:
    """Register a record type; `replace` lets a test fixture stand in for a real type."""
    if name not in contract.record_types():
        raise ImproperlyConfigured(
            f"{name!r} is not a record type of the national contract "
            f"({', '.join(contract.record_types())})."
        )
    if name in _types and not replace:
        raise ImproperlyConfigured(f"record type {name!r} is registered twice.")
    for mapper in (sources or {}).values():
        if not (isinstance(mapper, str) or callable(mapper)):
            raise ImproperlyConfigured(
                f"record type {name!r}: a source maps to a column name or a function."
            )
    record_type = RecordType(name=name, model=_resolve_model(model), build=build,
                             sources=dict(sources or {}), queryset=queryset)
    _types[name] = record_type
    return record_type


def record(name: str, *, model, sources: dict | None = None, queryset=None,
           replace: bool = False):
    """Decorator form of `register`: decorates the build function."""

    def decorator(build: Build) -> Build:
        register(name, model=model, build=build, sources=sources, queryset=queryset,
                 replace=replace)
        return build

    return decorator


def unregister(name: str) -> None:
    _types.pop(name, None)


def record_types() -> list[RecordType]:
    """Registered types in sending order."""
    return sorted(_types.values(), key=lambda t: t.rank)


def get_type(name: str) -> RecordType:
    try:
        return _types[name]
    except KeyError:
        raise ImproperlyConfigured(f"no record type {name!r} is registered.") from None


def is_registered(name: str) -> bool:
    return name in _types


def source_tables() -> dict[str, dict]:
    """db_table -> {"model", "pk_column", "keep_old", "types": [(RecordType, mapper)]}."""
    tables: dict[str, dict] = {}
    for record_type in record_types():
        for model, mapper in record_type.source_models():
            entry = tables.setdefault(model._meta.db_table, {
                "model": model,
                "pk_column": model._meta.pk.column,
                "keep_old": False,
                "types": [],
            })
            entry["types"].append((record_type, mapper))
            # The old values of a row are needed only to find the roots it belonged to.
            entry["keep_old"] = entry["keep_old"] or mapper is not None
    return tables


def _resolve_model(model) -> type[models.Model]:
    if isinstance(model, str):
        return apps.get_model(model)
    return model


def autodiscover() -> None:
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("national")
