"""Geometry of the server-rendered SVG bar chart of the indicators page (no JS library).

Pure: takes rows of labelled percentages, returns coordinates the template draws.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

WIDTH = 800
LABEL_WIDTH = 230
PLOT_WIDTH = 440
BAR_HEIGHT = 14
BAR_GAP = 3
ROW_GAP = 12
TOP = 34
BOTTOM = 28


@dataclass(frozen=True)
class Bar:
    series: int  # index of the series (drives the colour)
    y: int
    width: Decimal
    percent: Decimal | None
    text: str  # shown at the end of the bar and in its <title>

    @property
    def text_x(self) -> Decimal:
        return Decimal(LABEL_WIDTH) + self.width + 4

    @property
    def text_y(self) -> int:
        return self.y + BAR_HEIGHT - 3


@dataclass(frozen=True)
class Row:
    label: str
    y: int  # baseline of the label
    bars: tuple[Bar, ...]


@dataclass(frozen=True)
class TargetLine:
    x: Decimal
    label: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    label_width: int
    plot_width: int
    bar_height: int
    rows: tuple[Row, ...]
    targets: tuple[TargetLine, ...]
    ticks: tuple[tuple[Decimal, str], ...]

    @property
    def label_x(self) -> int:
        return self.label_width - 8

    @property
    def tick_y(self) -> int:
        return self.height - 10

    @property
    def target_y2(self) -> int:
        return self.height - 24


def x_of(percent: Decimal) -> Decimal:
    clamped = min(max(percent, Decimal(0)), Decimal(100))
    return (Decimal(LABEL_WIDTH) + Decimal(PLOT_WIDTH) * clamped / 100).quantize(Decimal("0.1"))


def bar_chart(rows: list[tuple[str, list[tuple[Decimal | None, str]]]],
              targets: list[tuple[Decimal, str]]) -> Chart:
    """`rows`: (label, [(percent or None, text) per series]); `targets`: (percent, label)."""
    out = []
    y = TOP
    for label, values in rows:
        bars = []
        for index, (percent, text) in enumerate(values):
            width = (x_of(percent) - LABEL_WIDTH) if percent is not None else Decimal(0)
            bars.append(Bar(series=index, y=y + index * (BAR_HEIGHT + BAR_GAP), width=width,
                            percent=percent, text=text))
        block = len(values) * (BAR_HEIGHT + BAR_GAP) - BAR_GAP
        out.append(Row(label=label, y=y + block // 2 + 4, bars=tuple(bars)))
        y += block + ROW_GAP
    height = y + BOTTOM
    ticks = tuple((x_of(Decimal(p)), f"{p}%") for p in (0, 25, 50, 75, 100))
    lines = tuple(TargetLine(x=x_of(percent), label=label) for percent, label in targets)
    return Chart(width=WIDTH, height=height, label_width=LABEL_WIDTH, plot_width=PLOT_WIDTH,
                 bar_height=BAR_HEIGHT, rows=tuple(out), targets=lines, ticks=ticks)
