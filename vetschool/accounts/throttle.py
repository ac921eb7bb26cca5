"""A limit on failed logins per client address, across usernames (password spraying).

django-axes locks one username from one address after AXES_FAILURE_LIMIT failures; an
attacker trying one password on many usernames never reaches it. This counts every failed
login from an address in the shared cache (vetschool.ratelimit) and refuses any further
login from it, right or wrong, once LOGIN_ADDRESS_FAILURE_LIMIT is reached, for
AXES_COOLOFF_MINUTES from the first failure. A success does not clear the count: a sprayer
holding one valid account could otherwise reset it between tries.

The limit is higher than axes' per-username one: a computer room behind one address may
see a few honest mistakes from many learners.
"""

from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver

from vetschool import ratelimit


def _key(request) -> str:
    return f"accounts.login-failures:{ratelimit.client_address(request)}"


def _window_seconds() -> int:
    return max(1, round(settings.AXES_COOLOFF_TIME * 3600))


def address_blocked(request) -> bool:
    return ratelimit.count(_key(request)) >= settings.LOGIN_ADDRESS_FAILURE_LIMIT


@receiver(user_login_failed, dispatch_uid="vetschool.accounts.throttle")
def _count_failure(sender, credentials, request=None, **kwargs):
    if request is not None:
        ratelimit.hit(_key(request), _window_seconds())


class AddressThrottleBackend:
    """First of AUTHENTICATION_BACKENDS: refuses every login from a blocked address.

    Raising PermissionDenied stops Django's authenticate() before any other backend; the
    flags make AxesMiddleware answer with the portal's 429 page (accounts.views.locked_out)."""

    def authenticate(self, request, **credentials):
        if request is not None and address_blocked(request):
            request.axes_locked_out = True
            request.login_address_blocked = True
            raise PermissionDenied
        return None

    # No get_user(): this backend never logs anyone in (and so the test client's
    # force_login passes it by for ModelBackend).
