"""The second factor of staff (TOTP, django-otp) and the limits of a staff session.

Who must: every user holding a role whose `second_factor` is set (every staff role,
teachers included), a superuser and anyone who may enter the admin (is_staff). Learners
and applicants are not asked.

What counts as done: `second_factor_done(request)`, the one answer the enforcement asks —
django-otp's verified session (a TOTP or recovery code typed after the password), or an
identity provider that asserted its own second factor at a single sign-on login
(session["mfa_asserted_by_idp"] is True, set by that login from the `amr`/`acr` claims).

Until then such a user reaches only the pages of EXEMPT_PATHS (logout, the second-factor
pages themselves, the password reset); a page answers with a redirect to the code, a
session API call with a 403 "second_factor_required".

A staff session also ends after STAFF_SESSION_IDLE_SECONDS without a request and
STAFF_SESSION_MAX_SECONDS after the login, whatever happens in between.
"""

import logging
import time

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.dispatch import receiver
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django_otp import devices_for_user
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework import exceptions

from vetschool.accounts import roles

logger = logging.getLogger(__name__)

SECOND_FACTOR_REQUIRED = "second_factor_required"
SESSION_EXPIRED = "session_expired"
IDP_ASSERTED_KEY = "mfa_asserted_by_idp"  # set by the single sign-on login only
RECOVERY_CODE_COUNT = 10
# The codes just made, shown once on the next page and then dropped from the session.
NEW_RECOVERY_CODES_KEY = "mfa_new_recovery_codes"
STARTED_KEY = "staff_session_started"
SEEN_KEY = "staff_session_seen"
# Writing the session on every request would make every page a write; a minute is finer
# than any idle limit we would set.
SEEN_RESOLUTION_SECONDS = 60


def second_factor_required(user) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser or user.is_staff:
        return True
    names = roles.role_names_of(user)
    return any(role.second_factor for name, role in roles.ROLES.items() if name in names)


def second_factor_done(request) -> bool:
    """The one definition of "this session passed a second factor"."""
    is_verified = getattr(request.user, "is_verified", None)
    if is_verified is not None and is_verified():
        return True
    return request.session.get(IDP_ASSERTED_KEY) is True


def confirmed_totp_device(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def has_confirmed_device(user) -> bool:
    return any(True for _device in devices_for_user(user, confirmed=True))


def pending_totp_device(user) -> TOTPDevice:
    """The device being enrolled: its secret is shown until a code from it is typed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="TOTP", confirmed=False)


def qr_svg(text: str) -> str:
    """An inline SVG of `text` as a QR code (no script, no image request: CSP is happy)."""
    return segno.make(text, error="m").svg_inline(scale=5, border=2, light="#fff")


def otpauth_secret(device: TOTPDevice) -> str:
    """The secret as authenticator apps take it when typed (base32, in groups of four)."""
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


@transaction.atomic
def recovery_codes_renew(user) -> list[str]:
    """Ten new single-use codes; the old ones stop working."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=_("Recovery codes"), confirmed=True)
    codes = [StaticToken.random_token() for _index in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def enrolment_confirm(user, device: TOTPDevice) -> list[str]:
    """A code from `device` was typed: it becomes the user's one TOTP device, with new
    recovery codes, which are returned to be shown once."""
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return recovery_codes_renew(user)


@transaction.atomic
def second_factor_reset(user, *, by) -> int:
    """An administrator's reset for someone who lost both their phone and their recovery
    codes: every device goes, so any session verified by one stops counting and the next
    login enrols again. Logged with ids only. Returns the devices removed."""
    removed = (TOTPDevice.objects.filter(user=user).delete()[0]
               + StaticDevice.objects.filter(user=user).delete()[0])
    logger.warning("second factor reset: user %s by user %s (%s devices)", user.pk, by.pk,
                   removed)
    return removed


def api_refusal() -> exceptions.PermissionDenied:
    """The API's 403 to staff without a second factor: a session call before the code, a
    token asked for without a valid `otp_token`."""
    return exceptions.PermissionDenied(
        _("A staff account needs its second factor: a valid code of the authenticator "
          "app."), code=SECOND_FACTOR_REQUIRED)


def exempt_paths() -> tuple[str, ...]:
    """Open to a signed-in staff user before the second factor."""
    # Single sign-on stays open: a provider that asserts its own second factor completes
    # the login (vetschool.sso sets IDP_ASSERTED_KEY).
    return (reverse("accounts:logout"), reverse("admin:logout"), "/accounts/mfa/",
            "/accounts/password/reset/", "/accounts/sso/", reverse("api-token"), "/i18n/",
            "/favicon.ico", "/healthz", settings.STATIC_URL)


def _json_error(error):
    # Imported here: DRF's authentication setting loads tokens.py, which imports the
    # accounts middleware, while rest_framework.views (under vetschool.api) loads.
    from vetschool.api import json_error

    return json_error(error)


class StaffSecondFactorMiddleware:
    """After django-otp's OTPMiddleware, before PasswordChangeRequiredMiddleware (whose
    page comes after the second factor; it leaves the second-factor pages open)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (second_factor_required(request.user) and not second_factor_done(request)
                and not request.path.startswith(exempt_paths())):
            if request.path.startswith("/api/"):
                return _json_error(api_refusal())
            target = reverse("accounts:mfa-verify")
            if request.method == "GET" and request.path != "/":
                target += "?" + urlencode({"next": request.get_full_path()})
            return redirect(target)
        return self.get_response(request)


@receiver(user_logged_in, dispatch_uid="vetschool.accounts.mfa.session_started")
def _session_started(sender, request, user, **kwargs):
    now = time.time()
    request.session[STARTED_KEY] = now
    request.session[SEEN_KEY] = now


def session_expired(session, now: float) -> bool:
    started = session.get(STARTED_KEY, now)
    seen = session.get(SEEN_KEY, now)
    return (now - seen > settings.STAFF_SESSION_IDLE_SECONDS
            or now - started > settings.STAFF_SESSION_MAX_SECONDS)


class StaffSessionTimeoutMiddleware:
    """After AuthenticationMiddleware and MessageMiddleware. A staff session idle for
    STAFF_SESSION_IDLE_SECONDS, or older than STAFF_SESSION_MAX_SECONDS, is logged out:
    a page leads to the login (and back), an API call by session is a 401. Learners'
    sessions keep Django's own cookie age."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if second_factor_required(request.user):
            now = time.time()
            if session_expired(request.session, now):
                logout(request)
                return self.expired_response(request)
            request.session.setdefault(STARTED_KEY, now)
            if now - request.session.get(SEEN_KEY, 0) >= SEEN_RESOLUTION_SECONDS:
                request.session[SEEN_KEY] = now
        return self.get_response(request)

    def expired_response(self, request):
        message = _("Your session has expired. Please log in again.")
        if request.path.startswith("/api/"):
            return _json_error(exceptions.NotAuthenticated(message, code=SESSION_EXPIRED))
        messages.info(request, message)
        target = reverse("accounts:login")
        if request.method == "GET":
            target += "?" + urlencode({"next": request.get_full_path()})
        return redirect(target)
