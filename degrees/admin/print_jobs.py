"""Background diploma print jobs: their progress page and the finished PDF."""

from __future__ import annotations

from django.contrib import admin
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from degrees.admin.common import anyone_here
from degrees.models import DiplomaPrintJob
from vetschool.admin import ReadOnlyAdminMixin, admin_permission
from vetschool.jobs import job_progress


@admin.register(DiplomaPrintJob)
class DiplomaPrintJobAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["decision", "status", "done", "total", "created_at", "finished_at",
                    "open"]
    list_select_related = ["decision"]

    @admin.display(description=_("progress"))
    def open(self, obj):
        return format_html('<a href="{}">{}</a>',
                           reverse("admin:degrees_diplomaprintjob_progress", args=[obj.pk]),
                           f"{obj.percent} %")

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/progress/", view(self.progress_view),
                 name="degrees_diplomaprintjob_progress"),
            path("<int:pk>/download/", view(self.download_view),
                 name="degrees_diplomaprintjob_download"),
            *super().get_urls(),
        ]

    @admin_permission("degrees.change_diploma")
    def progress_view(self, request, pk):
        jobs = DiplomaPrintJob.objects.select_related("decision")
        if request.GET.get("format") == "json":
            return job_progress(request, jobs, pk, may_see=anyone_here)
        job = get_object_or_404(jobs, pk=pk)
        return render(request, "admin/degrees/print_job.html", {
            **self.admin_site.each_context(request), "opts": self.model._meta, "job": job,
            "title": _("Printing the diplomas of decision %(number)s") % {
                "number": job.decision.number}})

    @admin_permission("degrees.change_diploma")
    def download_view(self, request, pk):
        job = get_object_or_404(DiplomaPrintJob.objects.select_related("decision"), pk=pk)
        if not job.file:
            raise Http404
        return FileResponse(job.file.open("rb"), as_attachment=True,
                            filename=f"bang-{job.decision.number.replace('/', '-')}.pdf")
