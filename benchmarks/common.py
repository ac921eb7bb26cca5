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


def _free_redis_database(base: str) -> str | None:
    """A Redis URL on `base`'s server naming an empty database (1–13: 0 is the default and
    14–15 the tests'), or None when Redis does not answer."""
    import random

    import redis

    parts = urlsplit(base)
    numbers = list(range(1, 14))
    random.shuffle(numbers)
    for number in numbers:
        url = urlunsplit(parts._replace(path=f"/{number}"))
        try:
            client = redis.Redis.from_url(url, socket_connect_timeout=2)
            empty = client.dbsize() == 0
            client.close()
        except redis.RedisError:
            return None
        if empty:
            return url
    return None


@contextmanager
def celery_workers(concurrency: int, *, media: str):
    """A real Celery worker (`celery -A vetschool worker -c concurrency`, prefork) on this
    process's database (the bench database) and storage folder `media`, against an empty
    Redis database (CELERY_BROKER_URL's server if it is Redis, else 127.0.0.1:6379).
    Yields `send(task_name, *args)`, or None when there is no Redis (the caller skips)."""
    from celery import Celery

    configured = os.environ.get("CELERY_BROKER_URL", "")
    base = configured if configured.startswith("redis://") else "redis://127.0.0.1:6379/0"
    broker = _free_redis_database(base)
    if broker is None:
        yield None
        return
    s = connection.settings_dict
    password = f":{quote(s['PASSWORD'], safe='')}" if s["PASSWORD"] else ""
    database = (f"postgres://{quote(s['USER'], safe='')}{password}@"
                f"{quote(s['HOST'] or '127.0.0.1', safe='')}:{s['PORT'] or 5432}/{s['NAME']}")
    env = {**os.environ, "DATABASE_URL": database, "CELERY_BROKER_URL": broker,
           "CELERY_RESULT_BACKEND": broker, "MEDIA_ROOT": media, "DOCUMENTS_PRERENDER": "0",
           "PYTHONUNBUFFERED": "1"}
    env.pop("PYTEST_VERSION", None)
    log = Path(media) / "worker.log"
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "vetschool", "worker", "--pool=prefork",
         f"--concurrency={concurrency}", "--without-gossip", "--without-mingle",
         "--without-heartbeat", "--loglevel=WARNING", "-n", f"bench-{os.getpid()}@%h"],
        cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
    # Celery reads CELERY_BROKER_URL / CELERY_RESULT_BACKEND before any `broker=`
    # argument: point this process at the worker's Redis database while it runs.
    previous = {name: os.environ.get(name) for name in ("CELERY_BROKER_URL",
                                                         "CELERY_RESULT_BACKEND")}
    os.environ.update(CELERY_BROKER_URL=broker, CELERY_RESULT_BACKEND=broker)
    sender = Celery("bench-sender", broker=broker, backend=broker, set_as_current=False)
    try:
        # Ready when a ping comes back (imports done in the pool's processes).
        sender.send_task("vetschool.ping", args=[1]).get(timeout=600)
        yield lambda name, *args: sender.send_task(name, args=list(args))
    finally:
        process.terminate()
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        import redis

        client = redis.Redis.from_url(broker)
        client.flushdb()
        client.close()
        sender.close()
        for name, value in previous.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def wait_for_job(job, *, timeout: float = 7200) -> float:
    """Poll a BackgroundJob row until it is finished; returns the seconds waited. Raises
    when it failed or did not finish in time."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        job.refresh_from_db()
        if job.finished:
            if job.status != "done":
                raise RuntimeError(f"{job} {job.status}: {job.error}")
            return time.perf_counter() - started
        time.sleep(0.2)
    raise TimeoutError(f"{job} not finished after {timeout:.0f} s")
