"""Celery tasks of staff: thin wrappers taking ids and calling one service.

A task imports its service inside its body: services import this module to queue
tasks, so the arrow between the two files runs one way at import time.
"""

from celery import shared_task


@shared_task(name="staff.staff_import_run")
def staff_import_run(import_id: int) -> None:
    from staff.services.imports import staff_import_job_run

    staff_import_job_run(import_id=import_id)
