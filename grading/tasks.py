"""Celery tasks of grading: thin wrappers that take ids and call one service (STYLE #10)."""

from celery import shared_task


@shared_task(name="grading.transcript_batch_render")
def transcript_batch_render(batch_id: int) -> int:
    from grading.services.transcript_batches import transcript_batch_run

    return transcript_batch_run(batch_id=batch_id)


@shared_task(name="grading.transcript_batch_finish")
def transcript_batch_finish(batch_id: int) -> int:
    from grading.services.transcript_batches import transcript_batch_finish as finish

    return finish(batch_id=batch_id)


@shared_task(name="grading.standing_review_close")
def standing_review_close(job_id: int):
    from grading.services.results import standing_review_job_run

    review = standing_review_job_run(job_id=job_id)
    return review.pk if review is not None else None


@shared_task(name="grading.results_recompute_job_run")
def results_recompute_job_run(job_id: int) -> int | None:
    from grading.services.recompute_jobs import recompute_job_run

    return recompute_job_run(job_id)


# Acks late and requeued when its worker is lost (the settings' defaults): a chunk run
# twice writes nothing the second time (grading.services.recompute_jobs).
@shared_task(bind=True, name="grading.results_recompute_chunk", max_retries=3)
def results_recompute_chunk(self, job_id: int, enrollment_ids: list[int]) -> int:
    from django.db import InterfaceError, OperationalError

    from grading.services.recompute_jobs import recompute_job_chunk, recompute_job_chunk_failed

    try:
        return recompute_job_chunk(job_id, enrollment_ids)
    except (OperationalError, InterfaceError) as exc:  # a deadlock, a lost connection
        if self.request.retries < self.max_retries:
            raise self.retry(exc=exc, countdown=2 ** self.request.retries) from exc
        recompute_job_chunk_failed(job_id, enrollment_ids, exc)
    except Exception as exc:  # noqa: BLE001 — recorded on the job; the chord goes on
        recompute_job_chunk_failed(job_id, enrollment_ids, exc)
    return 0


@shared_task(name="grading.results_recompute_job_finish")
def results_recompute_job_finish(job_id: int) -> int | None:
    from grading.services.recompute_jobs import recompute_job_finish

    return recompute_job_finish(job_id)
