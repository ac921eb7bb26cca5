"""The admin of surveys (the QA office builds, opens, reminds and closes them). Ballots and
the ledger have no admin page: nobody browses them."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from quality import surveys as service
from quality.models import Question, Survey, SurveyState


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 1
    fields = ["position", "kind", "text", "options", "required", "tracer_field"]

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (
            obj is None or obj.state == SurveyState.DRAFT)

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and (
            obj is None or obj.state == SurveyState.DRAFT)

    def has_delete_permission(self, request, obj=None):
        return self.has_add_permission(request, obj)


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = ["title", "audience", "anonymous", "state", "closes_on", "closed_on"]
    list_filter = ["audience", "state", "anonymous"]
    search_fields = ["title"]
    filter_horizontal = ["sections"]
    inlines = [QuestionInline]
    readonly_fields = ["state", "closed_on", "created_by"]
    actions = ["open_surveys", "remind_surveys", "close_surveys"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.state != SurveyState.DRAFT:
            return [*self.readonly_fields, "title", "audience", "anonymous", "checkpoint",
                    "graduation_year", "sections"]
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def _run(self, request, queryset, action, done):
        for survey in queryset:
            try:
                result = action(survey=survey)
            except ValidationError as exc:
                self.message_user(request, f"{survey}: {' '.join(exc.messages)}",
                                  messages.ERROR)
            else:
                self.message_user(request, done % {"survey": survey, "n": result or 0})

    @admin.action(description=_("Open and invite"), permissions=["change"])
    def open_surveys(self, request, queryset):
        self._run(request, queryset, service.survey_open,
                  gettext("%(survey)s: opened, %(n)s invited."))

    @admin.action(description=_("Remind those who have not answered"), permissions=["change"])
    def remind_surveys(self, request, queryset):
        self._run(request, queryset, service.survey_remind,
                  gettext("%(survey)s: %(n)s reminded."))

    @admin.action(description=_("Close"), permissions=["change"])
    def close_surveys(self, request, queryset):
        self._run(request, queryset, service.survey_close, gettext("%(survey)s: closed."))
