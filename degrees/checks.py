"""System checks of the degrees configuration.

An unset DEGREES_SIGNING_KEY is not a deploy warning: `check --deploy` must be clean with
the four production variables alone. The key generated into VAR_DIR then is logged as a
warning when it is made, and docs/operations.md says to back it up or set the variable.
"""

from django.conf import settings
from django.core.checks import Error, register


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
