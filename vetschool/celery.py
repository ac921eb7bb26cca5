"""The Celery app. Without CELERY_BROKER_URL tasks run eagerly in the calling process."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vetschool.settings")

app = Celery("vetschool")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="vetschool.ping")
def ping(value: int) -> dict:
    """Round trip used by /healthz and the worker test: proves a worker ran it."""
    return {"pong": value, "worker_pid": os.getpid()}
