"""Pieces every app's admin shares: the platform's side of the administrators' console."""

from __future__ import annotations

import functools

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import get_permission_codename
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
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


class PrefillMixin:
    """The add page takes its initial values from the query string (`?program=3`); one the
    model field cannot hold (`?program=AAA`) is dropped rather than reaching the select
    widget, which would fail rendering it (a 500)."""

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        for name, value in list(initial.items()):
            try:
                field = self.opts.get_field(name)
            except FieldDoesNotExist:
                continue
            target = getattr(field, "target_field", field)  # a foreign key holds its target's key
            try:
                if not isinstance(value, list):
                    target.to_python(value)
            except ValidationError:
                del initial[name]
        return initial


class ServiceErrorsMixin(PrefillMixin):
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


def allows(model_admin, request, permissions) -> bool:
    """Whether the request holds every permission named, the way `@admin.action(
    permissions=…)` reads them: a bare word asks the admin's `has_<word>_permission`
    (view, change, add, delete, export, import, or one the admin defines), a dotted
    name asks the user for that permission."""
    for permission in permissions:
        if "." in permission:
            if not request.user.has_perm(permission):
                return False
        elif not getattr(model_admin, f"has_{permission}_permission")(request):
            return False
    return True


def admin_permission(*permissions: str):
    """Declare and enforce what a custom admin view (a method named in `get_urls`) needs.

    Without it such a view only asks "is staff" (`admin_site.admin_view`), so every role
    that reaches the admin could use it. A refusal is a 403. The names are kept on the
    view (`admin_permissions`) so tests/test_admin_permissions.py can prove every custom
    view declares one; object-level checks stay inside the view.
    """
    if not permissions:
        raise ValueError("admin_permission needs at least one permission")

    def decorate(view):
        @functools.wraps(view)
        def checked(model_admin, request, *args, **kwargs):
            if not allows(model_admin, request, permissions):
                raise PermissionDenied
            return view(model_admin, request, *args, **kwargs)

        checked.admin_permissions = permissions
        return checked

    return decorate


def export_permission_codename(opts) -> str:
    return get_permission_codename(settings.IMPORT_EXPORT_EXPORT_PERMISSION_CODE, opts)


class ExportPermissionMixin:
    """Exports (actions and pages) need the model's own export permission
    (`<app>.export_<model>`, declared in the model's Meta), the same one
    django-import-export asks through IMPORT_EXPORT_EXPORT_PERMISSION_CODE: seeing rows
    on screen is not leave to take them all away in a file."""

    def has_export_permission(self, request):
        opts = self.opts
        return request.user.has_perm(f"{opts.app_label}.{export_permission_codename(opts)}")
