"""Celery tasks of enrolment: thin wrappers taking ids and calling one service."""

from celery import shared_task


@shared_task(name="enrollment.learner_import_run")
def learner_import_run(import_id: int) -> None:
    from enrollment import services

    services.learner_import_run(import_id=import_id)
