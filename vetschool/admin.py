"""Pieces every app's admin shares: the platform's side of the administrators' console."""

from __future__ import annotations


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
