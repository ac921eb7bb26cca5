"""Pieces every app's admin shares: the platform's side of the administrators' console."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect


class ReadOnlyAdminMixin:
    """Rows the console shows but never writes: records of fact (logs, legal records, runs)
    that change only through their services. Put it before `admin.ModelAdmin` (or an
    inline) in the bases; `obj` is optional so model admins and inlines share it."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ServiceErrorsMixin:
    """A rule a service enforces after the form passed (e.g. a concurrent change) comes
    back as an error message; the admin's transaction has rolled everything back."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as exc:
            self.message_user(request, " ".join(exc.messages), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


class ReadOnlyInline(admin.TabularInline):
    """Rows listed under their parent and never written there (history, documents, links
    to their own pages): no blank rows, no adding, no deleting. Subclasses still say
    `readonly_fields = fields`, which the admin's checks read."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False
