"""API tokens that expire and can be listed and revoked by their owner (models.ApiToken).

DRF's authtoken keeps one token per user, forever, with the key itself as its primary key
(so it cannot be listed or revoked by an id without showing the secret); this keeps
several per user, by digest, each with an expiry.
"""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from vetschool.accounts.middleware import password_change_required
from vetschool.accounts.models import ApiToken

# Writing last_used_at on every call would make every read a write; this often is enough
# for an owner to see which tokens are still in use.
LAST_USED_RESOLUTION = timedelta(minutes=5)


def digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def token_issue(*, user) -> tuple[ApiToken, str]:
    """A new token of `user`, valid API_TOKEN_TTL_DAYS; returns it and its key, which is
    shown once and never stored."""
    key = secrets.token_hex(20)
    now = timezone.now()
    token = ApiToken.objects.create(
        user=user, digest=digest(key), prefix=key[:8],
        expires_at=now + timedelta(days=settings.API_TOKEN_TTL_DAYS),
    )
    return token, key


class ExpiringTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <key>`; an unknown, expired or inactive user's token is a 401;
    the token of a user who must change their password is a 403 with the code
    "password_change_required" (vetschool.accounts.middleware)."""

    def authenticate_credentials(self, key):
        token = (ApiToken.objects.select_related("user")
                 .filter(digest=digest(key)).first())
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        now = timezone.now()
        if token.expires_at <= now:
            raise exceptions.AuthenticationFailed(_("Token has expired."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        if token.user.must_change_password:
            # An administrator reset the password: the owner's tokens wait for the new one.
            raise password_change_required()
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token
