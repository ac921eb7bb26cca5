import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client, override_settings
from django.utils import translation

from tests.security import world as world_module


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The two-scope world, built once per module inside a transaction rolled back at the
    end; every test's own savepoint keeps it intact."""
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), \
            translation.override("en"), transaction.atomic():
        built = world_module.build()
        built.clients = {}
        built.media = media
        for role in world_module.ROLES:
            client = Client(raise_request_exception=False)
            user = built.user(role)
            if user is not None:
                client.force_login(user)
            built.clients[role] = client
        for name, user in (("learner_b", built.learner_b), ("teacher_b", built.teacher_b)):
            client = Client(raise_request_exception=False)
            client.force_login(user)
            built.clients[name] = client
        yield built
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield


@pytest.fixture
def media(world, settings):
    """Files the world stored (certificates, courseware) stay where the world put them."""
    settings.MEDIA_ROOT = world.media
    return world.media
