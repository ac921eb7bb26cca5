"""What a backup must prove it kept: each domain app names its legal-record tables and
its secrets in its own `backup.py` (discovered like `admin.py`), so the platform imports
no domain app::

    from vetschool.backups.registry import legal_records
    legal_records("approved_scores", Score, where="locked")

A legal-record table is counted and checksummed in SQL when a backup is taken and again
after the restore drill; `where` narrows it to the rows that are the record (approved cells).
A secret is a file the database does not hold (the diploma signing key): a function
returns its text, or None when there is nothing to keep.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models
from django.utils.module_loading import autodiscover_modules


@dataclass(frozen=True)
class LegalTable:
    name: str
    model: type[models.Model]
    where: str = ""

    @property
    def table(self) -> str:
        return self.model._meta.db_table

    @property
    def primary_key(self) -> str:
        return self.model._meta.pk.column


_tables: dict[str, LegalTable] = {}
_secrets: dict[str, Callable[[], str | None]] = {}
_discovered = False


def legal_records(name: str, model: type[models.Model], *, where: str = "") -> None:
    _tables[name] = LegalTable(name, model, where)


def secret(file_name: str, read: Callable[[], str | None]) -> None:
    _secrets[file_name] = read


def _discover() -> None:
    global _discovered
    if not _discovered:
        autodiscover_modules("backup")
        _discovered = True


def legal_tables() -> list[LegalTable]:
    _discover()
    return [_tables[name] for name in sorted(_tables)]


def secrets() -> dict[str, Callable[[], str | None]]:
    _discover()
    return dict(sorted(_secrets.items()))
