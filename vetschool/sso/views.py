"""The two ends of a login through the provider: the start (a redirect to the provider's
authorization endpoint, with state, nonce and a PKCE challenge kept in the session) and
the callback. Every way the callback can fail answers a page that says what happened —
never a 500 — and is logged."""

import logging
import time

import requests
from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from vetschool.sso import backend, config

log = logging.getLogger("vetschool.sso")

INVALID = "invalid"
EXPIRED = "expired"
UNREACHABLE = "unreachable"
PROVIDER_ERROR = "provider_error"
FAILED = "failed"

MESSAGES = {
    backend.UNKNOWN: _("The identity provider confirmed who you are, but no account of the "
                       "college is linked to that identity. Ask the system administrator to "
                       "link your account, or log in with your username and password."),
    backend.UNVERIFIED: _("The identity provider has not verified your e-mail address, so it "
                          "cannot be used to find your account."),
    backend.MISSING_CLAIM: _("The identity provider did not send the information that "
                             "identifies your account."),
    backend.AMBIGUOUS: _("Several accounts match this identity. Ask the system administrator "
                         "to sort it out."),
    backend.INACTIVE: _("The account linked to this identity is disabled."),
    INVALID: _("This sign-in request is not valid. Start again from the login page."),
    EXPIRED: _("This sign-in request has expired. Start again from the login page."),
    UNREACHABLE: _("The identity provider cannot be reached at the moment. Try again "
                   "later, or log in with your username and password."),
    PROVIDER_ERROR: _("The identity provider did not complete the sign-in."),
    FAILED: _("Single sign-on did not succeed. Start again from the login page."),
}
STATUS = {INVALID: 400, EXPIRED: 400, UNREACHABLE: 502}


def refused(request, reason: str):
    return render(request, "sso/refused.html", {"message": MESSAGES[reason]},
                  status=STATUS.get(reason, 403))


class SsoStartView(OIDCAuthenticationRequestView):
    """GET /accounts/sso/login/?next=…: off the provider (404) unless configured."""

    def dispatch(self, request, *args, **kwargs):
        if not config.is_configured():
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_extra_params(self, request):
        # The national platform may ask for a level of assurance (OIDC_ACR_VALUES).
        return {"acr_values": settings.OIDC_ACR_VALUES} if settings.OIDC_ACR_VALUES else {}


class SsoCallbackView(OIDCAuthenticationCallbackView):
    """GET /accounts/sso/callback/?code=…&state=…: the provider's answer."""

    def dispatch(self, request, *args, **kwargs):
        if not config.is_configured():
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        if self.state_expired(request):
            return refused(request, EXPIRED)
        try:
            return super().get(request)
        except SuspiciousOperation as exc:
            log.warning("SSO callback refused: %s", exc)
            return refused(request, INVALID)
        except requests.HTTPError as exc:
            # The provider answered but refused (a used or forged code): not an outage.
            status = exc.response.status_code if exc.response is not None else 500
            log.warning("SSO provider refused the exchange: HTTP %s", status)
            return refused(request, INVALID if status < 500 else UNREACHABLE)
        except requests.RequestException as exc:
            log.error("SSO provider unreachable: %s", type(exc).__name__)
            return refused(request, UNREACHABLE)

    def state_expired(self, request) -> bool:
        """A state older than OIDC_STATE_TTL_MINUTES is dropped and refused: a link left
        in a browser's history cannot finish a login later."""
        states = request.session.get("oidc_states") or {}
        entry = states.get(request.GET.get("state", ""))
        if not entry or time.time() - entry["added_on"] <= settings.OIDC_STATE_TTL_MINUTES * 60:
            return False
        del states[request.GET["state"]]
        request.session.modified = True
        log.warning("SSO callback refused: expired state")
        return True

    def login_failure(self):
        if self.request.GET.get("error"):
            log.warning("SSO provider answered error %r", self.request.GET["error"][:50])
            return refused(self.request, PROVIDER_ERROR)
        return refused(self.request, getattr(self.request, "sso_refusal", FAILED))
