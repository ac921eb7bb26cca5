"""The push through a REAL Celery worker and Redis, against a real sandbox process and
PostgreSQL: kill -9 mid-push (also between the answer and its record), Redis flushed
mid-push, two workers and repeated beats for one slot. Skipped without CELERY_BROKER_URL.

Each pytest-xdist process uses its own Redis database (the base one + its number), so a
FLUSHDB here never touches another process's messages, and its own queue name.
"""

import datetime
import os
import signal
import subprocess
import sys
import time
import uuid

import pytest
import redis
from celery import Celery

from tests.real_worker import redis_broker_url, test_database_url
from tests.sync.conftest import (
    INSTITUTION,
    ROOT,
    SECRET,
    assert_sandbox_matches_college,
    make_people,
    start_sandbox,
    wait_for,
)
from tests.sync_fixture.models import Person
from vetschool.sync.models import Batch, Entry, Run

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

LEASE = 2  # seconds: a killed worker's batch is re-sent after this




class Workers:
    """Celery worker processes on this test's queue, sharing the test database."""

    def __init__(self, tmp_path, broker, sandbox):
        self.tmp_path, self.broker, self.sandbox = tmp_path, broker, sandbox
        self.queue = f"sync-test-{uuid.uuid4().hex[:8]}"
        self.processes: list[subprocess.Popen] = []
        self.sender = Celery("sync-test-sender", broker=broker, set_as_current=False)

    def env(self, **extra) -> dict:
        env = dict(os.environ)
        env.update({
            "DATABASE_URL": test_database_url(), "CELERY_BROKER_URL": self.broker,
            "CELERY_RESULT_BACKEND": "cache+memory://",
            "NATIONAL_API_URL": self.sandbox.url, "NATIONAL_API_INSTITUTION": INSTITUTION,
            "NATIONAL_API_SECRET": SECRET, "NATIONAL_SYNC_LEASE_SECONDS": str(LEASE),
            "NATIONAL_API_TIMEOUT": "1", "NATIONAL_SYNC_BATCH_SIZE": "20",
            "NATIONAL_SYNC_SENDERS": "2",
            "NATIONAL_SYNC_RETRY_BASE_SECONDS": "1", "NATIONAL_SYNC_RETRY_MAX_SECONDS": "2",
            **extra,
        })
        return env

    def start(self, **extra) -> subprocess.Popen:
        log = self.tmp_path / f"worker-{len(self.processes)}.log"
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "vetschool", "worker", "--pool", "solo",
             "-Q", self.queue, "-n", f"{self.queue}-{len(self.processes)}@%h",
             "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "info"],
            cwd=ROOT, env=self.env(**extra), stdout=log.open("w"), stderr=subprocess.STDOUT)
        process.log = log
        self.processes.append(process)
        wait_for(lambda: "ready." in log.read_text() or process.poll() is not None,
                 timeout=60, message="the worker to start")
        assert process.poll() is None, log.read_text()
        return process

    def send(self, name: str, *args):
        self.sender.send_task(name, args=list(args), queue=self.queue)

    def stop(self):
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(20)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
        self.sender.close()

    def flush_redis(self):
        client = redis.Redis.from_url(self.broker)
        client.flushdb()
        client.close()


@pytest.fixture
def sandbox_slow(tmp_path):
    box = start_sandbox(tmp_path, "--latency-ms", "120")
    yield box
    box.stop()


@pytest.fixture
def workers(transactional_db, tmp_path, sandbox_slow, monkeypatch):
    broker = redis_broker_url()
    # Celery lets CELERY_BROKER_URL win over an app's own broker: point it at ours.
    monkeypatch.setenv("CELERY_BROKER_URL", broker)
    pool = Workers(tmp_path, broker, sandbox_slow)
    pool.flush_redis()
    yield pool
    pool.stop()


def queued_run() -> Run:
    return Run.objects.create(kind=Run.Kind.MANUAL, status=Run.Status.QUEUED)


def finished(run_id):
    run = Run.objects.get(pk=run_id)
    return run if run.status not in (Run.Status.QUEUED, Run.Status.RUNNING) else None


def tick_until_done(workers, *, timeout=120):
    """What beat does every few minutes: a drain, until nothing is left to send."""
    def done():
        if not (Batch.objects.filter(state=Batch.State.OPEN).exists()
                or Entry.objects.filter(state__in=["pending", "in_flight"]).exists()):
            return True
        workers.send("vetschool.sync.drain")
        return False

    wait_for(done, timeout=timeout, interval=1, message="the drain to finish the push")


def assert_no_duplicates(sandbox, records: int):
    """The ministry stored each record version once, under one batch id of ours."""
    stats = sandbox.stats()
    ours = {str(pk) for pk in Batch.objects.values_list("pk", flat=True)}
    assert stats["batches"] == len(ours)
    assert stats["accepted_total"] == records
    assert Entry.objects.filter(state=Entry.State.SENT, outcome="accepted").count() == records


