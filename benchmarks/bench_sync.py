"""National sync at scale: a full push of N records of the test record type to the local
sandbox, beside the same number of pre-built batches posted by a bare httpx loop (the
ceiling), and an incremental push of a day's changes.

    python -m benchmarks sync                      # N = 200,000
    BENCH_SYNC_RECORDS=850000 python -m benchmarks sync
    BENCH_SYNC_PROFILE=1 python -m benchmarks sync  # + cProfile of the push's main thread

Runs in a throwaway database (created on the embedded server, or on DATABASE_URL's
server) with SYNC_TEST_FIXTURE=1, in a child process; the database is dropped after.
"""

import datetime
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RECORDS = int(os.environ.get("BENCH_SYNC_RECORDS", "200000"))
DAY_CHANGES = int(os.environ.get("BENCH_SYNC_DAY_CHANGES", "10000"))


# The figures of the last run, for `make bench`'s summary table: rows of strings with keys
# scenario, figure, floor, ratio, goal (filled by run(); the child measures, the parent reads).
FIGURES: list[dict] = []
PUSH_GOAL = 0.5  # of the bare loop's records/s (issue #17)
DAY_GOAL_SECONDS = 10.0


# --- parent: a throwaway database ----------------------------------------------------------
def run() -> list[dict]:
    FIGURES[:] = figures_of_child("benchmarks.bench_sync", env={"SYNC_TEST_FIXTURE": "1"})
    return FIGURES


def figures_of_child(module: str, *, env: dict) -> list[dict]:
    """Run the scenario's child in a throwaway database; return the figure rows it wrote."""
    from benchmarks.common import run_child_in_throwaway_database

    handle, path = tempfile.mkstemp(suffix=".json", prefix="bench-figures-")
    os.close(handle)
    try:
        run_child_in_throwaway_database(module, env={**env, "BENCH_FIGURES_FILE": path})
        text = Path(path).read_text()
        return json.loads(text) if text else []
    finally:
        os.unlink(path)


def push_figures(*, scenario: str, records: int, seconds: float, ceiling_records: int,
                 ceiling_seconds: float, day_records: int, day_seconds: float) -> list[dict]:
    """Print the push beside the bare loop (records/s, ratio) and the day push, clearly
    labelled, and hand the same figures to the parent (BENCH_FIGURES_FILE)."""
    push_rate = records / seconds
    loop_rate = ceiling_records / ceiling_seconds
    ratio = push_rate / loop_rate
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"summary ({scenario}; load average now {load})", flush=True)
    print(f"  full push records/s            {push_rate:>10,.0f}  ({records:,} records in "
          f"{seconds:.1f} s)", flush=True)
    print(f"  bare loop records/s (ceiling)  {loop_rate:>10,.0f}  ({ceiling_records:,} "
          f"records in {ceiling_seconds:.1f} s)", flush=True)
    print(f"  ratio push / bare loop         {ratio:>10.0%}  (goal >= {PUSH_GOAL:.0%})",
          flush=True)
    print(f"  day push seconds               {day_seconds:>10.1f}  ({day_records:,} records; "
          f"goal < {DAY_GOAL_SECONDS:.0f} s)", flush=True)
    rows = [
        {"scenario": f"full national push ({scenario}), {records:,} records",
         "figure": f"{push_rate:,.0f} rec/s ({seconds:.1f} s)",
         "floor": f"bare loop {loop_rate:,.0f} rec/s ({ceiling_seconds:.1f} s)",
         "ratio": f"{ratio:.0%} of the bare loop", "goal": f">= {PUSH_GOAL:.0%}"},
        {"scenario": f"incremental push of one day ({scenario}), {day_records:,} records",
         "figure": f"{day_seconds:.1f} s", "floor": "-", "ratio": "-",
         "goal": f"< {DAY_GOAL_SECONDS:.0f} s"},
    ]
    path = os.environ.get("BENCH_FIGURES_FILE")
    if path:
        Path(path).write_text(json.dumps(rows, ensure_ascii=False))
    return rows


# --- child: the measurements ---------------------------------------------------------------------
def _line(label: str, records: int, seconds: float) -> None:
    rate = records / seconds if seconds else 0
    print(f"  {label:<46} {records:>9,} records {seconds:>8.1f} s {rate:>10,.0f} rec/s",
          flush=True)


