"""The register's PDF/XLSX export of a selection of diplomas.

A few diplomas are exported in the request (DiplomaAdmin's actions); a selection larger
than DEGREES_REGISTER_IN_REQUEST is a `RegisterExportJob` rendered by a worker, its page
showing the progress, then the download for the one who asked, or the error
(vetschool.jobs)."""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from degrees import tasks
from degrees.models import ExportFormat, RegisterExportJob
from vetschool.jobs import job_run, queue_after_commit
from vetschool.reference.models import Institution

FILENAMES = {ExportFormat.PDF: "so-goc-cap-bang.pdf", ExportFormat.XLSX: "so-goc-cap-bang.xlsx"}


def register_selection(diploma_ids):
    """The register rows of the selected diplomas, in register order (year, serial)."""
    from degrees.exports import register_rows

    return register_rows().filter(pk__in=diploma_ids)


def register_export(diplomas, export_format: str) -> bytes:
    """The register extract of `diplomas` (register rows) as PDF or XLSX bytes."""
    from degrees.exports import register_xlsx
    from degrees.pdf import register_pdf

    if export_format == ExportFormat.PDF:
        return register_pdf(diplomas, institution=Institution.current())
    return register_xlsx(diplomas)


@transaction.atomic
def register_export_start(*, diploma_ids: Sequence[int], export_format: str,
                          by) -> RegisterExportJob:
    """Queue the export of the selected diplomas (ids in register order)."""
    job = RegisterExportJob.objects.create(
        format=export_format, diploma_ids=list(diploma_ids), total=len(diploma_ids),
        language=translation.get_language() or settings.LANGUAGE_CODE, created_by=by)
    queue_after_commit(tasks.register_export_run, job.pk)
    return job


def register_export_run(job_id: int) -> int | None:
    """Render the job's file; None when the job was not queued any more (a second
    delivery). A selected diploma missing from the register fails the job, its error on
    the job's page: a register extract never silently leaves a row out."""

    def work(job: RegisterExportJob) -> int:
        diplomas = list(register_selection(job.diploma_ids))
        missing = len(set(job.diploma_ids)) - len(diplomas)
        with translation.override(job.language or settings.LANGUAGE_CODE):
            if missing:
                raise LookupError(
                    _("%(n)d of the selected diplomas are not in the register.")
                    % {"n": missing})
            content = register_export(diplomas, job.format)
        job.file.save(FILENAMES[job.format], ContentFile(content), save=False)
        job.done = len(diplomas)
        return job.done

    return job_run(RegisterExportJob, job_id, work)
