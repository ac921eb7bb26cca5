"""A decision's valid diplomas printed into one PDF in the background (Celery), with a
progress row (done / total) that the admin page polls."""

from __future__ import annotations

from django.core.files.base import ContentFile

from degrees import tasks
from degrees.models import Diploma, DiplomaPrintJob, DiplomaStatus, GraduationDecision
from vetschool.jobs import job_run, queue_after_commit


def decision_diplomas(decision: GraduationDecision):
    return (Diploma.objects.filter(decision_line__decision=decision,
                                   status=DiplomaStatus.ISSUED)
            .order_by("serial_sequence"))


def print_job_create(*, decision: GraduationDecision, by) -> DiplomaPrintJob:
    job = DiplomaPrintJob.objects.create(decision=decision, created_by=by,
                                         total=decision_diplomas(decision).count())
    queue_after_commit(tasks.diploma_print_job_run, job.pk)
    return job


def print_job_run(job_id: int) -> int | None:
    """Print a queued job once; a second delivery of the task does nothing (None)."""
    return job_run(DiplomaPrintJob, job_id, _print)


def _print(job: DiplomaPrintJob) -> int:
    from degrees.pdf import diplomas_pdf

    diplomas = list(decision_diplomas(job.decision))
    job.total = len(diplomas)  # diplomas revoked since the job was queued are left out
    job.save(update_fields=["total"])
    content = diplomas_pdf(diplomas, progress=job.set_progress)
    job.file.save(f"bang-{job.decision.number.replace('/', '-')}-{job.pk}.pdf",
                  ContentFile(content), save=False)
    job.done = len(diplomas)
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
