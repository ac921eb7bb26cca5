"""The admin of internship placements (imported by grading/admin.py): the training office
places a section's learners at enterprises on one page, sends the mentors their one-time
links, and exports a placement list per enterprise."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from enterprises.models import Contact, Enterprise
from grading.internships_export import placements_xlsx
from grading.models import MentorLink, Placement
from grading.services import internships as service
from staff.models import StaffMember
from training.models import ModuleKind, Section
from vetschool.admin import ServiceErrorsMixin, admin_permission


class PlacementAdminForm(forms.ModelForm):
    class Meta:
        model = Placement
        fields = ["section_learner", "enterprise", "agreement", "mentor", "supervisor",
                  "starts_on", "ends_on"]

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        for name, value in data.items():
            setattr(self.instance, name, value)
        for field, problems in service.placement_problems(self.instance).items():
            for problem in problems:
                self.add_error(field if field in self.fields else None, problem)
        return data


class PlaceRowForm(forms.Form):
    """One learner of the section on the placement page; an empty enterprise skips it."""

    entry = forms.IntegerField(widget=forms.HiddenInput)
    enterprise = forms.ModelChoiceField(queryset=Enterprise.objects.none(), required=False,
                                        label=_("enterprise"))
    mentor = forms.ModelChoiceField(queryset=Contact.objects.none(), required=False,
                                    label=_("enterprise mentor"))
    supervisor = forms.ModelChoiceField(queryset=StaffMember.objects.none(), required=False,
                                        label=_("college supervisor"))
    starts_on = forms.DateField(label=_("from"), required=False,
                                widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("until"), required=False,
                              widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name, (queryset, options) in choices.items():
            self.fields[name].queryset = queryset  # validates the chosen id
            self.fields[name].choices = options  # read once for every row of the page

    def clean(self):
        data = super().clean()
        if data.get("enterprise"):
            for name in ("mentor", "supervisor", "starts_on", "ends_on"):
                if not data.get(name):
                    self.add_error(name, _("Required when an enterprise is chosen."))
        return data


PlaceFormSet = forms.formset_factory(PlaceRowForm, extra=0)


@admin.register(Placement)
class PlacementAdmin(ServiceErrorsMixin, admin.ModelAdmin):
    form = PlacementAdminForm
    list_display = ["learner", "section", "enterprise", "starts_on", "ends_on", "mentor",
                    "supervisor", "evaluated"]
    list_filter = ["enterprise", "section_learner__section__semester"]
    search_fields = ["section_learner__enrollment__learner__code", "enterprise__name",
                     "enterprise__tax_code", "section_learner__section__code"]
    list_select_related = ["section_learner__enrollment__learner", "section_learner__section",
                           "enterprise", "mentor", "supervisor", "evaluation"]
    raw_id_fields = ["section_learner"]
    autocomplete_fields = ["enterprise"]
    actions = ["send_links", "export_xlsx"]

    @admin.display(description=_("learner"),
                   ordering="section_learner__enrollment__learner__code")
    def learner(self, placement):
        learner = placement.section_learner.enrollment.learner
        return f"{learner.full_name} ({learner.code})"

    @admin.display(description=_("section"))
    def section(self, placement):
        return placement.section_learner.section.code

    @admin.display(description=_("evaluated"), boolean=True)
    def evaluated(self, placement):
        return hasattr(placement, "evaluation")

    def save_model(self, request, obj, form, change):
        service.placement_save(placement=obj, by=request.user)

    @admin.action(description=_("Send the mentors a one-time evaluation link"),
                  permissions=["change"])
    def send_links(self, request, queryset):
        sent, refused = 0, []
        for placement in queryset.select_related("mentor", "section_learner__enrollment__learner",
                                                 "section_learner__section__module"):
            try:
                service.mentor_link_send(placement=placement, by=request.user)
                sent += 1
            except ValidationError as exc:
                refused.append("; ".join(exc.messages))
        self.message_user(request, _("%(count)d evaluation links sent.") % {"count": sent},
                          messages.SUCCESS)
        for problem in refused[:10]:
            self.message_user(request, problem, messages.ERROR)

    @admin.action(description=_("Export the selected placements to XLSX"),
                  permissions=["view"])
    def export_xlsx(self, request, queryset):
        response = HttpResponse(
            placements_xlsx(queryset),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = 'attachment; filename="placements.xlsx"'
        return response

    # --- placing a whole section -----------------------------------------------------------

    def get_urls(self):
        return [
            path("place/<int:section_id>/", self.admin_site.admin_view(self.place_view),
                 name="grading_placement_place"),
        ] + super().get_urls()

    @admin_permission("add")
    def place_view(self, request, section_id):
        section = get_object_or_404(
            Section.objects.select_related("module", "semester"), pk=section_id)
        if section.module.kind != ModuleKind.INTERNSHIP:
            self.message_user(request, str(service.NOT_INTERNSHIP)
                              % {"module": section.module}, messages.ERROR)
            return HttpResponseRedirect(reverse("admin:grading_placement_changelist"))
        entries = list(section.learners.filter(removed_at__isnull=True)
                       .select_related("enrollment__learner", "placement")
                       .order_by("enrollment__learner__code"))
        initial = [self._row_initial(entry, section) for entry in entries]
        formset = PlaceFormSet(request.POST or None, initial=initial,
                               form_kwargs={"choices": self._row_choices()})
        if request.method == "POST" and formset.is_valid():
            placed = self._place(request, formset, entries)
            if placed is not None:
                self.message_user(request, _("%(count)d learners placed.") % {"count": placed},
                                  messages.SUCCESS)
                return HttpResponseRedirect(
                    reverse("admin:grading_placement_changelist")
                    + f"?section_learner__section__semester__id__exact={section.semester_id}")
        rows = list(zip(entries, formset.forms, strict=False))
        context = {
            **self.admin_site.each_context(request), "opts": self.model._meta,
            "title": _("Place the learners of %(section)s at enterprises")
            % {"section": section.code},
            "section": section, "formset": formset, "rows": rows,
        }
        return TemplateResponse(request, "admin/grading/placement/place.html", context)

    @staticmethod
    def _row_choices() -> dict:
        """Each select's queryset and its options, read once for all the rows."""
        enterprises = Enterprise.objects.filter(
            agreements__internships=True, is_active=True).distinct().order_by("name")
        mentors = (Contact.objects.filter(is_mentor=True, is_active=True)
                   .select_related("enterprise").order_by("enterprise__name", "full_name"))
        supervisors = StaffMember.objects.filter(is_teacher=True).order_by("full_name")
        empty = [("", "---------")]
        return {
            "enterprise": (enterprises, empty + [(e.pk, e.name) for e in enterprises]),
            "mentor": (mentors, empty + [
                (c.pk, f"{c.full_name} — {c.enterprise.short_name or c.enterprise.name}")
                for c in mentors]),
            "supervisor": (supervisors, empty + [(s.pk, s.full_name) for s in supervisors]),
        }

    @staticmethod
    def _row_initial(entry, section) -> dict:
        placement = getattr(entry, "placement", None)
        if placement is not None:
            return {"entry": entry.pk, "enterprise": placement.enterprise_id,
                    "mentor": placement.mentor_id, "supervisor": placement.supervisor_id,
                    "starts_on": placement.starts_on, "ends_on": placement.ends_on}
        return {"entry": entry.pk, "starts_on": section.semester.starts_on,
                "ends_on": section.semester.ends_on}

    def _place(self, request, formset, entries) -> int | None:
        """Save every filled row in one transaction; any refusal stores nothing and is shown
        on its row."""
        by_id = {entry.pk: entry for entry in entries}
        placed = 0
        try:
            with transaction.atomic():
                failed = False
                for form in formset.forms:
                    data = form.cleaned_data
                    entry = by_id.get(data.get("entry"))
                    if entry is None or not data.get("enterprise"):
                        continue
                    placement = getattr(entry, "placement", None) or Placement(
                        section_learner=entry)
                    placement.enterprise = data["enterprise"]
                    placement.agreement = None
                    placement.mentor, placement.supervisor = data["mentor"], data["supervisor"]
                    placement.starts_on, placement.ends_on = data["starts_on"], data["ends_on"]
                    try:
                        service.placement_save(placement=placement, by=request.user)
                        placed += 1
                    except ValidationError as exc:
                        failed = True
                        for field, problems in exc.message_dict.items():
                            for problem in problems:
                                form.add_error(field if field in form.fields else None, problem)
                if failed:
                    raise _RollBack
        except _RollBack:
            self.message_user(request, _("Nothing was saved: correct the rows marked below."),
                              messages.ERROR)
            return None
        return placed


class _RollBack(Exception):
    pass


@admin.register(MentorLink)
class MentorLinkAdmin(admin.ModelAdmin):
    list_display = ["placement", "created_at", "expires_at", "used_at", "revoked_at"]
    list_select_related = ["placement__enterprise",
                           "placement__section_learner__enrollment__learner"]
    readonly_fields = ["placement", "expires_at", "used_at", "revoked_at", "created_by",
                       "created_at"]
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Withdraw the selected links"), permissions=["change"])
    def revoke(self, request, queryset):
        from django.utils import timezone

        count = queryset.filter(used_at__isnull=True, revoked_at__isnull=True).update(
            revoked_at=timezone.now())
        self.message_user(request, _("%(count)d links withdrawn.") % {"count": count},
                          messages.SUCCESS)
