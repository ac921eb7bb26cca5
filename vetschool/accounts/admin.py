from axes import admin as axes_admin
from axes.models import AccessAttempt
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.utils.translation import gettext_lazy as _

from vetschool.accounts.models import PersonalDataAccess, User
from vetschool.admin import ReadOnlyAdminMixin, admin_permission


class PasswordResetByAdminForm(AdminPasswordChangeForm):
    """A password an administrator sets for someone is a one-time password: its owner must
    set their own at the next login (User.must_change_password)."""

    def save(self, commit=True):
        if self.cleaned_data.get("set_usable_password", True):
            self.user.must_change_password = True
        return super().save(commit=commit)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    change_password_form = PasswordResetByAdminForm
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Profile"), {"fields": ("full_name", "must_change_password")}),
    )
    list_display = ("username", "full_name", "email", "is_staff", "is_active")
    list_filter = (*BaseUserAdmin.list_filter, "must_change_password")
    actions = ["reset_second_factor"]

    @admin.action(description=_("Reset the second factor (they enrol again at the next "
                                "login)"), permissions=["change"])
    def reset_second_factor(self, request, queryset):
        from vetschool.accounts.mfa import second_factor_reset

        for user in queryset:
            second_factor_reset(user, by=request.user)
        self.message_user(request, _("Second factor reset for %(n)s accounts.")
                          % {"n": queryset.count()})

    def save_model(self, request, obj, form, change):
        if not change and obj.has_usable_password():
            # The administrator chose this password and will hand it over: one use only.
            obj.must_change_password = True
        super().save_model(request, obj, form, change)

    @admin_permission("change")
    def user_change_password(self, request, id, form_url=""):
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and str(request.user.pk) == str(id):
            # An administrator's own new password is their own.
            User.objects.filter(pk=request.user.pk).update(must_change_password=False)
        return response
    search_fields = ("username", "full_name", "email")


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("at", "user", "subject_type", "subject_label", "field", "reason", "path")
    list_filter = ("subject_type", "field")
    list_select_related = ("user",)
    search_fields = ("subject_label", "subject_id", "user__username", "reason")
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
