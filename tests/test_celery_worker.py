"""A real worker runs a task through the real broker (CI sets CELERY_BROKER_URL)."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from vetschool.celery import app, ping

ROOT = Path(__file__).resolve().parents[1]

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.skipif(
        not os.environ.get("CELERY_BROKER_URL"),
        reason="no CELERY_BROKER_URL: set it (e.g. redis://127.0.0.1:6379/14) to test a worker",
    ),
]


@pytest.fixture
def worker_queue():
    queue = f"test-{uuid.uuid4().hex[:8]}"
    env = {k: v for k, v in os.environ.items() if k != "PYTEST_VERSION"}
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "vetschool", "worker", "--pool=solo",
         "--concurrency=1", "-Q", queue, "-n", f"{queue}@%h",
         "--without-gossip", "--without-mingle",
         "--loglevel=WARNING"],
        cwd=ROOT, env=env,
    )
    yield queue, process
    process.terminate()
    process.wait(timeout=30)


def test_a_real_worker_runs_a_task_through_the_broker(worker_queue):
    queue, process = worker_queue
    app.conf.task_always_eager = False
    result = ping.apply_async(args=[41], queue=queue)
    answer = result.get(timeout=60)
    assert answer == {"pong": 41, "worker_pid": process.pid}
    assert answer["worker_pid"] != os.getpid()


def test_a_real_worker_knows_every_task_the_beat_schedule_names(worker_queue):
    from django.conf import settings

    queue, process = worker_queue
    app.conf.task_always_eager = False
    ping.apply_async(args=[1], queue=queue).get(timeout=60)  # the worker is up
    replies = app.control.inspect(timeout=10).registered() or {}
    registered = next(tasks for name, tasks in replies.items() if name.startswith(f"{queue}@"))
    beat_tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert beat_tasks and beat_tasks <= set(registered), beat_tasks - set(registered)
