"""Learners' certificates (physical education, defence-security education, the other
requirements of their program version): recorded and revoked through the service, never
edited."""

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

from training.models import CertificateKind, LearnerCertificate, ProgramRequirement
from training.services.certificates import certificate_record, certificate_revoke
from vetschool.accounts.roles import is_training_office
from vetschool.admin import admin_permission
from vetschool.forms import add_service_errors


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 3}))


def _page(modeladmin, request, *, title, form, submit_label):
    return render(request, "admin/training/page.html", {
        **modeladmin.admin_site.each_context(request), "opts": modeladmin.model._meta,
        "title": title, "form": form, "submit_label": submit_label,
        "media": modeladmin.media + form.media})


@admin.register(LearnerCertificate)
class LearnerCertificateAdmin(admin.ModelAdmin):
    list_display = ("enrollment", "kind", "requirement", "number", "issued_on", "revoked_on",
                    "links")
    list_filter = ("kind", ("revoked_on", admin.EmptyFieldListFilter))
    list_select_related = ("enrollment__learner", "enrollment__occupation", "requirement")
    search_fields = ("number", "enrollment__learner__code", "enrollment__learner__full_name")
    readonly_fields = ("enrollment", "kind", "requirement", "number", "issued_on", "issuer",
                       "recorded_by", "recorded_at", "revoked_on", "revocation_reason",
                       "revoked_by")

    def has_add_permission(self, request):
        return is_training_office(request.user) and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        view = self.admin_site.admin_view
        return [path("<int:pk>/revoke/", view(self.revoke_view),
                     name="training_learnercertificate_revoke"), *super().get_urls()]

    @admin.display(description=_("actions"))
    def links(self, obj):
        if obj.revoked_on:
            return "—"
        return format_html('<a href="{}">{}</a>',
                           reverse("admin:training_learnercertificate_revoke", args=[obj.pk]),
                           _("revoke"))

    @admin_permission("add")
    def add_view(self, request, form_url="", extra_context=None):
        if not is_training_office(request.user):
            raise PermissionDenied
        field = LearnerCertificate._meta.get_field

        class Form(forms.Form):
            enrollment = forms.ModelChoiceField(
                queryset=field("enrollment").related_model.objects.all(), label=_("enrolment"),
                widget=AutocompleteSelect(field("enrollment"), self.admin_site))
            kind = forms.ChoiceField(label=_("kind"), choices=CertificateKind.choices)
            requirement = forms.ModelChoiceField(
                queryset=ProgramRequirement.objects.select_related("program__occupation"),
                label=_("requirement"), required=False,
                help_text=_("Only for a certificate of a requirement of the program."))
            number = forms.CharField(label=_("certificate number"), max_length=50)
            issued_on = forms.DateField(label=_("date of issue"), widget=DateInput)
            issuer = forms.CharField(label=_("issued by"), max_length=200, required=False)

        form = Form(request.POST or None, initial={"issued_on": timezone.localdate()})
        if request.method == "POST" and form.is_valid():
            try:
                certificate = certificate_record(by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                self.message_user(request, _("Certificate recorded."), messages.SUCCESS)
                return redirect("admin:training_learnercertificate_change", certificate.pk)
        return _page(self, request, title=_("Record a learner's certificate"), form=form,
                     submit_label=_("Record the certificate"))

    @admin_permission("add")
    def revoke_view(self, request, pk):
        if not is_training_office(request.user):
            raise PermissionDenied
        certificate = get_object_or_404(LearnerCertificate, pk=pk)
        form = RevokeForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                certificate_revoke(certificate=certificate, by=request.user,
                                   reason=form.cleaned_data["reason"])
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                self.message_user(request, _("Certificate revoked."), messages.SUCCESS)
                return redirect("admin:training_learnercertificate_change", certificate.pk)
        return _page(self, request, title=_("Revoke the certificate %(number)s") % {
            "number": certificate.number}, form=form, submit_label=_("Revoke"))
