"""What each staff role may do in the admin beyond reading (issue #18): import and export
are permissions of their own, and the degrees console's pages are the office's."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["reference_occupation_import",
                                  "reference_occupation_export"])
def test_only_the_office_imports_and_exports_the_catalogue(client, qa_officer, hr_officer,
                                                           registrar, name):
    url = reverse(f"admin:{name}")
    for user in (qa_officer, hr_officer):
        client.force_login(user)
        assert client.get(url).status_code == 403, user
    client.force_login(registrar)
    assert client.get(url).status_code == 200


def _actions(user, model):
    request = RequestFactory().get("/")
    request.user = user
    return set(admin.site._registry[model].get_actions(request))


def test_exports_need_the_export_permission(qa_officer, hr_officer, registrar):
    from degrees.models import Diploma
    from enrollment.models import Application, Learner
    from staff.models import StaffMember

    assert "export_learners" not in _actions(qa_officer, Learner)
    assert "export_admission_list" not in _actions(qa_officer, Application)
    assert "export_xlsx" not in _actions(qa_officer, Diploma)
    assert "export_xlsx" not in _actions(qa_officer, StaffMember)
    assert "export_learners" in _actions(registrar, Learner)
    assert "export_xlsx" in _actions(registrar, Diploma)
    assert "export_xlsx" in _actions(hr_officer, StaffMember)
    assert "export_xlsx" not in _actions(registrar, StaffMember)  # staff data is HR's


def test_hr_and_qa_are_refused_the_degree_pages(client, qa_officer, hr_officer, registrar):
    from django.test import TestCase

    from degrees.models import DiplomaPrintJob, GraduationReview
    from tests.degrees.factories import finished_class, issued

    decision, (diploma,) = issued(finished_class(1), registrar)
    client.force_login(registrar)
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(reverse("admin:degrees_graduationdecision_print", args=[decision.pk]))
    job = DiplomaPrintJob.objects.get()
    review = GraduationReview.objects.get()
    urls = [
        reverse("admin:degrees_graduationreview_xlsx", args=[review.pk]),
        reverse("admin:degrees_diploma_pdf", args=[diploma.pk]),
        reverse("admin:degrees_graduationdecision_print", args=[decision.pk]),
        reverse("admin:degrees_diplomaprintjob_progress", args=[job.pk]),
        reverse("admin:degrees_diplomaprintjob_progress", args=[job.pk]) + "?format=json",
        reverse("admin:degrees_diplomaprintjob_download", args=[job.pk]),
    ]
    for user in (hr_officer, qa_officer):
        client.force_login(user)
        assert {url: client.get(url).status_code for url in urls} == dict.fromkeys(urls, 403)
    assert client.post(urls[2]).status_code == 403
    assert DiplomaPrintJob.objects.count() == 1
    client.force_login(registrar)
    assert {url: client.get(url).status_code for url in urls} == dict.fromkeys(urls, 200)


def test_the_app_check_answers_as_djangos_backends_for_each_role(registrar, qa_officer,
                                                                 hr_officer, teacher):
    """User.has_module_perms keeps the app labels in a set (one scan, not one per model
    of the sidebar); it answers what Django's backends answer, for every app and role,
    and nothing for an inactive user."""
    from django.apps import apps
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import _user_has_module_perms

    labels = [config.label for config in apps.get_app_configs()]
    for user in (registrar, qa_officer, hr_officer, teacher):
        user = get_user_model().objects.get(pk=user.pk)
        assert {label: user.has_module_perms(label) for label in labels} == \
            {label: _user_has_module_perms(user, label) for label in labels}, user
    assert registrar.has_module_perms("enrollment") and not teacher.has_module_perms("staff")
    registrar.is_active = False
    registrar.save()
    inactive = get_user_model().objects.get(pk=registrar.pk)
    assert not any(inactive.has_module_perms(label) for label in labels)
