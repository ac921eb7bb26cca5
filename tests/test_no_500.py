"""No 500 from user input: a malformed id or filter anywhere in the API is a 4xx."""

import pytest

from tests.factories import UserFactory
from vetschool.api import router

pytestmark = pytest.mark.django_db


def _filter_names(viewset) -> list[str]:
    filterset = getattr(viewset, "filterset_class", None)
    names = list(filterset.base_filters) if filterset else []
    return names + list(getattr(viewset, "filterset_fields", None) or [])


def test_malformed_ids_and_filters_are_never_a_500(api_client):
    api_client.force_authenticate(UserFactory(username="root", is_superuser=True,
                                              is_staff=True))
    api_client.raise_request_exception = False
    failures = []
    for prefix, viewset, _basename in router.registry:
        urls = [f"/api/v1/{prefix}/AAA/", f"/api/v1/{prefix}/{'9' * 30}/"]
        urls += [f"/api/v1/{prefix}/?{name}=AAA" for name in _filter_names(viewset)]
        urls += [f"/api/v1/{prefix}/?page=AAA", f"/api/v1/{prefix}/?page_size=AAA"]
        for url in urls:
            response = api_client.get(url)
            if response.status_code >= 500:
                failures.append(url)
    assert failures == []
