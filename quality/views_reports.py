"""Statistical reports (/office/quality/reports/): ask for one (a background job), follow
its progress, download the frozen XLSX or the PDF rendered from the frozen figures."""

from __future__ import annotations

from django import forms
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from quality import reports, rules
from quality.models import StatisticalReport
from vetschool.accounts.decorators import allowed
from vetschool.jobs import JobStatus, job_progress
from vetschool.pdf import pdf_response, render_pdf


class ReportForm(forms.Form):
    period_start = forms.DateField(label=_("Period from"),
                                   widget=forms.DateInput(attrs={"type": "date"}))
    period_end = forms.DateField(label=_("Period to (as of)"),
                                 widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if data.get("period_start") and data.get("period_end") and \
                data["period_start"] > data["period_end"]:
            raise forms.ValidationError(_("The period must start before it ends."))
        return data


@allowed(rules.can_read_quality)
@require_http_methods(["GET", "POST"])
def report_list(request):
    today = timezone.localdate()
    form = ReportForm(request.POST or None, initial={
        "period_start": today.replace(month=1, day=1), "period_end": today})
    if request.method == "POST" and form.is_valid():
        report = reports.report_start(start=form.cleaned_data["period_start"],
                                      end=form.cleaned_data["period_end"], by=request.user)
        return redirect("quality:report", pk=report.pk)
    return render(request, "quality/reports.html", {
        "form": form,
        "reports": StatisticalReport.objects.select_related("created_by")
        .defer("figures")[:50]})


@allowed(rules.can_read_quality)
def report_detail(request, pk: int):
    if request.GET.get("format") == "json":  # any reader follows any report
        return job_progress(request, StatisticalReport.objects.all(), pk,
                            may_see=lambda user, job: True)
    report = get_object_or_404(StatisticalReport, pk=pk)
    return render(request, "quality/report.html", {
        "report": report, "dimensions": reports.dimension_labels(),
        "measures": reports.measure_labels(),
        "admission_labels": reports.admission_labels(),
        "employment_labels": reports.employment_labels()})


def _done(pk: int) -> StatisticalReport:
    report = get_object_or_404(StatisticalReport, pk=pk)
    if report.status != JobStatus.DONE:
        raise Http404
    return report


@allowed(rules.can_read_quality)
def report_xlsx(request, pk: int):
    report = _done(pk)
    return FileResponse(report.file.open("rb"), as_attachment=True,
                        filename=f"bao-cao-thong-ke-{report.period_end:%Y-%m-%d}.xlsx")


@allowed(rules.can_read_quality)
def report_pdf(request, pk: int):
    report = _done(pk)
    pdf = render_pdf("quality/pdf/report.html", {
        "report": report, "dimensions": reports.dimension_labels(),
        "measures": reports.measure_labels(), "admission_labels": reports.admission_labels(),
        "employment_labels": reports.employment_labels()},
        language="vi")
    return pdf_response(pdf, f"bao-cao-thong-ke-{report.period_end:%Y-%m-%d}.pdf")
