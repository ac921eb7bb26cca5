"""Enrolment at college scale: the admin learner list and accent-insensitive search over
20,000 learners (and the same search through the API).

Prints server time (the request handled in-process by Django's test client, so no
network) and query count. Runs in its own throwaway database on the embedded server (or
on DATABASE_URL's server), never in the development database.

    python -m benchmarks            # every benchmark
    python -c "import benchmarks.bench_enrollment as b; b.run()"
"""

from __future__ import annotations

import os
import random
import re
import statistics
import time
from datetime import date, timedelta

LEARNERS = int(os.environ.get("BENCH_LEARNERS", "20000"))
REPEAT = int(os.environ.get("BENCH_REPEAT", "15"))
VERBOSE = os.environ.get("BENCH_VERBOSE") == "1"  # also print the slowest queries
BENCH_DB_NAME = "bench_vetschool_enrollment"
FIGURES: list[dict] = []


def run() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vetschool.settings")
    import django

    django.setup()
    import logging

    from django.conf import settings
    from django.db import connection
    from django.test import override_settings

    logging.getLogger("axes").setLevel(logging.WARNING)
    # Not setup_test_environment(): its instrumented template rendering (signals, context
    # copies for assertions) would be measured too. Plain static storage: the benchmark
    # measures Django, not a missing collectstatic.
    static = override_settings(
        ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"],
        STORAGES={**settings.STORAGES, "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}},
    )
    static.enable()
    connection.settings_dict.setdefault("TEST", {})["NAME"] = BENCH_DB_NAME
    original_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        _benchmark()
    finally:
        connection.creation.destroy_test_db(original_name, verbosity=0)
        static.disable()


def _benchmark() -> None:
    from django.db import connection

    started = time.perf_counter()
    registrar = _populate(LEARNERS)
    print(f"enrollment: {LEARNERS} learners with enrolments and status history created in "
          f"{time.perf_counter() - started:.1f} s (throwaway database {BENCH_DB_NAME})")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    from benchmarks.clients import logged_in_client

    client = logged_in_client(registrar)
    from enrollment.admin.learners import LearnerAdmin

    # The same page with more rows per page: the query count must not change.
    counts = {}
    for per_page in (20, 50, 200):
        LearnerAdmin.list_per_page = per_page
        counts[per_page] = _measure(client, f"admin learner list, {per_page} rows per page",
                                    "/admin/enrollment/learner/", {})
    LearnerAdmin.list_per_page = 50
    constant = len(set(counts.values())) == 1
    FIGURES.append({
        "scenario": f"admin learner list over {LEARNERS:,} learners: queries at 20/50/200 rows",
        "figure": " / ".join(str(q) for q in counts.values()), "floor": "—", "ratio": "—",
        "goal": "the same at every page size" + ("" if constant else " (NOT met)")})
    print(f"  admin learner list query count constant over 20/50/200 rows: {constant} "
          f"({', '.join(f'{n} rows: {q}' for n, q in counts.items())})")
    _measure(client, "admin learner list, filtered (status=reserved, level=college)",
             "/admin/enrollment/learner/", {"status": "reserved", "level": "college"})
    for query in ("nguyen van an", "Nguyễn Văn An", "tran thi", "ha"):
        _measure(client, f"admin accent-insensitive search {query!r}",
                 "/admin/enrollment/learner/", {"q": query})
    _measure(client, "admin search by full personal ID", "/admin/enrollment/learner/",
             {"q": _some_national_id()})
    _measure(client, "API learners, 100 per page", "/api/v1/learners/", {"page_size": 100})
    _measure(client, "API search 'nguyen van an'", "/api/v1/learners/",
             {"search": "nguyen van an", "page_size": 100})
    _explain_search()
    _import_benchmark(registrar)


IMPORT_ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", "2000"))


def _import_benchmark(registrar) -> None:
    """The learner import (one row per enrolment), checked then committed."""
    import csv
    import io

    from enrollment.demo import _People
    from enrollment.services import learners_import
    from vetschool.reference.models import Occupation

    people = _People(random.Random(4))
    occupations = list(Occupation.objects.order_by("code"))
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["learner_code", "full_name", "date_of_birth", "gender", "national_id",
                     "ethnicity_code", "province_code", "occupation_code", "admission_year",
                     "start_date", "status"])
    for i in range(IMPORT_ROWS):
        person = people.person(birth_year=2004)
        writer.writerow([f"OLD{i:06d}", person["full_name"], person["date_of_birth"],
                         person["gender"], person["national_id"], person["ethnic_group"].code,
                         person["province"].code, occupations[i % len(occupations)].code,
                         2022, "2022-09-05", "studying" if i % 10 else "reserved"])
    content = buffer.getvalue().encode()
    for dry_run in (True, False):
        started = time.perf_counter()
        report = learners_import(content=content, filename="import.csv", dry_run=dry_run,
                                 by=registrar)
        seconds = time.perf_counter() - started
        assert report.ok, report.problems[:3]
        print(f"  import of {IMPORT_ROWS} learner rows ({'check only' if dry_run else 'commit'})"
              f"{'':<13} {seconds:7.1f} s   {IMPORT_ROWS / seconds:6.0f} rows/s")


