"""The learner's "My graduation" page: their own certificates and applications only, and an
application for a review off the schedule submitted for their own enrolment only."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from degrees.models import GraduationApplication
from degrees.services.applications import graduation_application_submit
from tests.degrees.factories import certify, finished_class

pytestmark = pytest.mark.django_db

URL = reverse("degrees-my-graduation")


@pytest.fixture
def two(learner, other_learner):
    w = finished_class(2, certificates=False, users=[learner, other_learner])
    mine, theirs = w.enrollments
    certify(mine, number="GDTC-MINE")
    certify(theirs, number="GDTC-THEIRS")
    return mine, theirs


def test_the_learner_sees_only_their_own_records(client, learner, two):
    client.force_login(learner)
    page = client.get(URL)
    text = page.content.decode()
    assert page.status_code == 200
    assert "GDTC-MINE" in text and "GDTC-THEIRS" not in text
    assert f'data-enrollment="{two[1].pk}"' not in text


def test_the_learner_applies_for_their_own_enrolment(client, learner, two):
    client.force_login(learner)
    response = client.post(URL, {"enrollment": two[0].pk, "timing": "early",
                                 "statement": "Em đã tích lũy đủ tín chỉ sớm."})
    assert response.status_code == 302
    application = GraduationApplication.objects.get()
    assert (application.enrollment, application.submitted_by) == (two[0], learner)
    assert "Em đã tích lũy đủ tín chỉ sớm." in client.get(URL).content.decode()


def test_the_learner_cannot_apply_for_someone_else(client, learner, two):
    client.force_login(learner)
    response = client.post(URL, {"enrollment": two[1].pk, "timing": "late",
                                 "statement": "Nộp hộ bạn"})
    assert response.status_code == 400
    assert not GraduationApplication.objects.exists()
    with pytest.raises(PermissionDenied):
        graduation_application_submit(enrollment=two[1], timing="late", statement="Nộp hộ",
                                      by=learner)


def test_staff_do_not_use_the_learner_page(client, registrar):
    client.force_login(registrar)
    assert client.get(URL).status_code == 403


def test_the_home_page_links_the_graduation_page(client, learner, two):
    client.force_login(learner)
    assert URL in client.get(reverse("grading:student-home")).content.decode()
