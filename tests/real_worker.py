"""What a test needs to start a REAL Celery worker process beside itself: a Redis
database of its own and the address of the test's own PostgreSQL database."""

import os
import subprocess
import sys
import uuid
from urllib.parse import quote, urlsplit, urlunsplit

import pytest
import redis
from celery import Celery
from django.db import connection

from tests.sync.conftest import ROOT, wait_for


def redis_broker_url() -> str:
    """CELERY_BROKER_URL's Redis, one database per pytest-xdist process (the base one plus
    its number), so a FLUSHDB never touches another process's messages. Skips the test
    without a Redis broker."""
    base = os.environ.get("CELERY_BROKER_URL", "")
    if not base.startswith("redis://"):
        pytest.skip("needs a Redis broker in CELERY_BROKER_URL to run a real worker "
                    "(CI sets redis://127.0.0.1:6379/14)")
    parts = urlsplit(base)
    db = int(parts.path.strip("/") or 0) + int(os.environ.get("PYTEST_XDIST_WORKER", "gw0")[2:])
    if db > 15:
        pytest.skip("no free Redis database for this pytest-xdist process")
    return urlunsplit(parts._replace(path=f"/{db}"))


def test_database_url() -> str:
    """DATABASE_URL of the database this test runs on, for the worker's environment."""
    s = connection.settings_dict
    host = quote(s["HOST"] or "localhost", safe="")
    password = f":{quote(s['PASSWORD'], safe='')}" if s["PASSWORD"] else ""
    user = quote(s["USER"], safe="")
    return f"postgres://{user}{password}@{host}:{s['PORT'] or 5432}/{s['NAME']}"


test_database_url.__test__ = False   # a helper, not a test pytest should collect


@pytest.fixture
def workers(tmp_path, settings, monkeypatch):
    """A prefork pool of 2 on this test's database, storage and Redis database, and a
    function that sends it a task by name. Celery reads CELERY_BROKER_URL before any
    `broker=` argument, so the environment of this process points at the same Redis
    database as the pool's, or the sender would post where no worker listens."""
    broker = redis_broker_url()
    monkeypatch.setenv("CELERY_BROKER_URL", broker)
    monkeypatch.setenv("CELERY_RESULT_BACKEND", broker)
    client = redis.Redis.from_url(broker)
    client.flushdb()
    log = tmp_path / "worker.log"
    env = {**os.environ, "DATABASE_URL": test_database_url(), "CELERY_BROKER_URL": broker,
           "CELERY_RESULT_BACKEND": broker, "MEDIA_ROOT": str(settings.MEDIA_ROOT),
           "DOCUMENTS_PRERENDER": "0", "PYTHONUNBUFFERED": "1"}
    env.pop("PYTEST_VERSION", None)
    env.pop("PYTEST_XDIST_WORKER", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "vetschool", "worker", "--pool", "prefork",
         "--concurrency", "2", "-n", f"bulk-{uuid.uuid4().hex[:8]}@%h", "--without-gossip",
         "--without-mingle", "--without-heartbeat", "-l", "info"],
        cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
    sender = Celery("bulk-test-sender", broker=broker, set_as_current=False)
    try:
        wait_for(lambda: "ready." in log.read_text() or process.poll() is not None,
                 timeout=120, message="the worker to start")
        assert process.poll() is None, log.read_text()
        yield lambda name, *args: sender.send_task(name, args=list(args)), log
    finally:
        process.terminate()
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        sender.close()
        client.flushdb()
        client.close()
