"""A generated password is used once: until its owner sets their own, every page leads to
the password change (User.must_change_password).

Covers session logins only. An API token is refused for such a user in
vetschool.accounts.tokens, and no token is issued to them (vetschool.accounts.api), so a
script cannot go around the change either.
"""

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from rest_framework import exceptions

PASSWORD_CHANGE_REQUIRED = "password_change_required"


def password_change_required_message() -> str:
    return _("Your password was given to you by the college: set your own password before "
             "continuing.")


def password_change_required() -> exceptions.PermissionDenied:
    """The API's refusal (403, code "password_change_required")."""
    return exceptions.PermissionDenied(password_change_required_message(),
                                       code=PASSWORD_CHANGE_REQUIRED)


def must_change_password(user) -> bool:
    return bool(user.is_authenticated and getattr(user, "must_change_password", False))


class PasswordChangeRequiredMiddleware:
    """After AuthenticationMiddleware. The pages still open to a user who must change their
    password: the change itself, logout (the portal's and the admin's), the second factor
    of staff (which comes first, vetschool.accounts.mfa), the language switch, static
    files and the favicon."""

    def __init__(self, get_response):
        self.get_response = get_response

    def exempt_paths(self) -> tuple[str, ...]:
        return (reverse("accounts:password_change"), reverse("accounts:logout"),
                reverse("admin:logout"), "/accounts/mfa/", "/i18n/", "/favicon.ico", "/healthz",
                settings.STATIC_URL)

    def __call__(self, request):
        if must_change_password(request.user) and not request.path.startswith(
                self.exempt_paths()):
            if request.path.startswith("/api/"):
                # A session call from a page: the API's one error shape (vetschool.api).
                # Imported here: DRF's authentication setting loads tokens.py, which imports
                # this module, while rest_framework.views (under vetschool.api) loads.
                from vetschool.api import json_error

                return json_error(password_change_required())
            target = reverse("accounts:password_change")
            if request.method == "GET" and request.path != "/":
                target += "?" + urlencode({"next": request.get_full_path()})
            return redirect(target)
        return self.get_response(request)
