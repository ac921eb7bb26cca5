"""A large recompute of results spread over every Celery worker (issue #17): after a
change of the grading rules or of the computing code every enrolment's results are
recomputed, which at a 20,000-learner college is minutes of one process. A RecomputeJob
(vetschool.jobs) splits the enrolments into chunks of RECOMPUTE_CHUNK_SIZE run in parallel
as a Celery chord; each chunk is one `results_recompute` in its own transaction and
advances the job's progress (enrolments and chunks done, rows written) in that same
transaction; the last step records the job as done, or as failed with each failed
chunk's error.

A chunk may run twice (a worker lost mid-chunk is redelivered, acks late; a chunk that
met a database error is retried): its transaction either committed or did not, and a
second run finds every enrolment's fingerprint unchanged (grading.services.stamps) and
writes nothing — compare-then-write — so no history or outbox row is written twice.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Least

from grading import tasks
from grading.models import LearnerRound, RecomputeJob
from grading.rules import require_office
from grading.services.results import results_recompute
from vetschool.jobs import ERROR_LENGTH, JobStatus, job_finish, job_start, queue_after_commit


class RecomputeChunksFailed(Exception):
    pass


def chunk_size() -> int:
    return max(1, int(settings.RECOMPUTE_CHUNK_SIZE))


def recompute_job_create(*, by=None, enrollment_ids: Iterable[int] | None = None
                         ) -> RecomputeJob:
    """Store a recompute of these enrolments (None: every enrolment with study rounds);
    the workers start it once the current transaction commits. `by` (the training office,
    or None from the command line) is who dismissals under a closed review are by."""
    if by is not None:
        require_office(by)
    job = RecomputeJob.objects.create(
        created_by=by, enrollment_ids=sorted(set(enrollment_ids or ())))
    queue_after_commit(tasks.results_recompute_job_run, job.pk)
    return job


def recompute_job_run(job_id: int) -> int | None:
    """Hand a queued job's chunks to the workers once; None for a second delivery."""
    return job_start(RecomputeJob, job_id, _fan_out)


def recompute_job_targets(job: RecomputeJob) -> list[int]:
    """The enrolments whose results come from study rounds (results imported from the
    previous system have none and stay as imported), among the job's if it names some."""
    rounds = LearnerRound.objects.values_list("enrollment_id", flat=True).distinct()
    if job.enrollment_ids:
        rounds = rounds.filter(enrollment_id__in=job.enrollment_ids)
    return sorted(rounds)


def _fan_out(job: RecomputeJob) -> int:
    from celery import chord

    ids = recompute_job_targets(job)
    size = chunk_size()
    chunks = [ids[start:start + size] for start in range(0, len(ids), size)]
    job.total, job.chunks = len(ids), len(chunks)
    job.save(update_fields=["total", "chunks"])
    finish = tasks.results_recompute_job_finish.si(job.pk)
    if not chunks:
        finish.delay()
    else:
        chord(tasks.results_recompute_chunk.si(job.pk, chunk) for chunk in chunks)(finish)
    return len(chunks)


def recompute_job_chunk(job_id: int, enrollment_ids: list[int]) -> int:
    """One chunk: recompute these enrolments and count them on the job, in one
    transaction. Returns the rows written (0 for a job no longer running)."""
    job = RecomputeJob.objects.filter(pk=job_id, status=JobStatus.RUNNING).first()
    if job is None:
        return 0
    with transaction.atomic():
        stats = results_recompute(enrollment_ids=enrollment_ids, by=job.created_by)
        written = stats.module_results_written + stats.term_summaries_written
        # A chunk counted twice (run again after its commit) is never past the totals.
        RecomputeJob.objects.filter(pk=job_id, status=JobStatus.RUNNING).update(
            done=Least(F("done") + len(enrollment_ids), F("total")),
            chunks_done=Least(F("chunks_done") + 1, F("chunks")),
            module_results_written=F("module_results_written") + stats.module_results_written,
            term_summaries_written=F("term_summaries_written") + stats.term_summaries_written,
            skipped=F("skipped") + stats.skipped)
    return written


def recompute_job_chunk_failed(job_id: int, enrollment_ids: list[int], error: BaseException
                               ) -> None:
    """A chunk that failed for good (retries spent, or an error no retry mends): its
    enrolments keep their stored results; the error is on the job, which the last step
    records as failed."""
    first, last = (enrollment_ids[0], enrollment_ids[-1]) if enrollment_ids else (0, 0)
    line = f"[{first}–{last}] {type(error).__name__}: {error}"[:500] + "\n"
    RecomputeJob.objects.filter(pk=job_id, status=JobStatus.RUNNING).update(
        chunks_failed=F("chunks_failed") + 1, error=Concat(F("error"), Value(line)))


def recompute_job_finish(job_id: int) -> int | None:
    """The job's last step, after every chunk: done, or failed naming the failed chunks."""
    return job_finish(RecomputeJob, job_id, _close)


def _close(job: RecomputeJob) -> int:
    if job.chunks_failed:
        raise RecomputeChunksFailed(
            f"{job.chunks_failed}/{job.chunks}: {job.error}"[:ERROR_LENGTH - 40])
    job.done, job.chunks_done = job.total, job.chunks
    return job.total
