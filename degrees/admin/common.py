"""What the degrees console's pages share: the plain form page and who follows a print
job (each custom page declares its permission with vetschool.admin.admin_permission)."""

from __future__ import annotations

from django.shortcuts import render


def form_page(modeladmin, request, *, title, form, submit_label, intro=""):
    return render(request, "admin/training/page.html", {
        **modeladmin.admin_site.each_context(request), "opts": modeladmin.model._meta,
        "title": title, "form": form, "submit_label": submit_label, "intro": intro})


def anyone_here(user, job) -> bool:
    """A print job is the office's, not its requester's: whoever may open the admin
    page of the job (degrees.change_diploma, declared on the view) follows it."""
    return True
