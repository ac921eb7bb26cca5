"""Background print jobs: a decision's valid diplomas rendered into one PDF (vetschool.jobs)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from degrees.models.review import GraduationDecision
from vetschool.jobs import BackgroundJob, job_file_path


def print_job_upload_to(instance, filename: str) -> str:
    """Named by migration 0001; the path is now `DiplomaPrintJob.file_folder`'s."""
    return job_file_path(instance, filename)


class DiplomaPrintJob(BackgroundJob):
    """A decision's valid diplomas rendered into one PDF in the background (Celery)."""

    file_folder = "diplomas"

    decision = models.ForeignKey(GraduationDecision, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("decision"))

    class Meta(BackgroundJob.Meta):
        verbose_name = _("diploma print job")
        verbose_name_plural = _("diploma print jobs")
        constraints = [
            models.CheckConstraint(condition=Q(done__lte=models.F("total")),
                                   name="diploma_print_progress"),
        ]

    def __str__(self):
        return f"{self.decision} · {self.created_at:%d/%m/%Y %H:%M}"
