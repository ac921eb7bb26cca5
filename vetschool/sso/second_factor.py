"""The agreed interface with the staff second factor: the session counts as verified by
a second factor when `request.session["mfa_asserted_by_idp"] is True`. Set at every login,
so that a later password login in the same session never inherits a provider's assertion."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from vetschool.sso.config import MFA_SESSION_KEY

SSO_BACKEND = "vetschool.sso.backend.SsoBackend"


@receiver(user_logged_in, dispatch_uid="vetschool.sso.second_factor")
def _record_second_factor(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    through_sso = getattr(user, "backend", None) == SSO_BACKEND
    request.session[MFA_SESSION_KEY] = through_sso and getattr(user, "sso_mfa_asserted", False)
