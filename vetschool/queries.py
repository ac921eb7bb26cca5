"""Query helpers every app's selectors share."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet


def filter_given(qs: QuerySet, filters: Mapping[str, Any], lookups: Mapping[str, str]) -> QuerySet:
    """Narrow `qs` by each filter that has a value (an empty one means "any").

    `lookups` maps a filter's name to the field lookup it sets, e.g.
    `{"program": "program_id", "occupation": "occupation__code"}`. Each is its own
    `.filter()` call, as a chain of `if filters.get(...)` would be.
    """
    for name, lookup in lookups.items():
        value = filters.get(name)
        if value:
            qs = qs.filter(**{lookup: value})
    return qs
