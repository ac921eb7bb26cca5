"""Graduation review of a class (run, export, adjust lines with reasons, decide) and the
decisions recorded from it (issue and print their diplomas)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from degrees import exports, forms
from degrees.admin.common import form_page
from degrees.models import (
    DecisionLine,
    GraduationApplication,
    GraduationDecision,
    GraduationReview,
    ReviewLine,
    ReviewStatus,
)
from degrees.services import decisions, printing, register, review
from vetschool.admin import (
    ExportPermissionMixin,
    ReadOnlyAdminMixin,
    ReadOnlyInline,
    admin_permission,
)
from vetschool.forms import add_service_errors
from vetschool.reference.models import Institution


class LineInline(ReadOnlyInline):
    model = ReviewLine
    fields = ["learner", "earned_credits", "required_credits", "cumulative_gpa_4", "eligible",
              "reasons_text", "proposed_classification", "downgraded", "downgrade_text",
              "discipline_level", "final_eligible", "final_classification", "adjust"]
    readonly_fields = fields

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

    @admin.display(description=_("lowered because"))
    def downgrade_text(self, obj):
        return "; ".join(obj.downgrade_labels)

    @admin.display(description=_("adjust"))
    def adjust(self, obj):
        return format_html('<a href="{}">{}</a>',
                           reverse("admin:degrees_graduationreview_adjust", args=[obj.pk]),
                           _("adjust"))


@admin.register(GraduationReview)
class GraduationReviewAdmin(ExportPermissionMixin, admin.ModelAdmin):
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

    @admin_permission("add")
    def add_view(self, request, form_url="", extra_context=None):
        """Adding a review means running it for a class."""
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
        return form_page(self, request, title=_("Run the graduation review of a class"),
                     form=form, submit_label=_("Run the review"),
                     intro=_("Every learner still in the class is reviewed against the "
                             "graduation conditions; nothing is decided until the decision "
                             "is recorded."))

    @admin_permission("export")
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

    @admin_permission("change")
    def adjust_view(self, request, pk):
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
        return form_page(self, request, form=form, submit_label=_("Record the adjustment"),
                     title=_("Adjust the review of %(learner)s") % {
                         "learner": line.enrollment.learner},
                     intro="; ".join(line.reason_labels))

    @admin_permission("change")
    def decide_view(self, request, pk):
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
        return form_page(self, request, form=form, submit_label=_("Record the decision"),
                     title=_("Graduation decision for %(review)s") % {"review": item},
                     intro=_("%(count)s learners are recognised in this review.") % {
                         "count": recognised})


class DecisionLineInline(ReadOnlyInline):
    model = DecisionLine
    fields = ["enrollment", "classification", "cumulative_gpa_4"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("enrollment__learner",
                                                            "enrollment__occupation")


@admin.register(GraduationDecision)
class GraduationDecisionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
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

    @admin_permission("degrees.change_diploma")
    def issue_view(self, request, pk):
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
        return form_page(self, request, form=form, submit_label=_("Issue the diplomas"),
                     title=_("Issue the diplomas of decision %(number)s") % {
                         "number": decision.number})

    @admin_permission("degrees.change_diploma")
    def print_view(self, request, pk):
        """GET asks, POST prints: starting a print job renders every diploma and records a
        job, so a link followed from another site (a GET) must not start one."""
        decision = get_object_or_404(GraduationDecision, pk=pk)
        form = forms.PrintConfirmForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            job = printing.print_job_create(decision=decision, by=request.user)
            return redirect("admin:degrees_diplomaprintjob_progress", job.pk)
        return form_page(self, request, form=form, submit_label=_("Print the diplomas"),
                         title=_("Print the diplomas of decision %(number)s") % {
                             "number": decision.number},
                         intro=_("Every issued diploma of this decision is rendered into one "
                                 "PDF in the background; the next page follows its progress."))


@admin.register(GraduationApplication)
class GraduationApplicationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Learners' applications for a review off the schedule (§4.1 e), from the portal."""

    list_display = ["enrollment", "timing", "submitted_at", "submitted_by"]
    list_filter = ["timing"]
    list_select_related = ["enrollment__learner", "enrollment__occupation", "submitted_by"]
    search_fields = ["enrollment__learner__code", "enrollment__learner__full_name"]
    readonly_fields = ["enrollment", "timing", "statement", "submitted_by", "submitted_at"]
