"""Admission rounds and their quotas."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Count, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from enrollment import selectors, services
from enrollment.admin.common import badge
from enrollment.models import AdmissionRound, Application, ApplicationStatus, RoundQuota


class QuotaFormSet(forms.BaseInlineFormSet):
    def _kept_places(self):
        places = {}
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or not data.get("occupation"):
                continue
            if data["occupation"] in places:
                raise ValidationError(_("%(occupation)s is listed twice.")
                                      % {"occupation": data["occupation"]})
            places[data["occupation"]] = data.get("places") or 0
        return places

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        problems = services.round_quota_problems(round=self.instance,
                                                 places=self._kept_places())
        if problems:
            raise ValidationError(problems)


class QuotaInline(admin.TabularInline):
    model = RoundQuota
    formset = QuotaFormSet
    extra = 1
    autocomplete_fields = ("occupation",)
    fields = ("occupation", "places")
    verbose_name = _("quota")
    verbose_name_plural = _("quotas per occupation and level")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("occupation")


@admin.register(AdmissionRound)
class AdmissionRoundAdmin(admin.ModelAdmin):
    list_display = ("name", "year", "number", "opens_on", "closes_on", "open_now",
                    "places", "application_count", "applications_link")
    list_filter = ("year", "is_published")
    search_fields = ("name",)
    ordering = ("-year", "-number")
    inlines = [QuotaInline]
    readonly_fields = ("summary",)
    fieldsets = (
        (None, {"fields": ("year", "number", "name", "is_published")}),
        (_("Dates"), {"fields": ("opens_on", "closes_on", "classes_start_on")}),
        (_("Information for applicants"), {"fields": ("notes",)}),
        (_("Places and applications"), {"fields": ("summary",)}),
    )

    class Media:
        css = {"all": ("enrollment/admin.css",)}

    def get_queryset(self, request):
        places = (RoundQuota.objects.filter(round=OuterRef("pk")).order_by()
                  .values("round").annotate(n=Sum("places")).values("n"))
        applications = (Application.objects.filter(round=OuterRef("pk")).order_by()
                        .values("round").annotate(n=Count("id")).values("n"))
        return super().get_queryset(request).annotate(
            _places=Coalesce(Subquery(places), 0),
            _applications=Coalesce(Subquery(applications), 0),
        )

    @admin.display(description=_("open now"), boolean=True)
    def open_now(self, obj):
        return obj.is_open_on(timezone.localdate())

    @admin.display(description=_("places"))
    def places(self, obj):
        return obj._places or 0

    @admin.display(description=_("applications"), ordering="_applications")
    def application_count(self, obj):
        return obj._applications

    @admin.display(description="")
    def applications_link(self, obj):
        url = reverse("admin:enrollment_application_changelist") + f"?round__id__exact={obj.pk}"
        return format_html('<a href="{}">{}</a>', url, _("Review applications"))

    @admin.display(description=_("summary"))
    def summary(self, obj):
        if not obj.pk:
            return _("Save the round to see its places and applications.")
        rows = format_html_join(
            "", "<tr><td>{}</td><td>{}</td><td class='num'>{}</td><td class='num'>{}</td>"
                "<td class='num'>{}</td><td class='num'>{}</td></tr>",
            ((q.occupation.code, q.occupation.name_vi, q.places, q.taken, q.left,
              q.first_wishes) for q in selectors.round_quota_usage(obj)),
        )
        counts = selectors.round_status_counts(obj)
        statuses = format_html_join(" ", "{}&nbsp;{}", (
            (badge(s.value, s.label), counts.get(s.value, 0)) for s in ApplicationStatus
        ))
        return format_html(
            "<table class='vs-table'><thead><tr><th>{}</th><th>{}</th><th class='num'>{}</th>"
            "<th class='num'>{}</th><th class='num'>{}</th><th class='num'>{}</th></tr>"
            "</thead><tbody>{}</tbody></table><p>{}</p><p>{}</p>",
            _("Code"), _("Occupation"), _("Places"), _("Taken"), _("Left"),
            _("First wishes"), rows, statuses, self.applications_link(obj),
        )

    def save_model(self, request, obj, form, change):
        services.admission_round_save(round=obj, by=request.user)

    def save_formset(self, request, form, formset, change):
        if formset.model is not RoundQuota:
            return super().save_formset(request, form, formset, change)
        services.round_quotas_set(round=form.instance, places=formset._kept_places(),
                                  by=request.user)
        # The admin's change message reads these after a formset save.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []

    def has_delete_permission(self, request, obj=None):
        # A round with applications is a record of who applied; it is never deleted.
        if obj is not None and obj.applications.exists():
            return False
        return super().has_delete_permission(request, obj)
