"""The overall digital-competency level from the levels of the areas, as a pure rule.

The framework's levels are ranked (DigCompEdu: A1=1 … C2=6). A staff member's
overall level is the level whose rank is the mean of the area ranks, rounded
down: an overall level is never higher than the evidence of the areas supports.
Without a level in every area there is no overall level. (docs/staff.md)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import ROUND_FLOOR, Decimal


def overall_rank(area_ranks: Mapping[object, int | None], areas: Sequence[object]) -> int | None:
    """Floor of the mean rank over `areas`; None if an area has no rank (or no areas)."""
    if not areas:
        return None
    ranks = [area_ranks.get(area) for area in areas]
    if any(rank is None for rank in ranks):
        return None
    for rank in ranks:
        if isinstance(rank, bool) or not isinstance(rank, int) or rank < 1:
            raise ValueError(f"a level rank is a positive int, not {rank!r}")
    mean = Decimal(sum(ranks)) / Decimal(len(ranks))
    return int(mean.to_integral_value(rounding=ROUND_FLOOR))
