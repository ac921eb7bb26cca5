"""A large recompute as a job (grading.services.recompute_jobs), in process (eager Celery,
the tests' default without a broker): the command queues it, the chunks and the last step
record its progress and end; a chunk that fails is recorded and fails the job, leaving the
stored results as they were. The run over real workers: test_recompute_chunks_worker.py."""

import pytest
from django.core.management import call_command

from grading import tasks
from grading.models import ModuleResult, RecomputeJob, ResultsStamp
from grading.services.recompute_jobs import RecomputeChunksFailed, recompute_job_finish
from tests.grading.test_recompute_chunks_worker import SIZE, _results, _spoil, graded  # noqa: F401
from vetschool.jobs import JobStatus

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def chunks_of_three(settings):
    settings.RECOMPUTE_CHUNK_SIZE = 3


def test_the_command_recomputes_every_enrolment_in_chunks(graded, django_capture_on_commit_callbacks):  # noqa: F811,E501
    from vetschool.celery import app

    if not app.conf.task_always_eager:
        pytest.skip("runs the chord in process: without CELERY_BROKER_URL")
    ids = sorted(e.pk for e in graded.enrollments)
    expected = _results(ids)
    _spoil(ids)

    with django_capture_on_commit_callbacks(execute=True):
        call_command("recompute_results")

    job = RecomputeJob.objects.get()
    assert job.status == JobStatus.DONE, job.error
    assert (job.total, job.done, job.chunks, job.chunks_done) == (SIZE, SIZE, 3, 3)
    assert job.module_results_written > 0 and job.skipped == 0
    assert _results(ids) == expected


def test_a_failed_chunk_is_recorded_and_fails_the_job(graded, registrar):  # noqa: F811
    ids = sorted(e.pk for e in graded.enrollments)
    ResultsStamp.objects.filter(enrollment_id__in=ids).delete()
    ModuleResult.objects.filter(enrollment_id__in=ids[:2]).update(score_10="0.5")
    job = RecomputeJob.objects.create(created_by=registrar, status=JobStatus.RUNNING,
                                      total=SIZE, chunks=2)

    # An id that is no number: the chunk's transaction rolls back, the chord goes on.
    assert tasks.results_recompute_chunk.apply(args=(job.pk, ["x"])).get() == 0
    assert tasks.results_recompute_chunk.apply(args=(job.pk, ids[1:])).get() > 0
    job.refresh_from_db()
    assert (job.chunks_failed, job.chunks_done, job.done) == (1, 1, SIZE - 1)
    assert "[x–x] ValueError" in job.error

    with pytest.raises(RecomputeChunksFailed):
        recompute_job_finish(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.error.startswith("RecomputeChunksFailed: 1/2: [x–x] ValueError")
    # The failed chunk's enrolment keeps its stored result, the other chunk's are written.
    assert ModuleResult.objects.filter(enrollment_id=ids[0], score_10="0.5").exists()
    assert not ModuleResult.objects.filter(enrollment_id=ids[1], score_10="0.5").exists()
    assert not ResultsStamp.objects.filter(enrollment_id=ids[0]).exists()
    assert ResultsStamp.objects.filter(enrollment_id__in=ids[1:]).count() == SIZE - 1
