"""System checks of the degrees configuration."""

from django.conf import settings
from django.core.checks import Error, Warning, register


@register(deploy=True)
def signing_key_configured(app_configs, **kwargs):
    if settings.DEGREES_SIGNING_KEY:
        return []
    return [Warning(
        "DEGREES_SIGNING_KEY is not set: diplomas' digital credentials would be signed with a "
        "key generated on this machine, lost with it.",
        hint="Generate one with `python manage.py degrees_signing_key` and set "
             "DEGREES_SIGNING_KEY or DEGREES_SIGNING_KEY_FILE.",
        id="degrees.W001",
    )]


@register()
def signing_key_readable(app_configs, **kwargs):
    if not settings.DEGREES_SIGNING_KEY:
        return []
    from django.core.exceptions import ImproperlyConfigured

    from degrees.credentials import signing_key

    try:
        signing_key()
    except ImproperlyConfigured as exc:
        return [Error(str(exc), id="degrees.E001")]
    return []
