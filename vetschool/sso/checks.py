"""System checks of the single sign-on configuration (OIDC_* in README.md)."""

from django.conf import settings
from django.core.checks import Error, register

from vetschool.sso import config

# Claims a person chooses or shares with others: never a key to an account.
NAME_CLAIMS = {"name", "given_name", "family_name", "middle_name", "nickname",
               "preferred_username"}


@register()
def sso_settings(app_configs, **kwargs):
    errors = []
    given = [name for name in config.REQUIRED if getattr(settings, name, "")]
    if given and len(given) < len(config.REQUIRED):
        missing = [config.ENVIRONMENT[name] for name in config.REQUIRED
                   if not getattr(settings, name, "")]
        errors.append(Error(
            "Single sign-on is half configured: " + ", ".join(missing) + " not set.",
            hint="Set every OIDC_* variable README.md lists as required, or none.",
            id="sso.E001",
        ))
    if settings.OIDC_MATCH_CLAIM in NAME_CLAIMS:
        errors.append(Error(
            f"OIDC_MATCH_CLAIM={settings.OIDC_MATCH_CLAIM!r} is a name: accounts are "
            "matched by a verified identifier only.",
            hint="Use sub, email (matched when email_verified) or a personal ID claim.",
            id="sso.E002",
        ))
    return errors
