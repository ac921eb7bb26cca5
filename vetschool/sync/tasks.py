"""Celery tasks of the sync: thin wrappers that take ids and call one service.

A message lost with Redis, or redelivered after a worker died, costs nothing: the
nightly slot is a unique row, a queued run starts once, and the drain finds in
PostgreSQL whatever a push left behind.

A task imports its service inside its body: the services import this module to queue
tasks, so the arrow between the two files runs one way at import time.
"""

import datetime

from celery import shared_task


@shared_task(name="vetschool.sync.push_nightly")
def push_nightly(slot: str | None = None) -> int | None:
    from vetschool.sync import services

    run = services.push_nightly(slot=datetime.datetime.fromisoformat(slot) if slot else None)
    return run.pk if run else None


@shared_task(name="vetschool.sync.push_queued")
def push_queued(run_id: int) -> str | None:
    from vetschool.sync import services

    run = services.push_queued(run_id=run_id)
    return run.status if run else None


@shared_task(name="vetschool.sync.drain")
def drain() -> int | None:
    from vetschool.sync import services

    run = services.drain()
    return run.pk if run else None


@shared_task(name="vetschool.sync.reconcile")
def reconcile() -> int:
    from vetschool.sync import services

    return services.reconcile().pk
