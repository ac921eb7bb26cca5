"""The learner import's uploads, run as background jobs (vetschool.imports, vetschool.jobs)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from vetschool.imports import ImportJob
from vetschool.jobs import BackgroundJob, job_file_path


class LearnerImport(ImportJob):
    """One upload of the learner import: its file, how it went, and its row report.

    The import runs as a background job (vetschool.imports.ImportJob on vetschool.jobs):
    a large file never ties up a web request; the page shows the result when the job is
    done. `file` is the upload, deleted once nothing of it was imported.
    """

    file_folder = "imports/learners"
    file = models.FileField(_("file"), upload_to=job_file_path, max_length=200)

    class Meta(ImportJob.Meta):
        verbose_name = _("learner import")
        verbose_name_plural = _("learner imports")


class AdmissionLetterJob(BackgroundJob):
    """Admission letters of many applicants rendered as one PDF by a worker: a large
    selection never ties up a web request (enrollment/letters.py)."""

    file_folder = "enrollment/letters"
    application_ids = models.JSONField(_("applications"), default=list)

    class Meta(BackgroundJob.Meta):
        verbose_name = _("admission letter printing")
        verbose_name_plural = _("admission letter printings")

    def __str__(self):
        return f"{self.total} ({self.created_at:%d/%m/%Y %H:%M})"
