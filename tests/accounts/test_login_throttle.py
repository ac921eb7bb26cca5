"""Failed logins are limited per client address across usernames (password spraying),
besides django-axes' lock of one username from one address."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

SPRAYER = "203.0.113.7"


@pytest.fixture(autouse=True)
def _fresh_cache(settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 10
    cache.clear()
    yield
    cache.clear()


def _login(client, username, password, address=SPRAYER):
    return client.post(reverse("accounts:login"), {"username": username, "password": password},
                       REMOTE_ADDR=address)


def test_spraying_twelve_usernames_from_one_address_is_blocked_after_the_limit(client):
    users = [UserFactory(username=f"spray{i}") for i in range(12)]
    codes = [_login(client, user.username, "Mua-he-2026").status_code for user in users]
    # Each username failed once only: far below axes' own limit of 5 per username.
    assert codes == [200] * 10 + [429] * 2
    page = _login(client, users[0].username, TEST_PASSWORD)
    # Even the right password of an account is refused from that address now.
    assert page.status_code == 429
    assert "_auth_user_id" not in client.session
    text = page.content.decode()
    assert 'role="alert"' in text
    assert "Quá nhiều lần đăng nhập không thành công từ địa chỉ của bạn" in text, text
    assert "30 phút" in text


def test_another_address_still_logs_in(client):
    user = UserFactory(username="honest")
    for i in range(10):
        _login(client, f"nobody{i}", "wrong")
    assert _login(client, user.username, TEST_PASSWORD).status_code == 429
    response = _login(client, user.username, TEST_PASSWORD, address="198.51.100.20")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_a_successful_login_does_not_reset_the_address_count(client):
    mine = UserFactory(username="sprayer-own-account")
    for i in range(9):
        _login(client, f"victim{i}", "wrong")
    assert _login(client, mine.username, TEST_PASSWORD).status_code == 302
    client.logout()
    assert _login(client, "victim9", "wrong").status_code == 200
    assert _login(client, mine.username, TEST_PASSWORD).status_code == 429
