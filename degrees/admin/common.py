"""What the degrees console's pages share: the plain form page and who may
write (read-only rows use vetschool.admin.ReadOnlyAdminMixin)."""

from __future__ import annotations

from django.shortcuts import render


def form_page(modeladmin, request, *, title, form, submit_label, intro=""):
    return render(request, "admin/training/page.html", {
        **modeladmin.admin_site.each_context(request), "opts": modeladmin.model._meta,
        "title": title, "form": form, "submit_label": submit_label, "intro": intro})


def can_write(request, model: str) -> bool:
    return request.user.has_perm(f"degrees.change_{model}")


def anyone_here(user, job) -> bool:
    """A print job is the office's, not its requester's: whoever may open the admin
    page of the job follows it."""
    return True
