"""A decision's valid diplomas printed into one PDF in the background (Celery), with a
progress row (done / total) that the admin page polls. The originals are stored documents
(vetschool.documents): chunks spread over every worker render the diplomas whose stored
file is stale or missing (usually none: each is rendered when it is issued), then the last
step joins the stored files."""

from __future__ import annotations

from django.core.files.base import ContentFile

from degrees import tasks
from degrees.models import Diploma, DiplomaPrintJob, DiplomaStatus, GraduationDecision
from vetschool.documents.services import documents_bulk, documents_joined
from vetschool.jobs import job_finish, job_start, queue_after_commit


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
    """Hand a queued job's diplomas to the workers once; a second delivery of the task does
    nothing (None)."""
    return job_start(DiplomaPrintJob, job_id, _fan_out)


def print_job_finish(job_id: int) -> int | None:
    """The job's last step, after every chunk: its PDF from the stored originals."""
    return job_finish(DiplomaPrintJob, job_id, _merge)


def _fan_out(job: DiplomaPrintJob) -> int:
    from degrees.documents import DIPLOMA

    ids = list(decision_diplomas(job.decision).values_list("pk", flat=True))
    job.total = len(ids)  # diplomas revoked since the job was queued are left out
    job.save(update_fields=["total"])
    documents_bulk(DIPLOMA, ids, job=job, then=tasks.diploma_print_job_finish.si(job.pk))
    return len(ids)


def _merge(job: DiplomaPrintJob) -> int:
    from degrees.documents import DIPLOMA

    # Revoked between the chunks and now: left out, as the job promises valid diplomas.
    ids = list(decision_diplomas(job.decision).values_list("pk", flat=True))
    job.file.save(f"bang-{job.decision.number.replace('/', '-')}-{job.pk}.pdf",
                  ContentFile(documents_joined(DIPLOMA, ids, job)), save=False)
    job.total = job.done = len(ids)
    return len(ids)


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
