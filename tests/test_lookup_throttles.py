"""The public look-up throttles count atomically in the shared cache (issue #18): of 30
concurrent wrong look-ups from one address against a limit of 10, at most 10 are looked up.

A read-then-write count let 13 of 30 through. Each thread is its own client with its own
database connection, all released together by a barrier."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.cache import cache
from django.db import connections
from django.test import Client

from enrollment.views import LOOKUP_MAX_FAILURES

pytestmark = pytest.mark.django_db

THREADS = 30


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def _concurrently(request_once) -> list:
    barrier = threading.Barrier(THREADS)

    def run(_):
        client = Client(HTTP_ACCEPT_LANGUAGE="en")
        barrier.wait()
        try:
            return request_once(client)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        return list(pool.map(run, range(THREADS)))


def test_concurrent_wrong_application_lookups_process_at_most_the_limit():
    assert LOOKUP_MAX_FAILURES == 10

    def wrong_lookup(client):
        response = client.post("/admissions/lookup/", {
            "tracking_code": "2025-AAAAAAAA", "date_of_birth": "2005-01-01"})
        return response.content.decode()

    pages = _concurrently(wrong_lookup)
    looked_up = sum("No application matches" in page for page in pages)
    refused = sum("Too many attempts" in page for page in pages)
    assert looked_up == LOOKUP_MAX_FAILURES, (looked_up, refused)
    assert refused == THREADS - LOOKUP_MAX_FAILURES


def test_concurrent_diploma_lookups_process_at_most_the_limit(settings):
    settings.DEGREES_VERIFY_RATE = 10

    def lookup(client):
        return client.post("/api/v1/diploma-verification/", {
            "serial_number": "X-000", "date_of_birth": "2005-01-01"}).status_code

    codes = _concurrently(lookup)
    assert codes.count(404) == 10, codes  # looked up, nothing found
    assert codes.count(429) == THREADS - 10


def test_the_application_lookup_after_the_limit_is_refused(client):
    from django.urls import reverse

    url = reverse("enrollment:lookup")
    for _ in range(LOOKUP_MAX_FAILURES):
        client.post(url, {"tracking_code": "2025-AAAAAAAA", "date_of_birth": "2005-01-01"},
                    HTTP_ACCEPT_LANGUAGE="en")
    response = client.post(url, {"tracking_code": "2025-AAAAAAAA",
                                 "date_of_birth": "2005-01-01"}, HTTP_ACCEPT_LANGUAGE="en")
    assert "Too many attempts" in response.content.decode()
