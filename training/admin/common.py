"""Pieces shared by the training admin: writes go through services, and their refusals come
back as form errors or messages, never as half-written data."""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from vetschool.admin import ServiceErrorsMixin
from vetschool.forms import add_service_errors


class _DryRun(Exception):
    pass


def service_error(call) -> ValidationError | None:
    """Run `call` in a savepoint that is always rolled back; its ValidationError, if any."""
    try:
        with transaction.atomic():
            call()
            raise _DryRun
    except _DryRun:
        return None
    except ValidationError as exc:
        return exc


class ServiceAdmin(ServiceErrorsMixin, admin.ModelAdmin):
    """A model admin whose saves call `save_service(request, obj, data, change)`.

    The form first runs the service in a rolled-back savepoint, so that what the service
    refuses shows on the form; then save_model runs it for real. A refusal that only the
    real run meets (a concurrent change, an inline) becomes an error message and the
    admin's transaction rolls everything back (ServiceErrorsMixin).
    """

    def save_service(self, request, obj, data: dict, change: bool):
        raise NotImplementedError

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        model_admin = self

        class ServiceForm(form_class):
            def _post_clean(self):
                super()._post_clean()
                if self.errors:
                    return
                exc = service_error(lambda: model_admin.save_service(
                    request, obj if change else self.instance, self.cleaned_data, change))
                if exc is not None:
                    add_service_errors(self, exc)

        ServiceForm.__name__ = form_class.__name__
        return ServiceForm

    def save_model(self, request, obj, form, change):
        saved = self.save_service(request, obj, form.cleaned_data, change)
        if saved is not None and saved is not obj:
            obj.__dict__.update({k: v for k, v in saved.__dict__.items()
                                 if not k.startswith("_state")})
            obj._state.adding = False

    def save_related(self, request, form, formsets, change):
        for formset in formsets:
            record_formset(formset)
            self.save_formset(request, form, formset, change=change)


class LearnerColumns:
    """The learner's code and name as columns of a row that hangs off an enrolment
    (a class membership, a section's learner)."""

    @admin.display(description=_("learner code"))
    def learner_code(self, obj):
        return obj.enrollment.learner.code

    @admin.display(description=_("full name"))
    def learner_name(self, obj):
        return obj.enrollment.learner.full_name


def record_formset(formset, *, new=(), changed=(), deleted=()) -> None:
    """What the admin's change message reads after a formset was saved by services."""
    formset.new_objects = list(new)
    formset.changed_objects = [(obj, []) for obj in changed]
    formset.deleted_objects = list(deleted)


def admin_page(request, model_admin, template: str, title: str, **context):
    """A custom page inside the admin layout."""
    opts = model_admin.model._meta
    return render(request, template, {
        **model_admin.admin_site.each_context(request),
        "opts": opts, "title": title, **context,
    })



__all__ = ["NON_FIELD_ERRORS", "LearnerColumns", "ServiceAdmin", "admin_page",
           "record_formset", "service_error"]
