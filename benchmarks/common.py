"""Helpers for benchmark scenarios: a throwaway database and a timer."""

import time
from contextlib import contextmanager

from django.db import connection


@contextmanager
def bench_database():
    """Create, migrate and finally drop a database beside the configured one.

    Uses Django's test-database machinery (name: test_<NAME>), so the development
    database is never touched.
    """
    from django.test.utils import setup_test_environment, teardown_test_environment

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        yield
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0, keepdb=False)
        teardown_test_environment()


@contextmanager
def timed(label: str, *, rows: int | None = None):
    started = time.perf_counter()
    yield
    seconds = time.perf_counter() - started
    rate = f", {rows / seconds:,.0f} rows/s" if rows and seconds else ""
    print(f"{label}: {seconds:.3f} s{rate}", flush=True)


def query_count(func):
    """Run func() and return (result, number of queries)."""
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        result = func()
    return result, len(ctx.captured_queries)
