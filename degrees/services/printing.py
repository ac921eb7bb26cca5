"""A decision's valid diplomas printed into one PDF in the background (Celery), with a
progress row (done / total) that the admin page polls."""

from __future__ import annotations

import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from degrees.models import (
    Diploma,
    DiplomaPrintJob,
    DiplomaStatus,
    GraduationDecision,
    PrintStatus,
)
from degrees.tasks import diploma_print_job_run

logger = logging.getLogger(__name__)


def decision_diplomas(decision: GraduationDecision):
    return (Diploma.objects.filter(decision_line__decision=decision,
                                   status=DiplomaStatus.ISSUED)
            .order_by("serial_sequence"))


def print_job_create(*, decision: GraduationDecision, by) -> DiplomaPrintJob:
    job = DiplomaPrintJob.objects.create(decision=decision, requested_by=by,
                                         total=decision_diplomas(decision).count())
    transaction.on_commit(lambda: diploma_print_job_run.delay(job.pk))
    return job


def print_job_run(job_id: int) -> int:
    from degrees.pdf import diplomas_pdf

    job = DiplomaPrintJob.objects.select_related("decision").get(pk=job_id)
    diplomas = list(decision_diplomas(job.decision))
    DiplomaPrintJob.objects.filter(pk=job.pk).update(status=PrintStatus.RUNNING,
                                                     total=len(diplomas), done=0)

    def progress(done: int) -> None:
        DiplomaPrintJob.objects.filter(pk=job.pk).update(done=done)

    try:
        content = diplomas_pdf(diplomas, progress=progress)
    except Exception as exc:
        logger.exception("diploma print job %s failed", job.pk)
        DiplomaPrintJob.objects.filter(pk=job.pk).update(
            status=PrintStatus.FAILED, error=str(exc)[:2000], finished_at=timezone.now())
        raise
    job.refresh_from_db()
    job.file.save(f"bang-{job.decision.number.replace('/', '-')}-{job.pk}.pdf",
                  ContentFile(content), save=False)
    job.status = PrintStatus.DONE
    job.done = job.total = len(diplomas)
    job.finished_at = timezone.now()
    job.save(update_fields=["file", "status", "done", "total", "finished_at"])
    return len(diplomas)


def diplomas_render(diploma_ids: list[int]) -> int:
    """Render each diploma (with its annex) to its own PDF in the storage, e.g. to hand the
    files to a printing house; used by the benchmark to spread rendering over workers."""
    from django.core.files.storage import default_storage

    from degrees.pdf import diploma_filename, diploma_pdf

    count = 0
    for diploma in Diploma.objects.filter(pk__in=diploma_ids).order_by("serial_sequence"):
        name = f"diplomas/single/{diploma_filename(diploma)}"
        if default_storage.exists(name):
            default_storage.delete(name)
        default_storage.save(name, ContentFile(diploma_pdf(diploma)))
        count += 1
    return count
