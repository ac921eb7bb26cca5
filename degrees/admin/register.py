"""The diploma register: diplomas (PDF, replace, revoke, certified copy, register export)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from degrees import exports, forms
from degrees.admin.common import form_page
from degrees.documents import DIPLOMA
from degrees.models import Diploma, DiplomaStatus, ExportFormat, RegisterExportJob
from degrees.pdf import certified_copy_filename, certified_copy_pdf, diploma_filename
from degrees.services import register, register_exports
from vetschool.admin import ExportPermissionMixin, ReadOnlyAdminMixin, admin_permission
from vetschool.documents.services import document_pdf
from vetschool.forms import add_service_errors
from vetschool.jobs import job_progress
from vetschool.pdf import pdf_response
from vetschool.reference.models import Gender, Institution
from vetschool.uploads import file_download

CONTENT_TYPES = {ExportFormat.PDF: "application/pdf", ExportFormat.XLSX: exports.XLSX_TYPE}


@admin.register(Diploma)
class DiplomaAdmin(ExportPermissionMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """The original register (sổ gốc): read-only; corrections are replacements."""

    list_display = ["register_number", "serial_number", "holder_name", "status", "date_of_birth",
                    "occupation_code", "level", "classification", "decision_number",
                    "issue_date", "links"]
    list_filter = ["status", "level", "year", "classification"]
    search_fields = ["serial_number", "register_number", "holder_name", "decision_number"]
    list_select_related = ["replaces"]
    actions = ["export_xlsx", "export_pdf"]
    exclude = ["credential", "national_id"]

    def has_change_permission(self, request, obj=None):
        # Actions need it; the form stays read-only (every field is listed as read-only).
        return request.user.has_perm("degrees.change_diploma")

    # Stored as frozen values, shown as a person reads them: the gender's label, not its
    # code ("male"), and the annex as the table printed on the diploma, not raw JSON.
    SHOWN_AS = {"gender": "gender_label", "annex": "annex_table"}

    def get_readonly_fields(self, request, obj=None):
        return [self.SHOWN_AS.get(f.name, f.name)
                for f in self.model._meta.fields if f.name not in self.exclude]

    def get_fields(self, request, obj=None):
        return self.get_readonly_fields(request, obj)

    @admin.display(description=_("gender"))
    def gender_label(self, obj):
        return Gender(obj.gender).label if obj.gender in Gender.values else obj.gender

    @admin.display(description=_("transcript annex"))
    def annex_table(self, obj):
        return render_to_string("admin/degrees/diploma/annex.html", {"annex": obj.annex or {}})

    @admin.display(description=_("actions"))
    def links(self, obj):
        parts = [("pdf", _("print"))]
        if obj.status == DiplomaStatus.ISSUED:
            parts += [("replace", _("replace")), ("revoke", _("revoke"))]
        parts.append(("copy", _("certified copy")))
        return format_html(" · ".join(['<a href="{}">{}</a>'] * len(parts)), *[
            item for name, label in parts
            for item in (reverse(f"admin:degrees_diploma_{name}", args=[obj.pk]), label)])

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/diploma.pdf", view(self.pdf_view), name="degrees_diploma_pdf"),
            path("<int:pk>/replace/", view(self.replace_view), name="degrees_diploma_replace"),
            path("<int:pk>/revoke/", view(self.revoke_view), name="degrees_diploma_revoke"),
            path("<int:pk>/copy/", view(self.copy_view), name="degrees_diploma_copy"),
            path("register/jobs/<int:pk>/", view(self.register_job_view),
                 name="degrees_diploma_register_job"),
            path("register/jobs/<int:pk>/download/", view(self.register_job_download),
                 name="degrees_diploma_register_download"),
            *super().get_urls(),
        ]

    @admin.action(description=_("Export the register (XLSX)"), permissions=["export"])
    def export_xlsx(self, request, queryset):
        return self._export(request, queryset, ExportFormat.XLSX)

    @admin.action(description=_("Export the register (PDF)"), permissions=["export"])
    def export_pdf(self, request, queryset):
        return self._export(request, queryset, ExportFormat.PDF)

    def _export(self, request, queryset, export_format):
        """A few diplomas at once; a larger selection ("select all" over a big register)
        is rendered by a worker while the asker follows its page."""
        rows = register_exports.register_selection(queryset.values("pk"))
        ids = list(rows.values_list("pk", flat=True))
        if len(ids) > settings.DEGREES_REGISTER_IN_REQUEST:
            job = register_exports.register_export_start(
                diploma_ids=ids, export_format=export_format, by=request.user)
            return HttpResponseRedirect(
                reverse("admin:degrees_diploma_register_job", args=[job.pk]))
        content = register_exports.register_export(rows, export_format)
        filename = register_exports.FILENAMES[export_format]
        if export_format == ExportFormat.PDF:
            return pdf_response(content, filename, inline=False)
        response = HttpResponse(content, content_type=exports.XLSX_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response

    @admin_permission("export")
    def register_job_view(self, request, pk):
        """The progress of one's own register export, then its file or its error; another
        person's job is a 404."""
        jobs = RegisterExportJob.objects.filter(created_by=request.user)
        if request.GET.get("format") == "json":
            return job_progress(request, jobs, pk)
        job = get_object_or_404(jobs, pk=pk)
        return render(request, "admin/degrees/diploma/register_job.html", {
            **self.admin_site.each_context(request), "opts": self.model._meta, "job": job,
            "title": gettext("Export the register (%(format)s)") % {
                "format": job.get_format_display()},
            "intro": ngettext(
                "The register row of %(n)d diploma is being exported in the background; "
                "this page follows it.",
                "The register rows of %(n)d diplomas are being exported in the background; "
                "this page follows them.", job.total) % {"n": job.total},
            "download_label": gettext("Download the %(format)s file") % {
                "format": job.get_format_display()}})

    @admin_permission("export")
    def register_job_download(self, request, pk):
        job = get_object_or_404(RegisterExportJob, pk=pk, created_by=request.user)
        return file_download(job.file, filename=register_exports.FILENAMES[job.format],
                             content_type=CONTENT_TYPES[job.format])

    @admin_permission("change")  # an original is printed by the office, not read by all
    def pdf_view(self, request, pk):
        """The diploma; with ?copy=N its certified copy number N from the register."""
        diploma = get_object_or_404(Diploma, pk=pk)
        if "copy" in request.GET:
            number = request.GET["copy"]
            copy = get_object_or_404(diploma.copies.select_related("diploma"),
                                     number=int(number) if number.isdigit() else 0)
            institution = Institution.current()
            return pdf_response(
                certified_copy_pdf(copy, rector_name=getattr(institution, "rector_name", "")),
                certified_copy_filename(copy))
        return pdf_response(document_pdf(DIPLOMA, diploma.pk), diploma_filename(diploma))

    def _action_view(self, request, pk, form_class, run, *, title, submit_label, done):
        diploma = get_object_or_404(Diploma, pk=pk)
        form = form_class(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                run(diploma, form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                self.message_user(request, done, messages.SUCCESS)
                return redirect("admin:degrees_diploma_changelist")
        return form_page(self, request, form=form, submit_label=submit_label,
                     title=f"{title} — {diploma}")

    @admin_permission("change")
    def replace_view(self, request, pk):
        return self._action_view(
            request, pk, forms.ReplaceForm,
            lambda d, data: register.diploma_replace(diploma=d, reason=data["reason"],
                                                     by=request.user),
            title=_("Replace a diploma"), submit_label=_("Issue the replacement"),
            done=_("Replacement issued; the old diploma is marked replaced."))

    @admin_permission("change")
    def revoke_view(self, request, pk):
        return self._action_view(
            request, pk, forms.RevokeForm,
            lambda d, data: register.diploma_revoke(diploma=d, by=request.user, **data),
            title=_("Revoke a diploma"), submit_label=_("Revoke"),
            done=_("Diploma revoked."))

    @admin_permission("change")
    def copy_view(self, request, pk):
        return self._action_view(
            request, pk, forms.CertifiedCopyForm,
            lambda d, data: register.certified_copy_issue(diploma=d, by=request.user, **data),
            title=_("Issue a certified copy"), submit_label=_("Record the copy"),
            done=_("Certified copy recorded in the register."))
