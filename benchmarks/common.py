"""Helpers for benchmark scenarios: a throwaway database and a timer."""

import os
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

from django.db import connection

ROOT = Path(__file__).resolve().parents[1]


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


def _server() -> tuple[dict, str]:
    """(psycopg connect kwargs of the maintenance db, URL template with {name})."""
    url = os.environ.get("DATABASE_URL")
    if url:
        parts = urlsplit(url)
        kwargs = {"conninfo": urlunsplit(parts._replace(path="/postgres"))}
        return kwargs, urlunsplit(parts._replace(path="/{name}"))
    sys.path.insert(0, str(ROOT))
    from vetschool.embedded_db import embedded_database_settings

    s = embedded_database_settings(ROOT / "var" / "pgdata")
    kwargs = {"dbname": "postgres", "user": s["USER"], "host": s["HOST"], "port": s["PORT"]}
    return kwargs, f"postgres://{s['USER']}@{quote(s['HOST'], safe='')}:{s['PORT']}/{{name}}"


def run_child_in_throwaway_database(module: str, *, env: dict) -> None:
    """Run `python -m module --child` on a database created for it (on DATABASE_URL's
    server, or the embedded one) and dropped afterwards, whatever happens.

    For scenarios that start their own processes (workers, a sandbox) against the
    database, which Django's test database of one process cannot serve."""
    import psycopg

    kwargs, template = _server()
    name = f"{module.rsplit('.', 1)[-1]}_{os.getpid()}"
    with psycopg.connect(**kwargs, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        child_env = {**os.environ, "DATABASE_URL": template.format(name=name),
                     "PYTHONUNBUFFERED": "1", **env}
        child_env.pop("PYTEST_VERSION", None)
        child_env = {key: value for key, value in child_env.items() if value is not None}
        subprocess.run([sys.executable, "-m", module, "--child"], cwd=ROOT, env=child_env,
                       check=True)
    finally:
        with psycopg.connect(**kwargs, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


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
