"""Class-wide transcript PDFs, rendered in the background (STYLE #19, vetschool.jobs): the
request stores a TranscriptBatch and returns; the task hands the class's transcripts to
the stored documents (vetschool.documents.documents_bulk): chunks spread over every worker
render only the transcripts whose content changed since their stored file, each chunk
advancing the batch's progress (the page polls it); the last step joins the stored files
into the batch's PDF. A failure is recorded."""

from __future__ import annotations

from django.core.files.base import ContentFile

from enrollment.models import Enrollment
from grading import tasks
from grading.documents import TRANSCRIPT
from grading.models import TranscriptBatch
from vetschool.documents.services import documents_bulk, documents_joined
from vetschool.jobs import job_finish, job_start, queue_after_commit


def transcript_batch_start(*, homeroom_class, enrollments, by) -> TranscriptBatch:
    """Store the batch for these enrolments; it is rendered once the request commits."""
    batch = TranscriptBatch.objects.create(
        homeroom_class=homeroom_class, enrollment_ids=[e.pk for e in enrollments],
        total=len(enrollments), created_by=by)
    queue_after_commit(tasks.transcript_batch_render, batch.pk)
    return batch


def transcript_batch_run(*, batch_id: int) -> int:
    """Hand the batch's transcripts to the workers; returns how many (0 for a redelivery)."""
    return job_start(TranscriptBatch, batch_id, _fan_out) or 0


def transcript_batch_finish(*, batch_id: int) -> int:
    """The batch's last step, after every chunk: its PDF from the stored transcripts."""
    return job_finish(TranscriptBatch, batch_id, _merge) or 0


def _learner_ids(batch: TranscriptBatch) -> list[int]:
    learners = dict(Enrollment.objects.filter(pk__in=batch.enrollment_ids)
                    .values_list("pk", "learner_id"))
    return [learners[pk] for pk in batch.enrollment_ids if pk in learners]


def _fan_out(batch: TranscriptBatch) -> int:
    learner_ids = _learner_ids(batch)
    documents_bulk(TRANSCRIPT, learner_ids, job=batch,
                   then=tasks.transcript_batch_finish.si(batch.pk))
    return len(learner_ids)


def _merge(batch: TranscriptBatch) -> int:
    learner_ids = _learner_ids(batch)
    batch.file.save(f"bang-diem-{batch.homeroom_class.code}-{batch.pk}.pdf",
                    ContentFile(documents_joined(TRANSCRIPT, learner_ids, batch)), save=False)
    batch.done = min(len(learner_ids), batch.total)
    return len(learner_ids)
