"""The table `make bench` ends with (issue #17, part 5): one row per scenario that has a
figure to hold against something — its figure, the floor measured beside it in the same
run, the ratio of the two and the goal.

Each bench module may keep a module-level `FIGURES`: a list of dicts with the keys
`scenario`, `figure`, `floor`, `ratio` and `goal` (any missing key is "—"). Values are
shown as given: a string as it is (units included), an int with thousands separators, a
float with two decimals. `benchmarks.__main__` collects them after each module's `run()`
and prints `figures_table` at the end, also written to var/bench/summary.md.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

COLUMNS = ("scenario", "figure", "floor", "ratio", "goal")
HEADER = ("scenario", "figure", "floor (same run)", "ratio", "goal")


def cell(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.2f}"
    # A Markdown table cell is one line without a bare "|".
    return " ".join(str(value).split()).replace("|", "\\|")


def failed_row(module: str, error: BaseException) -> dict:
    """The row of a bench module whose run raised: the table still ends the run."""
    return {"scenario": module, "figure": f"failed: {type(error).__name__}: {error}"[:200]}


def figures_table(rows: Iterable[Mapping]) -> str:
    """The rows as one Markdown table (header only when there is none)."""
    lines = ["| " + " | ".join(HEADER) + " |", "| " + " | ".join("---" for _ in HEADER) + " |"]
    for row in rows:
        lines.append("| " + " | ".join(cell(row.get(key)) for key in COLUMNS) + " |")
    return "\n".join(lines) + "\n"


def write_summary(table: str, folder: Path, *, heading: str) -> Path:
    """Write the table under `heading` to folder/summary.md; returns the path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "summary.md"
    path.write_text(f"{heading}\n\n{table}", encoding="utf-8")
    return path
