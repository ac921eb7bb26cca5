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