def test_kill_9_in_the_middle_of_a_push_loses_nothing_and_stores_no_duplicate(workers):
    make_people(600)
    worker = workers.start()
    run = queued_run()
    workers.send("vetschool.sync.push_queued", run.pk)
    wait_for(lambda: Batch.objects.filter(state=Batch.State.ANSWERED).count() >= 5,
             timeout=90, message="some batches answered")

    os.kill(worker.pid, signal.SIGKILL)
    worker.wait()
    answered = Batch.objects.filter(state=Batch.State.ANSWERED).count()
    assert answered < 30, "killed too late to prove anything"
    # A change committed while the push was dead: sent by the next one.
    Person.objects.filter(pk=Person.objects.order_by("-pk").values("pk")[:1]).update(
        full_name="Changed while the worker was dead")

    workers.start()
    time.sleep(2 * LEASE)  # the dead worker's lease and heartbeat expire
    tick_until_done(workers)
    last = Run.objects.create(kind=Run.Kind.MANUAL, status=Run.Status.QUEUED)
    workers.send("vetschool.sync.push_queued", last.pk)
    wait_for(lambda: finished(last.pk), timeout=60, message="the next push")

    assert Run.objects.get(pk=run.pk).status == Run.Status.INTERRUPTED
    assert_sandbox_matches_college(workers.sandbox)
    assert_no_duplicates(workers.sandbox, 601)


def test_a_kill_between_the_answer_and_its_record_replays_the_same_batch(workers):
    make_people(400)
    # This worker (one sender thread, to count exactly) dies (os._exit) right after
    # receiving its 3rd answer.
    worker = workers.start(SYNC_FIXTURE_CRASH_AFTER_ANSWERS="3", NATIONAL_SYNC_SENDERS="1")
    run = queued_run()
    workers.send("vetschool.sync.push_queued", run.pk)
    worker.wait(90)
    assert worker.returncode == 137
    open_batches = list(Batch.objects.filter(state=Batch.State.OPEN))
    assert Batch.objects.filter(state=Batch.State.ANSWERED).count() == 2
    assert len(open_batches) == 1
    assert workers.sandbox.stats()["batches"] == 3  # the ministry stored the third

    workers.start()
    time.sleep(2 * LEASE)
    tick_until_done(workers)

    replayed = Batch.objects.get(pk=open_batches[0].pk)
    assert (replayed.state, replayed.replayed) == (Batch.State.ANSWERED, True)
    assert str(replayed.pk) in workers.sandbox.stats()["replayed_batches"]
    assert_sandbox_matches_college(workers.sandbox)
    assert_no_duplicates(workers.sandbox, 400)


def test_flushing_redis_in_the_middle_of_a_push_only_delays(workers):
    make_people(400)
    workers.start()
    first = queued_run()
    workers.send("vetschool.sync.push_queued", first.pk)
    wait_for(lambda: Batch.objects.filter(state=Batch.State.ANSWERED).count() >= 2,
             timeout=60, message="the push to be under way")
    Person.objects.filter(pk=Person.objects.order_by("pk").values("pk")[:1]).update(
        full_name="Changed mid-push")
    second = queued_run()  # "sync now" pressed again: its message waits in Redis...
    workers.send("vetschool.sync.push_queued", second.pk)

    workers.flush_redis()  # ...and is lost, with the running task's unacked message

    first = wait_for(lambda: finished(first.pk), timeout=90, message="the first push")
    assert first.status == Run.Status.SUCCEEDED
    time.sleep(1)
    assert Run.objects.get(pk=second.pk).status == Run.Status.QUEUED  # delayed...
    time.sleep(LEASE)
    workers.send("vetschool.sync.drain")  # ...until the next beat tick
    second = wait_for(lambda: finished(second.pk), timeout=60, message="the second push")
    assert second.status == Run.Status.SUCCEEDED
    assert_sandbox_matches_college(workers.sandbox)
    first_person = Person.objects.order_by("pk").first()
    assert workers.sandbox.live()[first_person.national_id][1]["full_name"] == \
        "Changed mid-push"


def test_two_workers_and_repeated_beats_run_one_push_per_slot(workers):
    make_people(200)
    workers.start()
    workers.start()
    slot = datetime.datetime(2025, 3, 10, 1, 0, tzinfo=datetime.UTC).isoformat()
    for _ in range(4):  # two beats, a restart at the trigger time, a redelivery
        workers.send("vetschool.sync.push_nightly", slot)

    run = wait_for(lambda: Run.objects.filter(kind=Run.Kind.NIGHTLY).first(), timeout=60,
                   message="the nightly run")
    run = wait_for(lambda: finished(run.pk), timeout=90, message="the nightly push")
    time.sleep(2)  # let the other messages be consumed
    assert Run.objects.filter(kind=Run.Kind.NIGHTLY).count() == 1
    assert run.status == Run.Status.SUCCEEDED
    assert_sandbox_matches_college(workers.sandbox)
    assert_no_duplicates(workers.sandbox, 200)
