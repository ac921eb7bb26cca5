"""What the OIDC_* settings say, asked at request time (tests and deployments change them)."""

from django.conf import settings

# The session key the second-factor middleware reads (vetschool.accounts): True only when
# the provider asserted a second factor at this login.
MFA_SESSION_KEY = "mfa_asserted_by_idp"

# Matching by e-mail trusts only an address the provider says it verified.
EMAIL_CLAIM = "email"

# The settings single sign-on needs (the userinfo endpoint is optional), with the
# environment variable each is read from.
ENVIRONMENT = {
    "OIDC_OP_ISSUER": "OIDC_ISSUER",
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "OIDC_AUTHORIZATION_ENDPOINT",
    "OIDC_OP_TOKEN_ENDPOINT": "OIDC_TOKEN_ENDPOINT",
    "OIDC_OP_JWKS_ENDPOINT": "OIDC_JWKS_ENDPOINT",
    "OIDC_RP_CLIENT_ID": "OIDC_CLIENT_ID",
    "OIDC_RP_CLIENT_SECRET": "OIDC_CLIENT_SECRET",
}
REQUIRED = tuple(ENVIRONMENT)


def is_configured() -> bool:
    """Single sign-on is on when the provider and the client are all set."""
    return all(getattr(settings, name, "") for name in REQUIRED)


def issuer() -> str:
    return settings.OIDC_OP_ISSUER


def match_claim() -> str:
    return settings.OIDC_MATCH_CLAIM


def second_factor_asserted(id_token_claims: dict) -> bool:
    """Whether the provider's signed ID token says this login used a second factor: one
    of OIDC_MFA_AMR among its `amr` values (RFC 8176), or its `acr` one of OIDC_MFA_ACR."""
    amr = id_token_claims.get("amr") or []
    if isinstance(amr, str):
        amr = [amr]
    if set(amr) & set(settings.OIDC_MFA_AMR):
        return True
    acr = id_token_claims.get("acr")
    return bool(acr) and acr in settings.OIDC_MFA_ACR
