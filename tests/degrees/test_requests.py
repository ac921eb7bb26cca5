"""Online requests (a public service) and the public status list's input."""

from datetime import date

import pytest
from django.urls import reverse

from degrees.models import CopyRequest
from degrees.selectors import revoked_or_replaced_indexes
from degrees.services.register import diploma_replace, diploma_revoke
from tests.degrees.factories import finished_class, issued
from tests.factories import UserFactory
from vetschool.accounts import roles

pytestmark = pytest.mark.django_db


def test_a_graduate_requests_a_copy_online_and_follows_it(client, registrar):
    w = finished_class(1)
    _decision, (diploma,) = issued(w, registrar)
    url = reverse("degrees-request-new")
    assert client.get(url).status_code == 200
    wrong = client.post(url, {"kind": "certified_copy", "serial_number": diploma.serial_number,
                              "date_of_birth": "2006-05-02", "full_name": "Nguyễn Thị Ánh",
                              "email": "anh@example.com", "copies": 1})
    assert wrong.status_code == 400
    assert "No diploma matches" in wrong.content.decode()
    response = client.post(url, {"kind": "transcript_copy",
                                 "serial_number": diploma.serial_number.lower(),
                                 "date_of_birth": "2006-05-01", "full_name": "Nguyễn Thị Ánh",
                                 "email": "anh@example.com", "copies": 2, "note": ""})
    request = CopyRequest.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("degrees-request-status", args=[request.tracking_code])
    page = client.get(response.url).content.decode()
    assert "Received" in page and diploma.serial_number in page
    assert request.diploma == diploma and request.copies == 2


def test_the_status_list_holds_revoked_and_replaced_indexes(registrar):
    w = finished_class(3)
    _decision, (a, b, c) = issued(w, registrar)
    diploma_revoke(diploma=a, reason="Gian lận", decision_number="9/QĐ",
                   decision_date=date(2026, 9, 1), by=registrar)
    new = diploma_replace(diploma=b, reason="Sai tên", by=registrar)
    assert revoked_or_replaced_indexes() == sorted([a.status_index, b.status_index])
    assert new.status_index not in revoked_or_replaced_indexes()
    assert c.status_index not in revoked_or_replaced_indexes()


def test_the_learner_page_stays_within_a_few_queries(client, registrar,
                                                     django_assert_max_num_queries):
    me = UserFactory(username="hv-q", roles=[roles.LEARNER])
    w = finished_class(1, users=[me])
    _decision, (diploma,) = issued(w, registrar)
    diploma_replace(diploma=diploma, reason="Sai tên", by=registrar)
    client.force_login(me)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("degrees-my-diplomas"))
    assert response.status_code == 200
    assert response.content.decode().count('data-status="') == 2
