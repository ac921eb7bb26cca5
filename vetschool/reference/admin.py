from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import BadRequest
from django.db import models
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin

from vetschool.reference.models import (
    EthnicGroup,
    Institution,
    Occupation,
    Province,
    ProvincialUnit,
)
from vetschool.reference.resources import OccupationResource


@admin.register(Institution)
class InstitutionAdmin(admin.ModelAdmin):
    list_display = ("name_vi", "ministry_code", "level", "province")
    # A website typed without a scheme ("truong.edu.vn") is taken as https.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = (
        (None, {"fields": ("name_vi", "name_en", "short_name", "ministry_code", "level")}),
        (_("Address and map"), {"fields": ("address", "province", "latitude", "longitude")}),
        (_("Contact"), {"fields": ("phone", "email", "website", "rector_name")}),
    )

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not Institution.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ProvincialUnit)
class ProvincialUnitAdmin(admin.ModelAdmin):
    list_display = ("code", "name_vi", "kind")
    list_filter = ("kind",)
    search_fields = ("code", "name_vi", "name_ascii")


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    """The former provinces: kept for personal-ID checks and to convert older records."""

    list_display = ("id_code", "admin_code", "name_vi", "unit_type", "successor")
    list_select_related = ("successor",)
    list_filter = ("successor",)
    search_fields = ("id_code", "name_vi", "name_ascii")


@admin.register(EthnicGroup)
class EthnicGroupAdmin(admin.ModelAdmin):
    list_display = ("code", "name_vi", "other_spellings")
    search_fields = ("code", "name_vi", "name_ascii")


@admin.register(Occupation)
class OccupationAdmin(ImportExportMixin, admin.ModelAdmin):
    resource_classes = [OccupationResource]

    def get_export_queryset(self, request):
        # The export page filters by the changelist's query string; a filter the list does
        # not know (`?admission_year=...`) is the client's error, as on the list itself.
        try:
            return super().get_export_queryset(request)
        except IncorrectLookupParameters as exc:
            raise BadRequest(str(exc)) from exc
    list_display = ("code", "name_vi", "english_name", "level", "is_demo", "hazardous",
                    "is_active")
    list_filter = ("level", "is_demo", "hazardous", "is_active")
    search_fields = ("code", "name_vi", "name_en")

    @admin.display(description=_("name (English)"), ordering="name_en")
    def english_name(self, obj):
        # Marked as English, so a screen reader reads it so and a Vietnamese page stays one.
        return format_html('<span lang="en">{}</span>', obj.name_en) if obj.name_en else "—"
