"""Shared set-ups of the security tests, each built once per module and rolled back after
it: the two-scope world (route × role access, other-scope ids, write remit) and the demo
college (fuzzing and malformed input need real rows — a made-up id only reaches a 404)."""

import pytest
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.test import Client, override_settings
from django.utils import translation

from tests.security import world as world_module
from vetschool import demo
from vetschool.accounts.tokens import token_issue

# The demo's logins, one per role; "admin" is the superuser.
DEMO_ROLES = ["learner", "teacher", "qa", "hr", "registrar", "admin"]


@pytest.fixture(scope="module")
def college(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        demo.seed_all()
        tokens = {name: token_issue(user=demo.demo_user(name))[1] for name in DEMO_ROLES}
        yield {"tokens": tokens}
        transaction.set_rollback(True)


@pytest.fixture
def wsgi_keeps_connection():
    """Requests sent straight to the WSGI app (not the test client) would close the test's
    database connection when they finish, and with it the transaction the test runs in."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


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
