"""A large recompute spread over REAL Celery workers (a prefork pool of 2, Redis): the
enrolments in chunks run in parallel as a chord, then a last step (issue #17). The chunked
run gives results identical, column by column, to one in-process `results_recompute`; a
chunk run twice writes nothing the second time (no history, no outbox row). Skipped
without a Redis CELERY_BROKER_URL."""

import time
from decimal import Decimal

import pytest

from grading.models import ModuleResult, RecomputeJob, ResultsStamp, TermSummary
from grading.services.results import results_recompute
from grading.services.stamps import RESULT_COLUMNS, TERM_COLUMNS
from tests.grading.factories import section, world
from tests.grading.test_gradebook import fill, submit_and_approve
from vetschool.jobs import JobStatus
from vetschool.sync.models import Change

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

SIZE = 7  # learners; chunks of 2: four chunks over two worker processes


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch, settings):
    monkeypatch.setenv("RECOMPUTE_CHUNK_SIZE", "2")  # read by the workers' settings
    settings.RECOMPUTE_CHUNK_SIZE = 2


@pytest.fixture
def graded(teacher, registrar):
    """Seven learners, two approved modules: results written by the approvals."""
    w = world(SIZE)
    for code, columns, scores in (
            ("MH08", ("TX1", "DK1"), ["7.0", "6.0", "8.0", "5.5", "3.0", "9.0", "4.5"]),
            ("MĐ07", ("TX1", "DK1", "DK2"), ["5.0", "8.5", "6.0", "2.0", "7.5", "6.5", "9.5"])):
        sec = section(w, code, teacher=teacher)
        checks = [str(max(Decimal("5.0"), Decimal(score))) for score in scores]  # may sit
        fill(sec, teacher, {**dict.fromkeys(columns, checks), "THI1": scores})
        submit_and_approve(sec, teacher, registrar)
    return w


def _results(ids) -> tuple[dict, dict]:
    """Every column the recompute writes, keyed by enrolment and module / semester."""
    results = {(r["enrollment_id"], r["module_id"]): r for r in ModuleResult.objects.filter(
        enrollment_id__in=ids).values("enrollment_id", *RESULT_COLUMNS)}
    terms = {(t["enrollment_id"], t["semester_id"]): t for t in TermSummary.objects.filter(
        enrollment_id__in=ids).values("enrollment_id", *TERM_COLUMNS)}
    return results, terms


def _spoil(ids) -> None:
    """What makes every enrolment computed again and something to write: no fingerprints,
    results changed or deleted behind the service's back (the same each time)."""
    ResultsStamp.objects.filter(enrollment_id__in=ids).delete()
    ModuleResult.objects.filter(enrollment_id__in=ids[::2]).update(
        score_10="0.5", letter="F", score_4="0.0", passed=False)
    TermSummary.objects.filter(enrollment_id__in=ids[1::3]).delete()


def _written() -> tuple[int, int, int]:
    return (ModuleResult.pgh_event_model.objects.count(),
            TermSummary.pgh_event_model.objects.count(), Change.objects.count())


def _wait(job: RecomputeJob, log, until) -> RecomputeJob:
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if until(job):
            return job
        time.sleep(0.3)
    raise AssertionError((job.status, job.done, job.chunks_done, job.error,
                          log.read_text()[-3000:]))


def test_the_chunked_recompute_over_the_workers_equals_one_in_process_run(
        workers, graded, registrar):
    send, log = workers
    ids = sorted(e.pk for e in graded.enrollments)
    _spoil(ids)
    single = results_recompute(enrollment_ids=ids, by=registrar)
    expected = _results(ids)
    assert single.skipped == 0 and single.module_results_written > 0
    assert len(expected[0]) == 2 * SIZE and expected[1]

    _spoil(ids)
    assert _results(ids) != expected
    job = RecomputeJob.objects.create(created_by=registrar)
    send("grading.results_recompute_job_run", job.pk)
    job = _wait(job, log, lambda j: j.finished)

    assert job.status == JobStatus.DONE, job.error
    assert (job.total, job.done, job.chunks, job.chunks_done) == (SIZE, SIZE, 4, 4)
    assert job.chunks_failed == 0 and job.error == ""
    assert job.skipped == 0
    assert job.module_results_written == single.module_results_written
    assert job.term_summaries_written == single.term_summaries_written
    assert _results(ids) == expected  # every column of every row
    assert ResultsStamp.objects.filter(enrollment_id__in=ids).count() == SIZE
    # The chunks ran in the pool, each one once.
    assert log.read_text().count("Task grading.results_recompute_chunk[") >= 2 * 4


def test_a_chunk_run_twice_writes_nothing_the_second_time(
        workers, graded, registrar):
    send, log = workers
    ids = sorted(e.pk for e in graded.enrollments)
    expected = _results(ids)
    _spoil(ids)
    chunk = ids[:2]
    # A job running with two chunks' room: the same chunk delivered twice.
    job = RecomputeJob.objects.create(created_by=registrar, status=JobStatus.RUNNING,
                                      total=4, chunks=2)
    before = _written()

    send("grading.results_recompute_chunk", job.pk, chunk)
    job = _wait(job, log, lambda j: j.chunks_done == 1)
    after_first = _written()
    assert after_first[0] > before[0] and after_first[2] > before[2]  # it wrote and synced
    assert job.module_results_written > 0

    send("grading.results_recompute_chunk", job.pk, chunk)
    job = _wait(job, log, lambda j: j.chunks_done == 2)
    assert _written() == after_first  # no history row, no outbox row
    assert job.skipped == 2 and job.done == 4
    assert {k: v for k, v in _results(ids)[0].items() if k[0] in chunk} == \
        {k: v for k, v in expected[0].items() if k[0] in chunk}
