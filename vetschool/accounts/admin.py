from axes import admin as axes_admin
from axes.models import AccessAttempt
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from vetschool.accounts.models import PersonalDataAccess, User
from vetschool.admin import ReadOnlyAdminMixin


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Profile"), {"fields": ("full_name",)}),
    )
    list_display = ("username", "full_name", "email", "is_staff", "is_active")
    search_fields = ("username", "full_name", "email")


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("at", "user", "subject_type", "subject_label", "field", "path")
    list_filter = ("subject_type", "field")
    list_select_related = ("user",)
    search_fields = ("subject_label", "subject_id", "user__username")
    date_hierarchy = "at"


# django-axes' admin offers its clean-up action to whoever can list the attempts; every
# admin action here names its permission (tests/test_admin_permissions.py). Importing
# axes.admin registers its admins now, so this one can be replaced.
if admin.site.is_registered(AccessAttempt):

    class AccessAttemptAdmin(axes_admin.AccessAttemptAdmin):
        @admin.action(description=axes_admin.AccessAttemptAdmin.cleanup_expired_attempts
                      .short_description, permissions=["delete"])
        def cleanup_expired_attempts(self, request, queryset):
            return super().cleanup_expired_attempts(request, queryset)

    admin.site.unregister(AccessAttempt)
    admin.site.register(AccessAttempt, AccessAttemptAdmin)
