"""The demo college, seeded once per test module and rolled back after it: the fuzzing and
malformed-input tests need real rows (a made-up id only ever reaches the 404 branch)."""

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from rest_framework.authtoken.models import Token

from vetschool import demo

# The demo's logins, one per role; "admin" is the superuser.
DEMO_ROLES = ["learner", "teacher", "qa", "hr", "registrar", "admin"]


@pytest.fixture(scope="module")
def college(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        demo.seed_all()
        tokens = {name: Token.objects.get_or_create(user=demo.demo_user(name))[0].key
                  for name in DEMO_ROLES}
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
