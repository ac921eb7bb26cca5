"""Background jobs: one model shape, one way to run, queue and follow them.

A long job (class transcripts, diploma printing, learner imports, later quality reports)
is a row of a model built on `BackgroundJob`. A service creates the row and queues its
Celery task with `queue_after_commit`, so a worker never looks for a row that is not
committed yet, and nothing is queued when the transaction rolls back. The task calls
`job_run`, which claims the row atomically: a task delivered twice (a redelivery after a
worker restart, a double click) finds it taken and does nothing. The page that shows the
job includes `jobs/progress.html` and answers its polling with `job_progress`.

The platform imports no domain app: each app passes its model, its work and who may look.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from pathlib import PurePosixPath
from typing import TypeVar

from django.conf import settings
from django.db import models, transaction
from django.db.models import F
from django.db.models.functions import Least
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

ERROR_LENGTH = 2000


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


def job_file_path(instance: BackgroundJob, filename: str) -> str:
    """`<folder>/<year>/<month>/<generated name><suffix>`, the folder named by the job
    model. The name is random: an uploaded file's own name may carry personal data, and a
    guessed path never reaches a file (downloads name the file themselves)."""
    created = instance.created_at or timezone.now()
    suffix = PurePosixPath(filename).suffix.lower()[:10]
    return f"{instance.file_folder}/{created:%Y/%m}/{secrets.token_hex(16)}{suffix}"


class BackgroundJob(models.Model):
    """A job run by a Celery worker: its state, progress, who asked, its error and file."""

    file_folder = "jobs"  # where `file` goes in the storage; each model names its own

    status = models.CharField(_("status"), max_length=10, choices=JobStatus.choices,
                              default=JobStatus.QUEUED)
    total = models.PositiveIntegerField(_("total"), default=0)
    done = models.PositiveIntegerField(_("done"), default=0)
    error = models.TextField(_("error"), blank=True)
    file = models.FileField(_("file"), upload_to=job_file_path, blank=True, max_length=200)
    # Nobody for a scheduled job; a person is never deleted while a job names them.
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("requested by"))
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at"]

    @property
    def percent(self) -> int:
        return 100 if not self.total else int(self.done * 100 / self.total)

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)

    def set_progress(self, done: int) -> None:
        """Save the progress at once (the page polls it), keeping this instance in step."""
        type(self).objects.filter(pk=self.pk).update(done=done)
        self.done = done

    def progress_json(self) -> dict:
        return {"status": self.status, "done": self.done, "total": self.total,
                "percent": self.percent, "error": self.error, "download": bool(self.file)}


Job = TypeVar("Job", bound=BackgroundJob)


def job_run(model: type[Job], job_id: int, work: Callable[[Job], object]) -> object:
    """Claim the queued job, run `work(job)` on it, and record how it ended.

    Returns what `work` returned, or None when the job was not queued any more (a second
    delivery of the task, or a job already running or finished): then nothing is done.
    `work` may set fields on the job (counts, file); they are saved with its end. A failure
    is recorded on the job, then re-raised for the worker's log.
    """
    claimed = model.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=timezone.now(), done=0, error="")
    if not claimed:
        return None
    job = model.objects.get(pk=job_id)
    try:
        result = work(job)
    except Exception as exc:
        logger.exception("%s %s failed", model._meta.model_name, job_id)
        _finish(job, JobStatus.FAILED, error=f"{type(exc).__name__}: {exc}"[:ERROR_LENGTH])
        raise
    _finish(job, JobStatus.DONE)
    return result


def job_start(model: type[Job], job_id: int, work: Callable[[Job], object]) -> object:
    """Claim the queued job and run `work(job)`, which hands the job on (e.g. a Celery
    chord of chunks over every worker, ending in a task that calls `job_finish`): the job
    stays running. Returns None for a job not queued any more; a failure is recorded."""
    claimed = model.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=timezone.now(), done=0, error="")
    if not claimed:
        return None
    job = model.objects.get(pk=job_id)
    try:
        return work(job)
    except Exception as exc:
        logger.exception("%s %s failed", model._meta.model_name, job_id)
        _finish(job, JobStatus.FAILED, error=f"{type(exc).__name__}: {exc}"[:ERROR_LENGTH])
        raise


def job_finish(model: type[Job], job_id: int, work: Callable[[Job], object]) -> object:
    """The last step of a job handed on by `job_start`: run `work(job)` on the running job
    and record how it ended. None (and nothing done) when the job is not running: a second
    delivery of the last step."""
    job = model.objects.filter(pk=job_id, status=JobStatus.RUNNING).first()
    if job is None:
        return None
    try:
        result = work(job)
    except Exception as exc:
        logger.exception("%s %s failed", model._meta.model_name, job_id)
        _finish(job, JobStatus.FAILED, error=f"{type(exc).__name__}: {exc}"[:ERROR_LENGTH])
        raise
    _finish(job, JobStatus.DONE)
    return result


def job_advance(model: type[BackgroundJob], job_id: int, count: int) -> None:
    """Add `count` to a running job's progress (one chunk of it done), never past its
    total: a chunk delivered twice does not count twice beyond it."""
    model.objects.filter(pk=job_id, status=JobStatus.RUNNING).update(
        done=Least(F("done") + count, F("total")))


def _finish(job: BackgroundJob, status: str, *, error: str = "") -> None:
    job.status = status
    job.error = error
    job.finished_at = timezone.now()
    job.save()


def queue_after_commit(task, *args, using: str | None = None, **kwargs) -> None:
    """Queue `task.delay(*args, **kwargs)` once the current transaction commits.

    Outside a transaction it is queued at once; if the transaction rolls back, never.
    Every job is queued this way, from the service that creates it."""
    transaction.on_commit(lambda: task.delay(*args, **kwargs), using=using)


def requested_by_asker(user, job: BackgroundJob) -> bool:
    """The default check of `job_progress`: only who asked for the job follows it."""
    return job.created_by_id is not None and job.created_by_id == user.pk


def job_progress(request, queryset, pk: int,
                 may_see: Callable[[object, BackgroundJob], bool] = requested_by_asker
                 ) -> JsonResponse:
    """The JSON the progress widget polls. A job the asker may not see is a 404: whether
    it exists is not theirs to know. The app's view checks the role first."""
    job = get_object_or_404(queryset, pk=pk)
    if not may_see(request.user, job):
        raise Http404
    return JsonResponse(job.progress_json())
