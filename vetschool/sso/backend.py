"""The authentication backend of a login through the OpenID Connect provider.

mozilla-django-oidc exchanges the code, checks the ID token's signature (the provider's
JWKS), its expiry and nonce; this backend adds the checks it leaves out (issuer,
audience, that the userinfo answer is about the same subject), then finds the account:
by the configured claim through SsoIdentity, or by an e-mail address the provider
verified. It never creates an account and never matches a display name.

A refusal is recorded on the request (`request.sso_refusal`) for the callback view's
page, and logged without the identifying value itself (a personal ID may be it)."""

import hashlib
import logging

from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousOperation
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from vetschool.sso import config
from vetschool.sso.models import SsoIdentity

log = logging.getLogger("vetschool.sso")

# Why a login through the provider found no account (the callback page explains each).
UNKNOWN = "unknown"
UNVERIFIED = "unverified"
MISSING_CLAIM = "missing_claim"
AMBIGUOUS = "ambiguous"
INACTIVE = "inactive"


class Refused(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _fingerprint(value: str) -> str:
    """Enough to tell log lines apart, not enough to read the value back."""
    return hashlib.sha256(value.encode()).hexdigest()[:12]


class SsoBackend(OIDCAuthenticationBackend):
    def __init__(self, *args, **kwargs):
        # Listed in AUTHENTICATION_BACKENDS whether or not single sign-on is configured:
        # unconfigured, it answers no login (the library's constructor would refuse).
        self.UserModel = get_user_model()
        self.configured = config.is_configured()
        if self.configured:
            super().__init__(*args, **kwargs)

    def authenticate(self, request, **kwargs):
        # Only the callback view asks with a nonce: a password login (or a token request)
        # whose URL happens to carry ?code=…&state=… must not start a code exchange.
        if not self.configured or "nonce" not in kwargs:
            return None
        return super().authenticate(request, **kwargs)

    def verify_token(self, token, **kwargs):
        payload = super().verify_token(token, **kwargs)
        if payload.get("iss") != config.issuer():
            raise SuspiciousOperation("ID token from another issuer.")
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if self.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("ID token for another client.")
        if len(audiences) > 1 and payload.get("azp") != self.OIDC_RP_CLIENT_ID:
            raise SuspiciousOperation("ID token authorised for another client.")
        return payload

    def get_userinfo(self, access_token, id_token, payload):
        """The ID token's claims, completed by the userinfo endpoint when one is set."""
        claims = dict(payload)
        if self.OIDC_OP_USER_ENDPOINT:
            userinfo = super().get_userinfo(access_token, id_token, payload)
            if userinfo.get("sub") != payload.get("sub"):
                raise SuspiciousOperation("Userinfo about another subject than the ID token.")
            # The ID token's own claims win: amr and acr are read from it alone.
            claims = {**userinfo, **payload}
        return claims

    def get_or_create_user(self, access_token, id_token, payload):
        claims = self.get_userinfo(access_token, id_token, payload)
        try:
            user = self.account_for(claims)
        except Refused as refusal:
            self.request.sso_refusal = refusal.reason
            log.warning("SSO login refused (%s): issuer %s, %s %s", refusal.reason,
                        config.issuer(), config.match_claim(),
                        _fingerprint(str(claims.get(config.match_claim(), ""))))
            return None
        # Read at login by vetschool.sso.second_factor: the signed ID token's claims only.
        user.sso_mfa_asserted = config.second_factor_asserted(payload)
        log.info("SSO login of user %s (second factor asserted: %s)", user.pk,
                 user.sso_mfa_asserted)
        return user

    def account_for(self, claims: dict):
        """The one active account the configured claim points to, or Refused."""
        claim = config.match_claim()
        value = claims.get(claim)
        if not value or not isinstance(value, str):
            raise Refused(MISSING_CLAIM)
        if claim == config.EMAIL_CLAIM:
            if claims.get("email_verified") is not True:
                raise Refused(UNVERIFIED)
            users = list(self.UserModel.objects.filter(email__iexact=value)[:2])
        else:
            users = [link.user for link in SsoIdentity.objects.select_related("user").filter(
                issuer=config.issuer(), claim=claim, value=value)]
        if not users:
            raise Refused(UNKNOWN)
        if len(users) > 1:
            raise Refused(AMBIGUOUS)
        if not users[0].is_active:
            raise Refused(INACTIVE)
        return users[0]
