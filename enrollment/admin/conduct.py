"""Disciplinary decisions and graduation holds: recorded through their services by the
training office, never edited; a revocation or a lifting is its own recorded step."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from enrollment import rules
from enrollment.forms import DateInput
from enrollment.models import DisciplineLevel, DisciplineRecord, GraduationHold, HoldKind
from enrollment.services import conduct
from vetschool.admin import admin_permission
from vetschool.forms import add_service_errors


def _enrollment_field(model, site):
    return forms.ModelChoiceField(
        queryset=model._meta.get_field("enrollment").related_model.objects.all(),
        label=_("enrolment"),
        widget=AutocompleteSelect(model._meta.get_field("enrollment"), site))


class DisciplineForm(forms.Form):
    level = forms.ChoiceField(label=_("disciplinary form"), choices=DisciplineLevel.choices)
    decision_number = forms.CharField(label=_("decision number"), max_length=50)
    decision_date = forms.DateField(label=_("decision date"), widget=DateInput)
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 3}))
    art17_excluded = forms.BooleanField(
        label=_("form of Art. 17(2)–(3)"), required=False,
        help_text=_("Does not lower the semester or graduation classification."))
    suspended_from = forms.DateField(label=_("suspended from"), required=False,
                                     widget=DateInput)
    suspended_until = forms.DateField(label=_("suspended until"), required=False,
                                      widget=DateInput)


class RevokeForm(forms.Form):
    decision_number = forms.CharField(label=_("revoked by decision"), max_length=50)
    decision_date = forms.DateField(label=_("decision date"), widget=DateInput)
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 3}))


class HoldForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=HoldKind.choices)
    reference = forms.CharField(label=_("document"), max_length=100)
    since = forms.DateField(label=_("since"), widget=DateInput)
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 3}))


class LiftForm(forms.Form):
    lifted_on = forms.DateField(label=_("lifted on"), widget=DateInput)
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 3}))


def _page(modeladmin, request, *, title, form, submit_label):
    return render(request, "admin/training/page.html", {
        **modeladmin.admin_site.each_context(request), "opts": modeladmin.model._meta,
        "title": title, "form": form, "submit_label": submit_label,
        "media": modeladmin.media + form.media})


class ConductAdmin(admin.ModelAdmin):
    """What the two consoles share: read-only rows, adding only by the training office."""

    def has_add_permission(self, request):
        return rules.can_record_conduct(request.user) and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def _require_office(self, request):
        if not rules.can_record_conduct(request.user):
            raise PermissionDenied


@admin.register(DisciplineRecord)
class DisciplineRecordAdmin(ConductAdmin):
    list_display = ("enrollment", "level", "decision_number", "decision_date",
                    "art17_excluded", "revocation_number", "links")
    list_filter = ("level", "art17_excluded", ("revocation_number", admin.EmptyFieldListFilter))
    list_select_related = ("enrollment__learner", "enrollment__occupation")
    search_fields = ("decision_number", "enrollment__learner__code",
                     "enrollment__learner__full_name")
    readonly_fields = ("enrollment", "level", "decision_number", "decision_date", "reason",
                       "art17_excluded", "suspended_from", "suspended_until", "status_change",
                       "recorded_by", "recorded_at", "revocation_number", "revocation_date",
                       "revocation_reason", "revoked_by", "revoked_at")

    def get_urls(self):
        view = self.admin_site.admin_view
        return [path("<int:pk>/revoke/", view(self.revoke_view),
                     name="enrollment_disciplinerecord_revoke"), *super().get_urls()]

    @admin.display(description=_("actions"))
    def links(self, obj):
        if obj.revoked:
            return "—"
        return format_html('<a href="{}">{}</a>',
                           reverse("admin:enrollment_disciplinerecord_revoke", args=[obj.pk]),
                           _("revoke"))

    @admin_permission("add")
    def add_view(self, request, form_url="", extra_context=None):
        self._require_office(request)

        class Form(DisciplineForm):
            enrollment = _enrollment_field(DisciplineRecord, self.admin_site)

        form = Form(request.POST or None, initial={"decision_date": timezone.localdate()})
        if request.method == "POST" and form.is_valid():
            try:
                record = conduct.discipline_record(by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                self.message_user(request, _("Disciplinary decision recorded."),
                                  messages.SUCCESS)
                return redirect("admin:enrollment_disciplinerecord_change", record.pk)
        return _page(self, request, title=_("Record a disciplinary decision"), form=form,
                     submit_label=_("Record the decision"))

    @admin_permission("add")
    def revoke_view(self, request, pk):
        self._require_office(request)
        record = get_object_or_404(DisciplineRecord, pk=pk)
        form = RevokeForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                conduct.discipline_revoke(record=record, by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                self.message_user(request, _("Disciplinary decision revoked."),
                                  messages.SUCCESS)
                return redirect("admin:enrollment_disciplinerecord_change", record.pk)
        return _page(self, request, title=_("Revoke the decision %(number)s") % {
            "number": record.decision_number}, form=form, submit_label=_("Revoke"))


@admin.register(GraduationHold)
class GraduationHoldAdmin(ConductAdmin):
    list_display = ("enrollment", "kind", "reference", "since", "lifted_on", "links")
    list_filter = ("kind", ("lifted_on", admin.EmptyFieldListFilter))
    list_select_related = ("enrollment__learner", "enrollment__occupation")
    search_fields = ("reference", "enrollment__learner__code", "enrollment__learner__full_name")
    readonly_fields = ("enrollment", "kind", "reference", "since", "reason", "recorded_by",
                       "recorded_at", "lifted_on", "lift_reason", "lifted_by", "lifted_at")

    def get_urls(self):
        view = self.admin_site.admin_view
        return [path("<int:pk>/lift/", view(self.lift_view),
                     name="enrollment_graduationhold_lift"), *super().get_urls()]

    @admin.display(description=_("actions"))
    def links(self, obj):
        if obj.lifted_on:
            return "—"
        return format_html('<a href="{}">{}</a>',
                           reverse("admin:enrollment_graduationhold_lift", args=[obj.pk]),
                           _("lift"))

    @admin_permission("add")
    def add_view(self, request, form_url="", extra_context=None):
        self._require_office(request)

        class Form(HoldForm):
            enrollment = _enrollment_field(GraduationHold, self.admin_site)

        form = Form(request.POST or None, initial={"since": timezone.localdate()})
        if request.method == "POST" and form.is_valid():
            try:
                hold = conduct.hold_place(by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                self.message_user(request, _("Graduation hold recorded."), messages.SUCCESS)
                return redirect("admin:enrollment_graduationhold_change", hold.pk)
        return _page(self, request, title=_("Record a graduation hold"), form=form,
                     submit_label=_("Record the hold"))

    @admin_permission("add")
    def lift_view(self, request, pk):
        self._require_office(request)
        hold = get_object_or_404(GraduationHold, pk=pk)
        form = LiftForm(request.POST or None, initial={"lifted_on": timezone.localdate()})
        if request.method == "POST" and form.is_valid():
            try:
                conduct.hold_lift(hold=hold, by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                self.message_user(request, _("Graduation hold lifted."), messages.SUCCESS)
                return redirect("admin:enrollment_graduationhold_change", hold.pk)
        return _page(self, request, title=_("Lift the hold %(reference)s") % {
            "reference": hold.reference}, form=form, submit_label=_("Lift"))
