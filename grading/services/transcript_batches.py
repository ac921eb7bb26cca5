"""Class-wide transcript PDFs, rendered in the background (STYLE #19, vetschool.jobs): the
request stores a TranscriptBatch and returns; the task renders, saving its progress after
every learner so that the page polling the batch shows it; a failure is recorded."""

from __future__ import annotations

from django.core.files.base import ContentFile

from enrollment.models import Enrollment
from grading import tasks
from grading.models import TranscriptBatch
from grading.pdf import transcripts_pdf
from grading.transcripts import transcript_of
from vetschool.jobs import job_run, queue_after_commit


def transcript_batch_start(*, homeroom_class, enrollments, by) -> TranscriptBatch:
    """Store the batch for these enrolments; it is rendered once the request commits."""
    batch = TranscriptBatch.objects.create(
        homeroom_class=homeroom_class, enrollment_ids=[e.pk for e in enrollments],
        total=len(enrollments), created_by=by)
    queue_after_commit(tasks.transcript_batch_render, batch.pk)
    return batch


def transcript_batch_run(*, batch_id: int) -> int:
    """Render the batch; returns the number of transcripts rendered (0 for a redelivery)."""
    return job_run(TranscriptBatch, batch_id, _render) or 0


def _render(batch: TranscriptBatch) -> int:
    learners = {e.pk: e.learner for e in Enrollment.objects.filter(
        pk__in=batch.enrollment_ids).select_related("learner")}
    ordered = [learners[pk] for pk in batch.enrollment_ids if pk in learners]
    content = transcripts_pdf((transcript_of(learner) for learner in ordered),
                              batch.set_progress)
    batch.file.save(f"bang-diem-{batch.homeroom_class.code}-{batch.pk}.pdf",
                    ContentFile(content), save=False)
    return len(ordered)
