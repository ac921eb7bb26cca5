"""Background exports of the diploma register (sổ gốc): a large selection of diplomas
rendered into one PDF or XLSX by a worker (vetschool.jobs, degrees/services/register_exports.py)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from vetschool.jobs import BackgroundJob


class ExportFormat(models.TextChoices):
    PDF = "pdf", "PDF"
    XLSX = "xlsx", "XLSX"


class RegisterExportJob(BackgroundJob):
    """The register's rows of the selected diplomas, as one file for the one who asked."""

    file_folder = "degrees/register"

    format = models.CharField(_("format"), max_length=4, choices=ExportFormat.choices)
    # In register order (year, serial); a selection, not a filter: what was ticked is printed.
    diploma_ids = models.JSONField(_("diplomas"), default=list)
    # The asker's interface language: the XLSX headings follow it (the PDF is always in
    # Vietnamese, an official extract).
    language = models.CharField(_("language"), max_length=10, blank=True)

    class Meta(BackgroundJob.Meta):
        verbose_name = _("register export")
        verbose_name_plural = _("register exports")
        constraints = [
            models.CheckConstraint(condition=Q(done__lte=models.F("total")),
                                   name="register_export_progress"),
        ]

    def __str__(self):
        return f"{self.get_format_display()} · {self.total} ({self.created_at:%d/%m/%Y %H:%M})"
