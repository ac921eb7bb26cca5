"""Statistical reports (docs/quality.md, "The 2222 dashboard and statistical reports"):
one row per report asked for, with its parameters and, once a worker has computed them,
its figures frozen as JSON — the same report later shows the same figures even after the
records change. The XLSX is stored; the PDF is rendered from the frozen figures."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from vetschool.jobs import BackgroundJob


class StatisticalReport(BackgroundJob):
    file_folder = "quality/reports"

    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to (as of)"))
    figures = models.JSONField(_("figures"), default=dict, blank=True)

    class Meta(BackgroundJob.Meta):
        verbose_name = _("statistical report")
        verbose_name_plural = _("statistical reports")
        constraints = [models.CheckConstraint(
            condition=models.Q(period_start__lte=models.F("period_end")),
            name="quality_report_period_ordered")]

    def __str__(self):
        return f"{self.period_start:%d/%m/%Y}–{self.period_end:%d/%m/%Y}"


class OpenDataSnapshot(models.Model):
    """The published open-data figures (quality/opendata.py): a new row each time the
    nightly rebuild finds them changed. The first row's time is the dataset's issue date,
    the newest row's its modification date; the public files show the newest row."""

    made_at = models.DateTimeField(_("published at"), auto_now_add=True)
    rows = models.JSONField(_("rows"), default=list)

    class Meta:
        verbose_name = _("open-data snapshot")
        verbose_name_plural = _("open-data snapshots")
        ordering = ["-made_at", "-id"]

    def __str__(self):
        return f"{self.made_at:%d/%m/%Y %H:%M}"
