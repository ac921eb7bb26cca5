"""`make bench`: run every benchmarks/bench_*.py scenario, print its figures, and end with
one table of every figure beside its floor and goal (benchmarks.summary).

`python -m benchmarks` runs them all; `python -m benchmarks enrollment sync` only those.
Each scenario works in a throwaway database (see benchmarks.common.bench_database),
never the development database. Figures are printed, not asserted. A scenario that raises
is a "failed" row of the table; the others still run, and the exit status is 1.
"""

import os
import pkgutil
import sys
import time
import traceback
from datetime import UTC, datetime
from importlib import import_module
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vetschool.settings")


def main(argv: list[str]) -> int:
    import django

    django.setup()
    from django.conf import settings

    import benchmarks
    from benchmarks.summary import failed_row, figures_table, write_summary

    names = sorted(
        m.name for m in pkgutil.iter_modules(benchmarks.__path__) if m.name.startswith("bench_")
    )
    wanted = {f"bench_{a}" if not a.startswith("bench_") else a for a in argv}
    rows: list[dict] = []
    failed = False
    loads = [os.getloadavg()[0]]
    begun = time.perf_counter()
    for name in names:
        if wanted and name not in wanted:
            continue
        print(f"\n=== {name} ===", flush=True)
        started = time.perf_counter()
        module = None
        try:
            module = import_module(f"benchmarks.{name}")
            figures = getattr(module, "FIGURES", None)
            if isinstance(figures, list):
                figures.clear()  # only this run's figures
            module.run()
        except Exception as error:  # reported in the table; the next scenario still runs
            traceback.print_exc()
            failed = True
            rows.extend(_figures(module))
            rows.append(failed_row(name, error))
        else:
            rows.extend(_figures(module))
        loads.append(os.getloadavg()[0])
        print(f"--- {name} done in {time.perf_counter() - started:.1f} s", flush=True)
    table = figures_table(rows)
    heading = (f"`make bench` {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, "
               f"{time.perf_counter() - begun:.0f} s, {os.cpu_count()} CPUs, load average "
               f"(1 min) {min(loads):.2f}–{max(loads):.2f} over the run")
    print(f"\n=== summary ===\n{heading}\n\n{table}", flush=True)
    try:
        path = write_summary(table, Path(settings.VAR_DIR) / "bench", heading=heading)
        print(f"(also written to {path})", flush=True)
    except OSError as error:
        print(f"(summary not written: {error})", flush=True)
    return 1 if failed else 0


def _figures(module) -> list[dict]:
    figures = getattr(module, "FIGURES", None) if module is not None else None
    return [row for row in figures or [] if isinstance(row, dict)]


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
