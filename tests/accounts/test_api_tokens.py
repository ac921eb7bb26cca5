"""API tokens expire, and their owner lists and revokes them (vetschool.accounts.tokens)."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from tests.factories import TEST_PASSWORD
from tests.mfa import fresh_code, totp_device
from vetschool.accounts.models import ApiToken
from vetschool.accounts.tokens import digest, token_issue

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def _obtain(api_client, user, password=TEST_PASSWORD, **extra):
    # Staff add a code of their app (tests/accounts/test_mfa.py proves they must).
    return api_client.post("/api/v1/auth/token/", {
        "username": user.username, "password": password,
        "otp_token": fresh_code(totp_device(user))}, **extra)


def test_a_token_is_issued_with_its_expiry_and_kept_only_as_a_digest(api_client, registrar,
                                                                       settings):
    settings.API_TOKEN_TTL_DAYS = 7
    response = _obtain(api_client, registrar)
    assert response.status_code == 200, response.content
    body = response.json()
    key = body["token"]
    token = ApiToken.objects.get(pk=body["id"])
    assert token.user == registrar
    assert token.digest == digest(key) and key not in token.digest
    assert token.prefix == key[:8] == body["prefix"]
    assert timedelta(days=7) - (token.expires_at - token.created_at) < timedelta(seconds=5)
    assert body["expired"] is False
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api_client.get("/api/v1/").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_an_expired_token_is_refused_with_401(api_client, registrar):
    token, key = token_issue(user=registrar)
    # As if issued 31 days ago with the default TTL of 30 days.
    now = timezone.now()
    ApiToken.objects.filter(pk=token.pk).update(created_at=now - timedelta(days=31),
                                                expires_at=now - timedelta(days=1))
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    response = api_client.get("/api/v1/programs/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json()["code"] == "authentication_failed"
    assert response.json()["detail"] == "Token đã hết hạn."  # Vietnamese first


def test_a_token_of_an_inactive_user_is_refused(api_client, registrar):
    _token, key = token_issue(user=registrar)
    registrar.is_active = False
    registrar.save()
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api_client.get("/api/v1/programs/").status_code == 401


def test_the_owner_lists_own_tokens_only(api_client, registrar, teacher):
    mine = [token_issue(user=registrar)[0] for _ in range(2)]
    theirs, _key = token_issue(user=teacher)
    api_client.force_authenticate(registrar)
    response = api_client.get("/api/v1/auth/tokens/")
    assert response.status_code == 200
    rows = response.json()
    assert sorted(row["id"] for row in rows) == sorted(t.pk for t in mine)
    assert theirs.pk not in [row["id"] for row in rows]
    # No digest, no key: only what tells the tokens apart.
    assert set(rows[0]) == {"id", "prefix", "created_at", "expires_at", "last_used_at",
                            "expired"}


def test_the_owner_revokes_a_token_and_it_stops_working_at_once(api_client, registrar):
    token, key = token_issue(user=registrar)
    _other, other_key = token_issue(user=registrar)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api_client.delete(f"/api/v1/auth/tokens/{token.pk}/").status_code == 204
    assert not ApiToken.objects.filter(pk=token.pk).exists()
    assert api_client.get("/api/v1/programs/").status_code == 401
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {other_key}")
    assert api_client.get("/api/v1/programs/").status_code == 200


def test_another_users_token_id_is_not_found(api_client, registrar, teacher):
    theirs, _key = token_issue(user=teacher)
    api_client.force_authenticate(registrar)
    assert api_client.get(f"/api/v1/auth/tokens/{theirs.pk}/").status_code == 404
    response = api_client.delete(f"/api/v1/auth/tokens/{theirs.pk}/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert ApiToken.objects.filter(pk=theirs.pk).exists()


def test_a_token_cannot_expire_before_it_was_issued(registrar):
    from django.db import IntegrityError, transaction

    token, _key = token_issue(user=registrar)
    with pytest.raises(IntegrityError), transaction.atomic():
        ApiToken.objects.filter(pk=token.pk).update(expires_at=token.created_at)


def test_anonymous_cannot_list_tokens(api_client):
    assert api_client.get("/api/v1/auth/tokens/").status_code == 401


def test_token_requests_count_toward_the_address_limit(api_client, registrar, settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 3
    codes = [_obtain(api_client, registrar, "wrong", REMOTE_ADDR="203.0.113.9").status_code
             for _ in range(3)]
    assert codes == [400, 400, 400]
    response = _obtain(api_client, registrar, REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 429
    assert response.json()["code"] == "throttled"
    assert not ApiToken.objects.exists()
