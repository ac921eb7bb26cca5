"""Admin of digital courseware: who develops what, for which modules."""

from __future__ import annotations

from django.contrib import admin
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from staff import services
from staff.admin.common import courseware_file_link
from staff.forms import CoursewareForm
from staff.models import Courseware
from vetschool.admin import ServiceErrorsMixin


class CoursewareAdminForm(CoursewareForm):
    class Meta(CoursewareForm.Meta):
        fields = ("author", *CoursewareForm.Meta.fields)


@admin.register(Courseware)
class CoursewareAdmin(ServiceErrorsMixin, admin.ModelAdmin):
    form = CoursewareAdminForm
    list_display = ("title", "author", "department", "module", "kind", "status", "updated_at")
    list_filter = ("kind", "status", "author__department")
    list_select_related = ("author__department",)
    search_fields = ("title", "module_code", "module_name", "author__staff_code",
                     "author__full_name__unaccent")
    autocomplete_fields = ("author",)
    readonly_fields = ("stored_file",)

    def get_fields(self, request, obj=None):
        fields = ["author", "title", "module_code", "module_name", "kind", "status", "link"]
        if self.has_change_permission(request, obj):
            fields.append("file")
        if obj is not None:
            fields.append("stored_file")
        return [*fields, "description"]

    @admin.display(description=_("department"), ordering="author__department__code")
    def department(self, obj):
        return obj.author.department

    @admin.display(description=_("module taught"), ordering="module_code")
    def module(self, obj):
        return obj.module_display

    @admin.display(description=_("stored file"))
    def stored_file(self, obj):
        return courseware_file_link(obj)

    def save_model(self, request, obj, form, change):
        upload = form.cleaned_data.get("file")
        services.courseware_save(item=obj, by=request.user,
                                 file=upload if isinstance(upload, UploadedFile) else None)

    def delete_model(self, request, obj):
        services.courseware_delete(item=obj, by=request.user)
