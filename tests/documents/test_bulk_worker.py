"""A bulk run through REAL Celery workers (a prefork pool of 2) and Redis: a decision's
diplomas printed as a chord of chunks spread over the workers, each stored document
rendered once; a second run reuses every unchanged file; a stale one is rendered again and
never joined as it was. Skipped without a Redis CELERY_BROKER_URL."""

import os
import subprocess
import sys
import time
import uuid
from io import BytesIO
from urllib.parse import quote, urlsplit, urlunsplit

import pytest
import redis
from celery import Celery
from django.db import connection
from pypdf import PdfReader

from degrees.documents import DIPLOMA
from degrees.models import DiplomaPrintJob
from tests.degrees.factories import finished_class, issued
from tests.sync.conftest import ROOT, wait_for
from vetschool.documents.models import RenderedDocument

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

SIZE = 5  # diplomas: five chunks of one (a small run is cut in BULK_MIN_CHUNKS) over 2


def _broker_url() -> str:
    base = os.environ.get("CELERY_BROKER_URL", "")
    if not base.startswith("redis://"):
        pytest.skip("needs a Redis broker in CELERY_BROKER_URL to run a real worker "
                    "(CI sets redis://127.0.0.1:6379/14)")
    parts = urlsplit(base)
    # Each pytest-xdist process its own Redis database: chunks go to the default queue.
    db = int(parts.path.strip("/") or 0) + int(os.environ.get("PYTEST_XDIST_WORKER", "gw0")[2:])
    if db > 15:
        pytest.skip("no free Redis database for this pytest-xdist process")
    return urlunsplit(parts._replace(path=f"/{db}"))


def _database_url() -> str:
    s = connection.settings_dict
    host = quote(s["HOST"] or "localhost", safe="")
    password = f":{quote(s['PASSWORD'], safe='')}" if s["PASSWORD"] else ""
    user = quote(s["USER"], safe="")
    return f"postgres://{user}{password}@{host}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.fixture
def workers(tmp_path, settings):
    """A prefork pool of 2 on this test's database, storage and Redis database."""
    broker = _broker_url()
    client = redis.Redis.from_url(broker)
    client.flushdb()
    log = tmp_path / "worker.log"
    env = {**os.environ, "DATABASE_URL": _database_url(), "CELERY_BROKER_URL": broker,
           "CELERY_RESULT_BACKEND": broker, "MEDIA_ROOT": str(settings.MEDIA_ROOT),
           "DOCUMENTS_PRERENDER": "0", "PYTHONUNBUFFERED": "1"}
    env.pop("PYTEST_VERSION", None)
    env.pop("PYTEST_XDIST_WORKER", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "vetschool", "worker", "--pool", "prefork",
         "--concurrency", "2", "-n", f"bulk-{uuid.uuid4().hex[:8]}@%h", "--without-gossip",
         "--without-mingle", "--without-heartbeat", "-l", "info"],
        cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
    sender = Celery("bulk-test-sender", broker=broker)
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


def _print(send, log, decision, registrar) -> DiplomaPrintJob:
    job = DiplomaPrintJob.objects.create(decision=decision, created_by=registrar, total=SIZE)
    send("degrees.diploma_print_job_run", job.pk)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.finished:
            break
        time.sleep(0.3)
    assert job.status == "done", (job.status, job.error, log.read_text()[-3000:])
    return job


def _stored() -> dict[str, tuple]:
    return {row.key: (row.content_hash, row.file.name, row.rendered_at)
            for row in RenderedDocument.objects.filter(kind=DIPLOMA)}


def _fronts(job) -> list[str]:
    with job.file.open("rb") as file:
        pages = [page.extract_text() for page in PdfReader(BytesIO(file.read())).pages]
    return [page for page in pages if "BẰNG TỐT NGHIỆP" in page and "Số hiệu" in page]


def test_a_decisions_diplomas_are_rendered_once_over_the_workers_then_reused(
        workers, registrar, settings):
    settings.DOCUMENTS_PRERENDER = False  # nothing rendered at issue: the bulk run does it
    send, log = workers
    decision, diplomas = issued(finished_class(SIZE), registrar)
    assert not RenderedDocument.objects.exists()

    first = _print(send, log, decision, registrar)
    stored = _stored()
    assert set(stored) == {str(d.pk) for d in diplomas}
    for key, (digest, name, rendered_at) in stored.items():
        # Saved once: a second save of the same name would have had a suffix added.
        assert name == f"documents/{DIPLOMA}/{key}-{digest[:16]}.pdf"
        assert first.started_at <= rendered_at <= first.finished_at
    assert (first.done, first.total) == (SIZE, SIZE)
    fronts = _fronts(first)
    assert len(fronts) == SIZE
    assert all(d.serial_number in " ".join(fronts) for d in diplomas)
    # The chunks ran in the pool's processes, not in one.
    assert log.read_text().count("Task documents.bulk_chunk[") >= 2 * SIZE  # received, done

    second = _print(send, log, decision, registrar)
    assert _stored() == stored  # every unchanged file reused: nothing rendered again
    assert len(_fronts(second)) == SIZE

    # A file whose content changed since it was rendered is rendered again, alone.
    stale = str(diplomas[0].pk)
    RenderedDocument.objects.filter(kind=DIPLOMA, key=stale).update(content_hash="changed")
    third = _print(send, log, decision, registrar)
    now = _stored()
    assert now[stale][0] == stored[stale][0] and now[stale][2] > third.started_at
    assert {k: v for k, v in now.items() if k != stale} == \
        {k: v for k, v in stored.items() if k != stale}
    assert len(_fronts(third)) == SIZE