def _measure(client, label, url, params) -> int:
    """Print median/p95 server time and the query count of one page; return the count."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = client.get(url, params, secure=True)  # warm-up
    assert response.status_code == 200, (url, response.status_code)
    times = []
    for _ in range(REPEAT):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url, params, secure=True)
            times.append((time.perf_counter() - started) * 1000)
    matches = _matches(response)
    times.sort()
    p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
    print(f"  {label:<62} median {statistics.median(times):7.1f} ms  p95 {p95:7.1f} ms  "
          f"{len(queries):3d} queries{matches}")
    if VERBOSE:
        slowest = sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[:3]
        for query in slowest:
            print(f"      {float(query['time']) * 1000:6.1f} ms  {query['sql'][:150]}")
    return len(queries)


def _matches(response) -> str:
    if response.get("Content-Type", "").startswith("application/json"):
        return f"  ({response.json().get('count')} matches)"
    # The admin paginator ends with "<count> <verbose name plural>".
    found = re.search(r"(\d+)\s+(?:learners?|người học)\s*<", response.content.decode())
    return f"  ({found.group(1)} matches)" if found else ""


def _explain_search() -> None:
    from django.db import connection

    from enrollment.models import Learner
    from enrollment.selectors import learner_search

    queryset = learner_search(Learner.objects.all(), "nguyen van an")
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql, params)
        plan = [row[0] for row in cursor.fetchall()]
    uses_index = any("learner_name_trgm" in line for line in plan)
    print(f"  search plan uses the trigram index learner_name_trgm: {uses_index}")


def _some_national_id() -> str:
    from enrollment.models import Learner

    return Learner.objects.exclude(national_id=None).order_by("pk").values_list(
        "national_id", flat=True)[LEARNERS // 2]


def _populate(n: int):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from enrollment.demo import FAMILY, GIVEN, MIDDLE, _People
    from enrollment.models import (
        Enrollment,
        EnrollmentStatus,
        EnrollmentStatusChange,
        Learner,
        StatusSource,
    )
    from enrollment.services.codes import learner_code_prefix
    from vetschool.accounts import roles
    from vetschool.demo import seed_demo_occupations, seed_institution
    from vetschool.reference.models import Occupation

    seed_institution()
    seed_demo_occupations()
    registrar = get_user_model().objects.create_user("bench-registrar", password=None,
                                                     is_staff=True)
    registrar.groups.add(Group.objects.get(name=roles.REGISTRAR))
    rng = random.Random(20000)
    people = _People(rng)
    occupations = list(Occupation.objects.order_by("code"))
    statuses = list(EnrollmentStatus)
    weights = [70, 8, 3, 8, 3, 2, 3, 3]
    counters: dict[str, int] = {}
    batch = 2000
    for offset in range(0, n, batch):
        learners, meta = [], []
        for i in range(offset, min(n, offset + batch)):
            occupation = occupations[i % len(occupations)]
            year = 2021 + i % 5
            person = people.person(birth_year=year - 18)
            if i % 400 == 0:  # the people the searches look for
                person["full_name"] = rng.choice(["Nguyễn Văn An", "Nguyễn Văn Anh",
                                                  "Nguyễn Văn Ân"])
            elif i % 7 == 0:
                gender = person["gender"]
                person["full_name"] = (f"{rng.choice(FAMILY)} {rng.choice(MIDDLE[gender])} "
                                       f"{rng.choice(GIVEN[gender])}")
            prefix = learner_code_prefix(admission_year=year, occupation=occupation)
            counters[prefix] = counters.get(prefix, 0) + 1
            learners.append(Learner(code=f"{prefix}{counters[prefix]:04d}", **person))
            meta.append((occupation, year))
        Learner.objects.bulk_create(learners)
        enrollments = []
        for learner, (occupation, year) in zip(learners, meta, strict=True):
            status = rng.choices(statuses, weights)[0]
            start = date(year, 9, 5)
            enrollments.append(Enrollment(
                learner=learner, occupation=occupation, level=occupation.level,
                admission_year=year, start_date=start,
                expected_end_date=start + timedelta(days=3 * 365), status=status,
                status_date=start,
            ))
        Enrollment.objects.bulk_create(enrollments)
        EnrollmentStatusChange.objects.bulk_create(
            EnrollmentStatusChange(enrollment=e, to_status=e.status, effective_date=e.start_date,
                                   decision_number="1/QĐ", source=StatusSource.IMPORT)
            for e in enrollments
        )
    return registrar


if __name__ == "__main__":
    run()
