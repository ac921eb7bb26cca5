"""What a writer learns about cells others changed since it last read the gradebook: the
changes themselves and the conflict (HTTP 409) a stale write or submission raises."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import APIException

from grading.sheet import Sheet

CONFLICT = _("Someone else changed this gradebook after you opened it: %(changes)s. Their "
             "values are now shown; check them and enter yours again if needed.")


@dataclass(frozen=True)
class CellInput:
    """One cell as a client sends it: section learner id, column code (TX1, DK2, THI1), text."""

    learner: int
    column: str
    value: object


@dataclass(frozen=True)
class CellChange:
    learner: int
    learner_name: str
    column: str
    column_label: str
    value: str
    by: str
    at: object
    version: int

    def describe(self) -> str:
        value = self.value or _t("(empty)")
        return f"{self.learner_name} {self.column_label} = {value} ({self.by})"

    def as_json(self) -> dict:
        return {"learner": self.learner, "learner_name": self.learner_name,
                "column": self.column, "value": self.value, "by": self.by,
                "at": self.at.isoformat() if self.at else None, "version": self.version}


class GradebookConflict(APIException):
    """Raised when a write is based on a version older than a changed cell: an HTTP 409 in
    the API's one error shape (vetschool.api), with the book's version and the changes."""

    status_code = 409
    default_code = "conflict"

    def __init__(self, *, version: int, changes: list[CellChange], message=CONFLICT):
        self.version = version
        self.changes = changes
        listed = "; ".join(change.describe() for change in changes[:10])
        if len(changes) > 10:
            listed += " …"
        super().__init__(str(message % {"changes": listed}), code=self.default_code)

    @property
    def message(self) -> str:
        return str(self.detail)

    @property
    def extra_fields(self) -> dict:
        return {"version": self.version, "changes": [c.as_json() for c in self.changes]}


def changes_since(sheet: Sheet, version: int, *, exclude=frozenset()) -> list[CellChange]:
    """The cells written after `version` (by anyone), for a client to catch up."""
    out = []
    for row in sheet.rows:
        for code, cell in row.cells.items():
            if cell.version > version and (row.id, code) not in exclude:
                out.append(cell_change(row, cell))
    return sorted(out, key=lambda change: change.version)


def cell_change(row, cell) -> CellChange:
    return CellChange(row.id, row.learner.full_name, cell.column.code, cell.column.label,
                      cell.stored.text, cell.updated_by, cell.updated_at, cell.version)
