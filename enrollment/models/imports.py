"""The learner import's uploads, run as background jobs (vetschool.jobs)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from vetschool.jobs import BackgroundJob, JobStatus


class LearnerImport(BackgroundJob):
    """One upload of the learner import: its file, how it went, and its row report.

    The import runs as a background job (STYLE #19, vetschool.jobs): a large file never
    ties up a web request; the page shows the result when the job is done. `total` counts
    the file's rows; `file` is the upload, deleted once nothing of it was imported.
    """

    Status = JobStatus

    file = models.FileField(_("file"), upload_to="imports/learners/%Y/", max_length=200)
    filename = models.CharField(_("file name"), max_length=200)
    dry_run = models.BooleanField(_("check only"), default=False)
    new = models.PositiveIntegerField(_("new"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    problems = models.JSONField(_("problems"), default=list, blank=True)

    class Meta(BackgroundJob.Meta):
        verbose_name = _("learner import")
        verbose_name_plural = _("learner imports")

    def __str__(self):
        return f"{self.filename} ({self.created_at:%Y-%m-%d %H:%M})"

    @property
    def ok(self) -> bool:
        return self.status == self.Status.DONE and not self.problems and not self.error

    @property
    def imported(self) -> int:
        return 0 if (self.dry_run or not self.ok) else self.new + self.updated
