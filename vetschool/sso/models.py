from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SsoIdentity(models.Model):
    """An account's identity at an OpenID Connect provider: the value of one claim (its
    subject `sub`, or a personal ID claim as OIDC_MATCH_CLAIM says) at one issuer.

    Recorded by an administrator; a login through the provider finds the account only
    through this link (or a verified e-mail when so configured), never by a name."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sso_identities",
        verbose_name=_("user"),
    )
    # Compared character for character with the ID token's `iss`: a plain string, which a
    # URL field's normalising (an assumed scheme) would not keep.
    issuer = models.CharField(_("issuer"), max_length=300,
                              help_text=_("The provider's issuer URL, as in OIDC_ISSUER."))
    claim = models.CharField(_("claim"), max_length=50, default="sub",
                             help_text=_("The claim that identifies the person, as in "
                                         "OIDC_MATCH_CLAIM (usually sub)."))
    value = models.CharField(_("value"), max_length=255)
    created_at = models.DateTimeField(_("linked at"), auto_now_add=True)

    class Meta:
        verbose_name = _("single sign-on identity")
        verbose_name_plural = _("single sign-on identities")
        constraints = [
            models.UniqueConstraint(fields=["issuer", "claim", "value"],
                                    name="sso_identity_unique_per_issuer"),
        ]

    def __str__(self):
        return f"{self.user} · {self.claim} @ {self.issuer}"
