"""Celery tasks of enrolment: thin wrappers taking ids and calling one service.

A task imports its service inside its body: services import this module to queue
tasks, so the arrow between the two files runs one way at import time.
"""

from celery import shared_task


@shared_task(name="enrollment.learner_import_run")
def learner_import_run(import_id: int) -> None:
    from enrollment.services.imports import learner_import_run as run

    run(import_id=import_id)


@shared_task(name="enrollment.admission_letters_render")
def admission_letters_render(job_id: int) -> None:
    from enrollment.letters import letters_job_run

    letters_job_run(job_id=job_id)


@shared_task(name="enrollment.retention_erase")
def retention_erase() -> int:
    """Nightly: erase the personal data of applicants not admitted whose round closed more
    than ENROLLMENT_RETENTION_DAYS ago. No arguments: nothing personal travels in a task."""
    from enrollment.services.privacy import applications_erase_expired

    return applications_erase_expired()
