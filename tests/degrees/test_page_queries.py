"""The public verification pages read a diploma in a number of queries that does not grow
with the register (benchmarks/bench_load.py, issue #17 part 4). The learner's diploma page
has its guard in test_requests.py."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.degrees.factories import NAMES, finished_class, issued

pytestmark = pytest.mark.django_db


def _queries(client, method, url, data=None):
    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(url, data) if data else getattr(client, method)(url)
    assert response.status_code == 200, url
    return len(queries), response


def test_verification_by_qr_code_and_by_serial_does_not_grow_with_the_register(
        client, registrar, django_assert_max_num_queries):
    _decision, (first, *_rest) = issued(finished_class(2), registrar)
    token = reverse("degrees-verify-token", args=[first.token])
    form = {"serial_number": first.serial_number,
            "date_of_birth": first.date_of_birth.isoformat()}
    few_token, _ = _queries(client, "get", token)
    few_form, _ = _queries(client, "post", reverse("degrees-verify"), form)
    issued(finished_class(8, names=[f"{n} B" for n in NAMES]), registrar, number="246/QĐ-CĐSH")
    with django_assert_max_num_queries(few_token):
        response = client.get(token)
    assert first.serial_number in response.content.decode()
    with django_assert_max_num_queries(few_form):
        response = client.post(reverse("degrees-verify"), form)
    assert first.serial_number in response.content.decode()
