"""Class-wide transcript PDFs, rendered in the background (STYLE #19): the request stores a
TranscriptBatch and returns; the task renders, saving its progress after every learner so
that the page polling the batch shows it; a failure is recorded, never lost."""

from __future__ import annotations

import logging

from django.core.files.base import ContentFile
from django.db.models import F
from django.utils import timezone

from enrollment.models import Enrollment
from grading.models import BatchStatus, TranscriptBatch
from grading.pdf import transcripts_pdf
from grading.transcripts import transcript_of

logger = logging.getLogger(__name__)


def transcript_batch_run(*, batch_id: int) -> int:
    """Render the batch; returns the number of transcripts rendered."""
    updated = TranscriptBatch.objects.filter(
        pk=batch_id, status__in=[BatchStatus.QUEUED, BatchStatus.FAILED]
    ).update(status=BatchStatus.RUNNING, done=0, error="")
    if not updated:
        return 0  # already running or done: a redelivered task does nothing
    batch = TranscriptBatch.objects.select_related("homeroom_class").get(pk=batch_id)
    try:
        learners = {e.pk: e.learner for e in Enrollment.objects.filter(
            pk__in=batch.enrollment_ids).select_related("learner")}
        ordered = [learners[pk] for pk in batch.enrollment_ids if pk in learners]

        def progress(done: int) -> None:
            TranscriptBatch.objects.filter(pk=batch_id).update(done=done)

        content = transcripts_pdf((transcript_of(learner) for learner in ordered), progress)
        batch.refresh_from_db()
        batch.file.save(f"bang-diem-{batch.homeroom_class.code}-{batch.pk}.pdf",
                        ContentFile(content), save=False)
        batch.status = BatchStatus.DONE
        batch.finished_at = timezone.now()
        batch.save(update_fields=["file", "status", "finished_at"])
        return len(ordered)
    except Exception as exc:
        logger.exception("transcript batch %s failed", batch_id)
        TranscriptBatch.objects.filter(pk=batch_id).update(
            status=BatchStatus.FAILED, error=str(exc)[:2000], finished_at=timezone.now(),
            done=F("done"))
        raise
