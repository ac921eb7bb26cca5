"""The training office's console for grading (STYLE #15): thin, fast, and every write goes
through the services — approving or returning gradebooks, deciding amendments, granting
attendance waivers, improvement sittings and exemptions. Scores and results are read-only
here: they change only through the gradebook workflow and amendments."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from grading.models import (
    Amendment,
    AmendmentStatus,
    EligibilityWaiver,
    Gradebook,
    GradebookStatus,
    ImprovementSitting,
    ModuleExemption,
    ModuleResult,
    RecomputeJob,
    RuleSetChange,
    StandingReview,
    TermSummary,
    TranscriptBatch,
)
from grading.services import amendments as am
from grading.services import gradebook as gb
from grading.services.results import exemption_grant, results_recompute, rounds_refresh
from vetschool.admin import ReadOnlyAdminMixin


def _apply(modeladmin, request, rows, call, *, label=str) -> None:
    """Run `call(row)` on each row; report how many were done and the first refusals,
    each named by `label(row)`."""
    done, errors = 0, []
    for row in rows:
        try:
            call(row)
            done += 1
        except (ValidationError, PermissionDenied) as exc:
            errors.append(f"{label(row)}: {'; '.join(getattr(exc, 'messages', [str(exc)]))}")
    if done:
        modeladmin.message_user(request, _("%(count)s done.") % {"count": done},
                                messages.SUCCESS)
    for error in errors[:10]:
        modeladmin.message_user(request, error, messages.ERROR)


@admin.register(Gradebook)
class GradebookAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["section", "module", "semester", "status", "sitting", "complete",
                    "status_changed_at", "review_link"]
    list_filter = ["status", "sitting", "complete", "section__semester"]
    list_select_related = ["section__module", "section__semester__school_year"]
    search_fields = ["section__code", "section__module__code", "section__module__name_vi"]
    actions = ["approve", "return_to_teacher"]

    @admin.display(description=_("module"))
    def module(self, obj):
        return obj.section.module

    @admin.display(description=_("semester"))
    def semester(self, obj):
        return obj.section.semester

    @admin.display(description=_("review"))
    def review_link(self, obj):
        return format_html('<a href="{}">{}</a>',
                           reverse("grading:office-review", args=[obj.pk]),
                           _("open"))

    def has_change_permission(self, request, obj=None):
        # Actions need the change permission; the form itself stays read-only.
        return request.user.has_perm("grading.change_gradebook")

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    @admin.action(description=_("Approve and lock the selected submitted gradebooks"),
                  permissions=["change"])
    def approve(self, request, queryset):
        _apply(self, request, queryset.filter(status=GradebookStatus.SUBMITTED),
               lambda book: gb.gradebook_approve(gradebook=book, by=request.user),
               label=lambda book: book.section)

    @admin.action(description=_("Return the selected submitted gradebooks to their teachers"),
                  permissions=["change"])
    def return_to_teacher(self, request, queryset):
        reason = str(_("Returned by the training office; see the remarks sent to you."))
        _apply(self, request, queryset.filter(status=GradebookStatus.SUBMITTED),
               lambda book: gb.gradebook_return(gradebook=book, by=request.user, reason=reason),
               label=lambda book: book.section)


@admin.register(Amendment)
class AmendmentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["gradebook", "section_learner", "kind", "number", "old", "new", "status",
                    "requested_by", "requested_at", "decided_by"]
    list_filter = ["status", "kind"]
    list_select_related = ["gradebook__section", "section_learner__enrollment__learner",
                           "requested_by", "decided_by"]
    search_fields = ["section_learner__enrollment__learner__code",
                     "section_learner__enrollment__learner__full_name", "gradebook__section__code"]
    actions = ["approve", "reject"]

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm("grading.change_amendment")

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    @admin.action(description=_("Approve the selected amendment requests"),
                  permissions=["change"])
    def approve(self, request, queryset):
        _apply(self, request, queryset.filter(status=AmendmentStatus.REQUESTED),
               lambda amendment: am.amendment_approve(amendment=amendment, by=request.user))

    @admin.action(description=_("Reject the selected amendment requests"),
                  permissions=["change"])
    def reject(self, request, queryset):
        note = str(_("Rejected by the training office."))
        _apply(self, request, queryset.filter(status=AmendmentStatus.REQUESTED),
               lambda amendment: am.amendment_reject(amendment=amendment, by=request.user,
                                                     note=note))


class GrantAdmin(admin.ModelAdmin):
    """Grants are recorded once (add), never edited; saving goes through a service."""

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(EligibilityWaiver)
class EligibilityWaiverAdmin(GrantAdmin):
    list_display = ["section_learner", "decision_number", "granted_by", "granted_at"]
    raw_id_fields = ["section_learner"]
    exclude = ["granted_by"]

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            obj.granted_by = request.user
            obj.save()
            book = obj.section_learner.section.gradebook
            # The waiver changes eligibility: approved rounds and results follow at once.
            results_recompute(enrollment_ids=rounds_refresh(gradebook=book), by=request.user)
            gb.open_next_sitting(book, by=request.user)


@admin.register(ImprovementSitting)
class ImprovementSittingAdmin(GrantAdmin):
    list_display = ["section_learner", "sitting", "decision_number", "granted_by", "granted_at"]
    raw_id_fields = ["section_learner"]
    fields = ["section_learner", "decision_number", "reason"]

    def save_model(self, request, obj, form, change):
        try:
            granted = gb.improvement_sitting_grant(
                section_learner=obj.section_learner, by=request.user,
                decision_number=obj.decision_number, reason=obj.reason)
        except ValidationError as exc:
            self.message_user(request, "; ".join(exc.messages), messages.ERROR)
            return
        obj.pk = granted.pk


@admin.register(ModuleExemption)
class ModuleExemptionAdmin(GrantAdmin):
    list_display = ["enrollment", "module", "decision_number", "granted_by", "granted_at"]
    raw_id_fields = ["enrollment", "module"]
    fields = ["enrollment", "module", "decision_number", "reason"]

    def save_model(self, request, obj, form, change):
        try:
            granted = exemption_grant(enrollment=obj.enrollment, module=obj.module,
                                      by=request.user, decision_number=obj.decision_number,
                                      reason=obj.reason)
        except ValidationError as exc:
            self.message_user(request, "; ".join(exc.messages), messages.ERROR)
            return
        obj.pk = granted.pk


@admin.register(ModuleResult)
class ModuleResultAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["enrollment", "module", "score_10", "letter", "score_4", "attempts",
                    "status", "term"]
    list_filter = ["status", "letter"]
    list_select_related = ["enrollment__learner", "enrollment__occupation", "module",
                           "term__school_year"]
    search_fields = ["enrollment__learner__code", "enrollment__learner__full_name",
                     "module__code"]


@admin.register(TermSummary)
class TermSummaryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["enrollment", "semester", "gpa_4", "cumulative_gpa_4",
                    "cumulative_credits_earned", "standing", "transcript_link"]
    list_filter = ["standing", "semester"]
    list_select_related = ["enrollment__learner", "enrollment__occupation",
                           "semester__school_year"]
    search_fields = ["enrollment__learner__code", "enrollment__learner__full_name"]

    @admin.display(description=_("transcript"))
    def transcript_link(self, obj):
        return format_html('<a href="{}">{}</a>',
                           reverse("grading:transcript",
                                   args=[obj.enrollment.learner_id]), _("open"))


@admin.register(StandingReview)
class StandingReviewAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["semester", "decision_number", "decision_date", "closed_by", "closed_at"]
    list_select_related = ["semester__school_year", "closed_by"]


@admin.register(RuleSetChange)
class RuleSetChangeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Each change of the rules in force (GRADING_RULES), recorded by `migrate` or
    `record_grading_rules`; read only, never edited."""

    list_display = ["at", "by", "changed_rules"]
    fields = readonly_fields = ["at", "by", "changes", "values"]

    @admin.display(description=_("changed rules"))
    def changed_rules(self, obj):
        return ", ".join(obj.changes) or _("first record")


@admin.register(TranscriptBatch)
class TranscriptBatchAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["homeroom_class", "status", "done", "total", "created_by", "created_at"]
    list_select_related = ["homeroom_class", "created_by"]


@admin.register(RecomputeJob)
class RecomputeJobAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Large recomputes spread over the workers (`manage.py recompute_results`): their
    progress (enrolments and chunks done) and the errors of failed chunks."""

    list_display = ["pk", "status", "progress", "chunks_failed", "module_results_written",
                    "term_summaries_written", "skipped", "created_at", "finished_at"]
    list_select_related = ["created_by"]
    fields = readonly_fields = [
        "status", "total", "done", "chunks", "chunks_done", "chunks_failed",
        "module_results_written", "term_summaries_written", "skipped", "error",
        "created_by", "created_at", "started_at", "finished_at"]

    @admin.display(description=_("progress"))
    def progress(self, obj):
        return f"{obj.done}/{obj.total} ({obj.percent}%) · {obj.chunks_done}/{obj.chunks}"


# Internship placements and mentor links have their own module (admin.py stays one app's
# gradebook pages); importing it registers them.
from grading import internships_admin  # noqa: E402,F401
