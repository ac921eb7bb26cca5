"""What a test needs to start a REAL Celery worker process beside itself: a Redis
database of its own and the address of the test's own PostgreSQL database."""

import os
from urllib.parse import quote, urlsplit, urlunsplit

import pytest
from django.db import connection


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
