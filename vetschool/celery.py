"""The Celery app. Without CELERY_BROKER_URL tasks run eagerly in the calling process."""

import os
from pathlib import Path

from celery import Celery
from celery.signals import task_postrun, task_prerun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vetschool.settings")


def filesystem_transport_options(folder: Path) -> dict:
    """kombu's `filesystem://` transport (`make run`): every process that sends or receives
    reads and writes the same folders, created here. One message is one file."""
    queue, control, processed = folder / "queue", folder / "control", folder / "processed"
    for path in (queue, control, processed, folder / "results"):
        path.mkdir(parents=True, exist_ok=True)
    return {"data_folder_in": str(queue), "data_folder_out": str(queue),
            "control_folder": str(control), "processed_folder": str(processed),
            "store_processed": False}


app = Celery("vetschool")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# History written by a task carries the task's name and id, as a request's carries its
# user and URL: a worker has no request. Nested in a request (eager), they add to it.
_history_contexts: dict[str, object] = {}


@task_prerun.connect
def _open_history_context(task_id=None, task=None, **kwargs):
    import pghistory

    context = pghistory.context(celery_task=task.name, celery_task_id=task_id)
    context.__enter__()
    _history_contexts[task_id] = context


@task_postrun.connect
def _close_history_context(task_id=None, **kwargs):
    context = _history_contexts.pop(task_id, None)
    if context is not None:
        context.__exit__(None, None, None)


@app.task(name="vetschool.ping")
def ping(value: int) -> dict:
    """Round trip used by /healthz and the worker test: proves a worker ran it."""
    return {"pong": value, "worker_pid": os.getpid()}
