"""The arithmetic every Decision 2222 indicator shares: a share of counted things that
meet a criterion, and how many more must meet it to reach a target share.

Plain values in, plain values out (no ORM): each app's own indicators module (staff's
a1/a2, training's b1/b2) says what is counted and which targets apply.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

PERCENT_PLACES = Decimal("0.1")


def needed_for(share: Decimal, counted: int) -> int:
    """How many of `counted` must meet the criterion for the share to reach `share`.

    Exact: completed / counted >= share  ⇔  completed >= ⌈share × counted⌉.
    """
    return int((share * counted).to_integral_value(rounding=ROUND_CEILING))


@dataclass(frozen=True)
class Share:
    counted: int
    completed: int

    @property
    def ratio(self) -> Decimal | None:
        """completed ÷ counted, exact; None when nothing is counted."""
        if not self.counted:
            return None
        return Decimal(self.completed) / Decimal(self.counted)

    @property
    def percent(self) -> Decimal | None:
        """The share in per cent with one decimal, half up (for display and export)."""
        if not self.counted:
            return None
        exact = Decimal(100 * self.completed) / Decimal(self.counted)
        return exact.quantize(PERCENT_PLACES, rounding=ROUND_HALF_UP)
