"""`make bench`: run every benchmarks/bench_*.py scenario and print its figures.

`python -m benchmarks` runs them all; `python -m benchmarks enrollment sync` only those.
Each scenario works in a throwaway database (see benchmarks.common.bench_database),
never the development database. Figures are printed, not asserted.
"""

import os
import pkgutil
import sys
import time
from importlib import import_module

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vetschool.settings")


def main(argv: list[str]) -> int:
    import django

    django.setup()
    import benchmarks

    names = sorted(
        m.name for m in pkgutil.iter_modules(benchmarks.__path__) if m.name.startswith("bench_")
    )
    wanted = {f"bench_{a}" if not a.startswith("bench_") else a for a in argv}
    for name in names:
        if wanted and name not in wanted:
            continue
        module = import_module(f"benchmarks.{name}")
        print(f"\n=== {name} ===", flush=True)
        started = time.perf_counter()
        module.run()
        print(f"--- {name} done in {time.perf_counter() - started:.1f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
