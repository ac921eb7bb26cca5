from django.contrib import admin

from vetschool.sso.models import SsoIdentity


@admin.register(SsoIdentity)
class SsoIdentityAdmin(admin.ModelAdmin):
    """Who logs in as whom through the provider: recorded by hand, one link per identity."""

    list_display = ("user", "claim", "issuer", "created_at")
    list_filter = ("issuer", "claim")
    # The value may be a personal ID number: searched exactly, never listed.
    search_fields = ("user__username", "user__full_name", "=value")
    autocomplete_fields = ("user",)
    list_select_related = ("user",)
