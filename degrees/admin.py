"""The registrar's console for degrees: run a class's graduation review, export it, adjust
lines with reasons, record the decision, issue and print diplomas (background job with
progress), replace, revoke, certified copies, the register as XLSX / PDF and the queue of
online requests. Legal rows are read-only here; every write goes through a service."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from degrees import exports, forms
from degrees.models import (
    CertifiedCopy,
    CopyRequest,
    DecisionLine,
    Diploma,
    DiplomaPrintJob,
    DiplomaStatus,
    GraduationDecision,
    GraduationReview,
    ReviewLine,
    ReviewStatus,
)
from degrees.pdf import diploma_filename, diploma_pdf, register_pdf
from degrees.services import decisions, printing, register, requests, review
from vetschool.forms import add_service_errors
from vetschool.pdf import pdf_response
from vetschool.reference.models import Institution


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def _page(modeladmin, request, *, title, form, submit_label, intro=""):
    return render(request, "admin/training/page.html", {
        **modeladmin.admin_site.each_context(request), "opts": modeladmin.model._meta,
        "title": title, "form": form, "submit_label": submit_label, "intro": intro})


def _can_write(request, model: str) -> bool:
    return request.user.has_perm(f"degrees.change_{model}")


class LineInline(admin.TabularInline):
    model = ReviewLine
    extra = 0
    can_delete = False
    fields = ["learner", "earned_credits", "required_credits", "cumulative_gpa_4", "eligible",
              "reasons_text", "proposed_classification", "downgraded", "final_eligible",
              "final_classification", "adjust"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("enrollment__learner")

    @admin.display(description=_("learner"))
    def learner(self, obj):
        return obj.enrollment.learner

    @admin.display(description=_("reasons"))
    def reasons_text(self, obj):
        return "; ".join(obj.reason_labels)

    @admin.display(description=_("adjust"))
    def adjust(self, obj):
        return format_html('<a href="{}">{}</a>',
                           reverse("admin:degrees_graduationreview_adjust", args=[obj.pk]),
                           _("adjust"))


@admin.register(GraduationReview)
class GraduationReviewAdmin(admin.ModelAdmin):
    list_display = ["homeroom_class", "review_date", "status", "created_by", "created_at",
                    "links"]
    list_filter = ["status"]
    list_select_related = ["homeroom_class", "created_by"]
    search_fields = ["homeroom_class__code"]
    inlines = [LineInline]
    readonly_fields = ["homeroom_class", "review_date", "status", "note", "created_by",
                       "created_at"]

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("actions"))
    def links(self, obj):
        parts = [format_html('<a href="{}">{}</a>',
                             reverse("admin:degrees_graduationreview_xlsx", args=[obj.pk]),
                             _("export XLSX"))]
        if obj.status == ReviewStatus.OPEN:
            parts.append(format_html(
                '<a href="{}">{}</a>',
                reverse("admin:degrees_graduationreview_decide", args=[obj.pk]),
                _("record the decision")))
        return format_html(" · ".join(["{}"] * len(parts)), *parts)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/review.xlsx", view(self.xlsx_view),
                 name="degrees_graduationreview_xlsx"),
            path("<int:pk>/decide/", view(self.decide_view),
                 name="degrees_graduationreview_decide"),
            path("lines/<int:pk>/adjust/", view(self.adjust_view),
                 name="degrees_graduationreview_adjust"),
            *super().get_urls(),
        ]

    def add_view(self, request, form_url="", extra_context=None):
        """Adding a review means running it for a class."""
        if not self.has_add_permission(request):
            raise Http404
        form = forms.ReviewRunForm(request.POST or None,
                                   initial={"review_date": timezone.localdate()})
        if request.method == "POST" and form.is_valid():
            try:
                result = review.review_run(homeroom_class=form.cleaned_data["homeroom_class"],
                                           review_date=form.cleaned_data["review_date"],
                                           note=form.cleaned_data["note"], by=request.user)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                self.message_user(request, _("Review done: %(count)s learners.") % {
                    "count": result.lines.count()}, messages.SUCCESS)
                return redirect("admin:degrees_graduationreview_change", result.pk)
        return _page(self, request, title=_("Run the graduation review of a class"),
                     form=form, submit_label=_("Run the review"),
                     intro=_("Every learner still in the class is reviewed against the "
                             "graduation conditions; nothing is decided until the decision "
                             "is recorded."))

    def xlsx_view(self, request, pk):
        item = get_object_or_404(GraduationReview.objects.select_related("homeroom_class"),
                                 pk=pk)
        lines = (ReviewLine.objects.filter(review=item)
                 .select_related("enrollment__learner")
                 .prefetch_related("adjustments__by"))
        response = HttpResponse(exports.review_xlsx(item, lines),
                                content_type=exports.XLSX_TYPE)
        response["Content-Disposition"] = (
            f'attachment; filename="xet-tot-nghiep-{item.homeroom_class.code}.xlsx"')
        return response

    def adjust_view(self, request, pk):
        if not _can_write(request, "graduationreview"):
            raise Http404
        line = get_object_or_404(ReviewLine.objects.select_related("enrollment__learner"),
                                 pk=pk)
        form = forms.AdjustForm(request.POST or None, initial={
            "eligible": line.final_eligible, "classification": line.final_classification})
        if request.method == "POST" and form.is_valid():
            try:
                review.review_adjust(line=line, by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                self.message_user(request, _("Adjustment recorded."), messages.SUCCESS)
                return redirect("admin:degrees_graduationreview_change", line.review_id)
        return _page(self, request, form=form, submit_label=_("Record the adjustment"),
                     title=_("Adjust the review of %(learner)s") % {
                         "learner": line.enrollment.learner},
                     intro="; ".join(line.reason_labels))

    def decide_view(self, request, pk):
        if not _can_write(request, "graduationreview"):
            raise Http404
        item = get_object_or_404(GraduationReview, pk=pk)
        institution = Institution.current()
        form = forms.DecisionForm(request.POST or None, initial={
            "date": timezone.localdate(),
            "signer_name": institution.rector_name if institution else "",
            "signer_title": "Hiệu trưởng"})
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                decision = decisions.decision_record(
                    review=item, number=data["number"], date_=data["date"],
                    signer_name=data["signer_name"], signer_title=data["signer_title"],
                    by=request.user)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                self.message_user(request, _("Decision recorded: %(count)s learners "
                                             "graduated.") % {"count": decision.lines.count()},
                                  messages.SUCCESS)
                return redirect("admin:degrees_graduationdecision_change", decision.pk)
        recognised = item.lines.filter(final_eligible=True).count()
        return _page(self, request, form=form, submit_label=_("Record the decision"),
                     title=_("Graduation decision for %(review)s") % {"review": item},
                     intro=_("%(count)s learners are recognised in this review.") % {
                         "count": recognised})


class DecisionLineInline(admin.TabularInline):
    model = DecisionLine
    extra = 0
    can_delete = False
    fields = ["enrollment", "classification", "cumulative_gpa_4"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("enrollment__learner",
                                                            "enrollment__occupation")


@admin.register(GraduationDecision)
class GraduationDecisionAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["number", "date", "signer_name", "review", "recorded_by", "links"]
    list_select_related = ["review__homeroom_class", "recorded_by"]
    search_fields = ["number"]
    inlines = [DecisionLineInline]

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("degrees.view_graduationdecision")

    @admin.display(description=_("actions"))
    def links(self, obj):
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a>',
            reverse("admin:degrees_graduationdecision_issue", args=[obj.pk]),
            _("issue diplomas"),
            reverse("admin:degrees_graduationdecision_print", args=[obj.pk]),
            _("print diplomas"))

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/issue/", view(self.issue_view),
                 name="degrees_graduationdecision_issue"),
            path("<int:pk>/print/", view(self.print_view),
                 name="degrees_graduationdecision_print"),
            *super().get_urls(),
        ]

    def issue_view(self, request, pk):
        if not _can_write(request, "diploma"):
            raise Http404
        decision = get_object_or_404(GraduationDecision, pk=pk)
        form = forms.IssueForm(request.POST or None,
                               initial={"issue_date": timezone.localdate()})
        if request.method == "POST" and form.is_valid():
            try:
                issued = register.decision_issue_all(
                    decision=decision, by=request.user,
                    issue_date=form.cleaned_data["issue_date"])
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                self.message_user(request, _("%(count)s diplomas issued.") % {
                    "count": len(issued)}, messages.SUCCESS)
                return redirect(reverse("admin:degrees_diploma_changelist")
                                + f"?decision_number={decision.number}")
        return _page(self, request, form=form, submit_label=_("Issue the diplomas"),
                     title=_("Issue the diplomas of decision %(number)s") % {
                         "number": decision.number})

    def print_view(self, request, pk):
        if not _can_write(request, "diploma"):
            raise Http404
        decision = get_object_or_404(GraduationDecision, pk=pk)
        job = printing.print_job_create(decision=decision, by=request.user)
        return redirect("admin:degrees_diplomaprintjob_progress", job.pk)


@admin.register(Diploma)
class DiplomaAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """The original register (sổ gốc): read-only; corrections are replacements."""

    list_display = ["register_number", "serial_number", "holder_name", "date_of_birth",
                    "occupation_code", "level", "classification", "decision_number",
                    "issue_date", "status", "links"]
    list_filter = ["status", "level", "year", "classification"]
    search_fields = ["serial_number", "register_number", "holder_name", "decision_number"]
    list_select_related = ["replaces"]
    actions = ["export_xlsx", "export_pdf"]
    exclude = ["credential", "national_id"]

    def has_change_permission(self, request, obj=None):
        # Actions need it; the form stays read-only (every field is listed as read-only).
        return request.user.has_perm("degrees.change_diploma")

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields if f.name not in self.exclude]

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
            *super().get_urls(),
        ]

    @admin.action(description=_("Export the register (XLSX)"), permissions=["view"])
    def export_xlsx(self, request, queryset):
        rows = exports.register_rows().filter(pk__in=queryset.values("pk"))
        response = HttpResponse(exports.register_xlsx(rows), content_type=exports.XLSX_TYPE)
        response["Content-Disposition"] = 'attachment; filename="so-goc-cap-bang.xlsx"'
        return response

    @admin.action(description=_("Export the register (PDF)"), permissions=["view"])
    def export_pdf(self, request, queryset):
        rows = exports.register_rows().filter(pk__in=queryset.values("pk"))
        return pdf_response(register_pdf(rows, institution=Institution.current()),
                            "so-goc-cap-bang.pdf", inline=False)

    def pdf_view(self, request, pk):
        diploma = get_object_or_404(Diploma, pk=pk)
        return pdf_response(diploma_pdf(diploma), diploma_filename(diploma))

    def _action_view(self, request, pk, form_class, run, *, title, submit_label, done):
        if not _can_write(request, "diploma"):
            raise Http404
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
        return _page(self, request, form=form, submit_label=submit_label,
                     title=f"{title} — {diploma}")

    def replace_view(self, request, pk):
        return self._action_view(
            request, pk, forms.ReplaceForm,
            lambda d, data: register.diploma_replace(diploma=d, reason=data["reason"],
                                                     by=request.user),
            title=_("Replace a diploma"), submit_label=_("Issue the replacement"),
            done=_("Replacement issued; the old diploma is marked replaced."))

    def revoke_view(self, request, pk):
        return self._action_view(
            request, pk, forms.RevokeForm,
            lambda d, data: register.diploma_revoke(diploma=d, by=request.user, **data),
            title=_("Revoke a diploma"), submit_label=_("Revoke"),
            done=_("Diploma revoked."))

    def copy_view(self, request, pk):
        return self._action_view(
            request, pk, forms.CertifiedCopyForm,
            lambda d, data: register.certified_copy_issue(diploma=d, by=request.user, **data),
            title=_("Issue a certified copy"), submit_label=_("Record the copy"),
            done=_("Certified copy recorded in the register."))


@admin.register(CertifiedCopy)
class CertifiedCopyAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["diploma", "number", "issued_on", "requester_name", "issued_by"]
    list_select_related = ["diploma", "issued_by"]
    search_fields = ["diploma__serial_number", "requester_name"]


@admin.register(CopyRequest)
class CopyRequestAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """The queue of online requests: received → ready (graduate told) → delivered."""

    list_display = ["received_at", "kind", "full_name", "diploma", "copies", "status",
                    "email", "phone"]
    list_filter = ["status", "kind"]
    list_select_related = ["diploma"]
    search_fields = ["full_name", "email", "diploma__serial_number"]
    actions = ["mark_ready", "mark_delivered"]

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm("degrees.change_copyrequest")

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def _apply(self, request, queryset, step):
        done = 0
        for item in queryset:
            try:
                step(request=item, by=request.user)
                done += 1
            except ValidationError as exc:
                self.message_user(request, f"{item}: {' '.join(exc.messages)}", messages.ERROR)
        if done:
            self.message_user(request, _("%(count)s done.") % {"count": done},
                              messages.SUCCESS)

    @admin.action(description=_("Mark ready and tell the graduate"), permissions=["change"])
    def mark_ready(self, request, queryset):
        self._apply(request, queryset, requests.copy_request_ready)

    @admin.action(description=_("Mark delivered"), permissions=["change"])
    def mark_delivered(self, request, queryset):
        self._apply(request, queryset, requests.copy_request_delivered)


@admin.register(DiplomaPrintJob)
class DiplomaPrintJobAdmin(ReadOnlyMixin, admin.ModelAdmin):
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

    def progress_view(self, request, pk):
        job = get_object_or_404(DiplomaPrintJob.objects.select_related("decision"), pk=pk)
        if request.GET.get("format") == "json":
            return JsonResponse({"status": job.status, "done": job.done, "total": job.total,
                                 "percent": job.percent, "error": job.error,
                                 "download": bool(job.file)})
        return render(request, "admin/degrees/print_job.html", {
            **self.admin_site.each_context(request), "opts": self.model._meta, "job": job,
            "title": _("Printing the diplomas of decision %(number)s") % {
                "number": job.decision.number}})

    def download_view(self, request, pk):
        job = get_object_or_404(DiplomaPrintJob.objects.select_related("decision"), pk=pk)
        if not job.file:
            raise Http404
        return FileResponse(job.file.open("rb"), as_attachment=True,
                            filename=f"bang-{job.decision.number.replace('/', '-')}.pdf")
