"""vetschool.jobs: a job runs once however often its task is delivered, a failure is kept
on the job, nothing is queued before (or without) the commit, and only who may see a job
follows its progress. The learner import stands in for any job model."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.http import Http404
from django.template.loader import render_to_string
from django.test import RequestFactory

from enrollment.models import LearnerImport
from tests.factories import UserFactory
from vetschool.jobs import (
    JobStatus,
    job_advance,
    job_finish,
    job_progress,
    job_run,
    job_start,
    queue_after_commit,
)

pytestmark = pytest.mark.django_db


def a_job(**fields) -> LearnerImport:
    return LearnerImport.objects.create(file=SimpleUploadedFile("x.csv", b"learner_code\n"),
                                        filename="x.csv", **fields)


class Work:
    """A job's work that counts its runs and leaves a trace on the job."""

    def __init__(self, fail: Exception | None = None):
        self.runs = 0
        self.fail = fail

    def __call__(self, job):
        self.runs += 1
        assert LearnerImport.objects.get(pk=job.pk).status == JobStatus.RUNNING
        job.set_progress(1)
        if self.fail:
            raise self.fail
        job.total, job.new = 3, 2
        return "result"


def test_a_job_runs_once_and_a_second_delivery_does_nothing():
    job, work = a_job(), Work()

    assert job_run(LearnerImport, job.pk, work) == "result"
    first = LearnerImport.objects.get(pk=job.pk)
    assert (first.status, first.done, first.total, first.new, first.error) == (
        JobStatus.DONE, 1, 3, 2, "")
    assert first.started_at and first.finished_at

    assert job_run(LearnerImport, job.pk, work) is None  # the task delivered again
    again = LearnerImport.objects.get(pk=job.pk)
    assert work.runs == 1
    assert (again.status, again.new, again.finished_at) == (JobStatus.DONE, 2,
                                                            first.finished_at)
    assert LearnerImport.objects.count() == 1


def test_a_job_already_running_is_left_to_its_worker():
    job, work = a_job(status=JobStatus.RUNNING), Work()

    assert job_run(LearnerImport, job.pk, work) is None
    assert work.runs == 0
    assert LearnerImport.objects.get(pk=job.pk).status == JobStatus.RUNNING


def test_a_failure_is_recorded_on_the_job_and_not_run_again():
    job, work = a_job(), Work(fail=ValueError("hỏng tệp"))

    with pytest.raises(ValueError):
        job_run(LearnerImport, job.pk, work)
    failed = LearnerImport.objects.get(pk=job.pk)
    assert (failed.status, failed.error, failed.done) == (
        JobStatus.FAILED, "ValueError: hỏng tệp", 1)
    assert failed.finished_at is not None

    assert job_run(LearnerImport, job.pk, work) is None
    assert work.runs == 1


class FakeTask:
    def __init__(self):
        self.queued = []

    def delay(self, *args, **kwargs):
        self.queued.append((args, kwargs))


def test_a_job_spread_over_workers_stays_running_until_its_last_step_once():
    job = a_job(total=5)
    handed_on = []
    assert job_start(LearnerImport, job.pk, lambda j: handed_on.append(j.pk) or 5) == 5
    assert job_start(LearnerImport, job.pk, lambda j: handed_on.append(j.pk)) is None
    assert handed_on == [job.pk]
    assert LearnerImport.objects.get(pk=job.pk).status == JobStatus.RUNNING

    job_advance(LearnerImport, job.pk, 3)
    job_advance(LearnerImport, job.pk, 3)  # a chunk delivered twice: never past the total
    assert LearnerImport.objects.get(pk=job.pk).done == 5

    assert job_finish(LearnerImport, job.pk, lambda j: "joined") == "joined"
    assert job_finish(LearnerImport, job.pk, lambda j: "again") is None  # second delivery
    done = LearnerImport.objects.get(pk=job.pk)
    assert done.status == JobStatus.DONE and done.finished_at
    job_advance(LearnerImport, job.pk, 1)  # a late chunk does not touch a finished job
    assert LearnerImport.objects.get(pk=job.pk).done == 5


def test_a_last_step_that_fails_is_recorded_on_the_job():
    job = a_job(total=1)
    job_start(LearnerImport, job.pk, lambda j: None)
    with pytest.raises(OSError):
        job_finish(LearnerImport, job.pk, Work(fail=OSError("disk full")))
    failed = LearnerImport.objects.get(pk=job.pk)
    assert (failed.status, failed.error) == (JobStatus.FAILED, "OSError: disk full")


def test_a_task_is_queued_only_after_the_commit(django_capture_on_commit_callbacks):
    task = FakeTask()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        queue_after_commit(task, 7, reason="x")
        assert task.queued == []  # not before the commit
    assert task.queued == [((7,), {"reason": "x"})]


def test_nothing_is_queued_when_the_transaction_rolls_back(django_capture_on_commit_callbacks):
    task = FakeTask()
    with (django_capture_on_commit_callbacks(execute=True) as callbacks,
          pytest.raises(RuntimeError), transaction.atomic()):
        queue_after_commit(task, 7)
        raise RuntimeError
    assert callbacks == [] and task.queued == []


def _progress(user, job, **kwargs):
    request = RequestFactory().get("/?format=json")
    request.user = user
    return job_progress(request, LearnerImport.objects.all(), job.pk, **kwargs)


def test_who_asked_follows_the_progress_and_nobody_else():
    owner, other = UserFactory(), UserFactory()
    job = a_job(created_by=owner, total=4, done=1)

    response = _progress(owner, job)
    assert json.loads(response.content) == {"status": "queued", "done": 1, "total": 4,
                                            "percent": 25, "error": "", "download": True}
    with pytest.raises(Http404):
        _progress(other, job)
    with pytest.raises(Http404):  # an unknown job looks the same
        _progress(owner, LearnerImport(pk=job.pk + 1000))
    # an app may let others follow it (e.g. the whole office)
    assert _progress(other, job, may_see=lambda user, job: True).status_code == 200


def test_the_progress_widget_polls_its_json_with_a_static_script():
    job = a_job(total=2)
    html = render_to_string("jobs/progress.html", {
        "job": job, "poll_url": "/jobs/1/", "download_url": "/jobs/1/file/"})
    assert 'data-job-poll="/jobs/1/?format=json"' in html
    assert 'data-status="queued"' in html and 'max="2"' in html
    assert "job_progress.js" in html and "<script>" not in html
