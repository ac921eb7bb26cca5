"""The one "log in, then check" decorator of the portal pages."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from vetschool.accounts.roles import has_role


def allowed(rule: Callable[[object], bool] | None = None, *, roles: tuple[str, ...] = ()):
    """The view is for users who pass `rule` (a function of the user, usually from an app's
    rules module) or hold one of `roles`; visitors go to the login page, others get 403."""
    if rule is None and not roles:
        raise TypeError("allowed() needs a rule or roles")

    def check(user) -> bool:
        if rule is not None and rule(user):
            return True
        return any(has_role(user, role) for role in roles)

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not check(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def role_required(*roles: str):
    """The view is for users holding one of `roles`; others get 403, visitors the login."""
    return allowed(roles=roles)


def login_required(view):
    """Any signed-in user (the view scopes what they see); visitors go to the login page."""
    return allowed(lambda user: True)(view)