def _start_sandbox(folder: str) -> tuple[subprocess.Popen, str]:
    process = subprocess.Popen(
        [sys.executable, "manage.py", "national_sandbox", "--port", "0",
         "--db", os.path.join(folder, "sandbox.sqlite3")],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    line = process.stdout.readline()
    if "listening on" not in line:
        raise RuntimeError(f"sandbox did not start: {line}")
    return process, line.split("listening on ", 1)[1].split()[0]


def _load(count: int) -> float:
    from tests.sync_fixture.models import Ethnicity, Person, Residence

    ethnicity = Ethnicity.objects.create(code="01", name="Kinh")
    start = time.perf_counter()
    for first in range(0, count, 5000):
        people = Person.objects.bulk_create([
            Person(national_id=f"0011{n:08d}", code=f"HS{n:07d}", full_name=f"Nguyễn Văn {n}",
                   birth_date=datetime.date(2004, 1, 1) + datetime.timedelta(days=n % 900),
                   gender="male" if n % 2 else "female", ethnicity=ethnicity)
            for n in range(first, min(first + 5000, count))])
        Residence.objects.bulk_create([
            Residence(person=p, province_code=f"{1 + p.pk % 60:02d}", since="2020-09-01")
            for p in people])
    return time.perf_counter() - start


def _ceiling(url: str, secret: str) -> tuple[int, float]:
    """The same batches (our stored gzip bodies, built beforehand) posted one after the
    other by a bare httpx loop to a fresh institution, so each is stored, not stale."""
    import httpx

    from vetschool.sync import contract
    from vetschool.sync.models import Batch

    bodies = [(bytes(body), size) for body, size in
              Batch.objects.order_by("created_at").values_list("body", "size")]
    path = "/v1/institutions/CEILING/batches"
    start = time.perf_counter()
    with httpx.Client(base_url=url, timeout=120) as client:
        for body, _size in bodies:
            ts = str(int(time.time()))
            response = client.post(path, content=body, headers={
                "Content-Type": "application/json", "Content-Encoding": "gzip",
                "X-Institution-Code": "CEILING", "X-Timestamp": ts,
                "X-Signature": contract.signature(secret, "POST", path, ts, body)})
            response.raise_for_status()
    return sum(size for _body, size in bodies), time.perf_counter() - start


def child() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vetschool.settings")
    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from tests.sync_fixture.models import Person
    from vetschool.sync import sandbox, services
    from vetschool.sync.models import Change

    call_command("migrate", verbosity=0)
    print(f"National sync benchmark: {RECORDS:,} learner records of the test type, "
          f"one incremental day of {DAY_CHANGES:,} changes", flush=True)
    seconds = _load(RECORDS)
    _line("insert people + residences (triggers on)", 2 * RECORDS, seconds)
    Change.objects.all().delete()  # a first load goes through --full

    with tempfile.TemporaryDirectory() as folder:
        process, url = _start_sandbox(folder)
        try:
            settings.NATIONAL_API_URL = url
            settings.NATIONAL_API_INSTITUTION = "BENCH1"
            settings.NATIONAL_API_SECRET = sandbox.DEFAULT_SECRET

            profiler = _profiler()
            start, cpu = time.perf_counter(), time.process_time()
            run = services.push_command(full=True)
            total, cpu = time.perf_counter() - start, time.process_time() - cpu
            if profiler:
                profiler.disable()
            assert run.status == "succeeded" and run.accepted == RECORDS, (run.status, run.error)
            assert run.batches == -(-RECORDS // 1000)
            reconciliation = services.reconcile()
            assert reconciliation.ok, reconciliation.types
            _line(f"full push, sync_national --full ({settings.NATIONAL_SYNC_SENDERS} senders)",
                  RECORDS, total)
            # The resolver (main thread) and the senders (threads) share one interpreter:
            # CPU near the wall time means the push is bound to one core by the GIL.
            print(f"  the push process's own CPU: {cpu:.1f} s of {total:.1f} s wall "
                  f"({cpu / total:.0%} of one core; PostgreSQL and the sandbox apart)",
                  flush=True)
            if profiler:
                _print_profile(profiler)

            records, ceiling = _ceiling(url, sandbox.DEFAULT_SECRET)
            _line("ceiling: the same batches, bare httpx loop", records, ceiling)

            rng = random.Random(1)
            pks = list(Person.objects.values_list("pk", flat=True))
            changed = rng.sample(pks, DAY_CHANGES - 200)
            start = time.perf_counter()
            Person.objects.filter(pk__in=changed).update(full_name="Đã đổi tên")
            Person.objects.filter(pk__in=rng.sample(pks, 100)).exclude(pk__in=changed).delete()
            from benchmarks.bench_sync import _load_more

            _load_more(100)
            written = time.perf_counter() - start
            start = time.perf_counter()
            run = services.push_command()
            incremental = time.perf_counter() - start
            assert run.status == "succeeded", run.error
            assert services.reconcile().ok
            _line("one day's changes: write (triggers on)", DAY_CHANGES, written)
            _line(f"incremental push ({run.accepted:,} records sent)", run.accepted, incremental)
            push_figures(scenario="sync, test type", records=RECORDS, seconds=total,
                         ceiling_records=records, ceiling_seconds=ceiling,
                         day_records=run.accepted, day_seconds=incremental)
        finally:
            process.terminate()
            process.wait()


def _profiler():
    """BENCH_SYNC_PROFILE=1: cProfile of the full push's main thread (the resolver and the
    forming of batches; the sender threads are not in it)."""
    if os.environ.get("BENCH_SYNC_PROFILE", "") in ("", "0"):
        return None
    import cProfile

    profiler = cProfile.Profile()
    profiler.enable()
    return profiler


def _print_profile(profiler) -> None:
    import pstats

    print("profile of the full push's main thread (BENCH_SYNC_PROFILE), by own time:",
          flush=True)
    pstats.Stats(profiler, stream=sys.stdout).sort_stats("tottime").print_stats(25)
    pstats.Stats(profiler, stream=sys.stdout).sort_stats("cumulative").print_stats(30)


def _load_more(count: int) -> None:
    from tests.sync_fixture.models import Ethnicity, Person

    ethnicity = Ethnicity.objects.get(code="01")
    Person.objects.bulk_create([
        Person(national_id=f"0019{n:08d}", code=f"NEW{n:05d}", full_name=f"Mới {n}",
               birth_date=datetime.date(2006, 5, 5), ethnicity=ethnicity)
        for n in range(count)])


if __name__ == "__main__":
    if "--child" in sys.argv:
        child()
    else:
        run()
