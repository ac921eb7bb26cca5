from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """The one user model; roles are groups (see roles.py)."""

    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    # Set when the password was generated (a learner's login at enrolment, an account an
    # administrator created or whose password an administrator reset); every page but the
    # password change and logout leads to the password change until the user sets their
    # own (vetschool.accounts.middleware.PasswordChangeRequiredMiddleware).
    must_change_password = models.BooleanField(
        _("must change password"), default=False,
        help_text=_("The password was given by someone else: the user must set a new one "
                    "at the next login."),
    )

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def get_full_name(self):
        return self.full_name or super().get_full_name() or self.username

    def has_module_perms(self, app_label):
        """As Django answers it (any permission in the app), from the set of app labels
        taken once per user object: every admin page asks it for each registered model
        (the sidebar's app list), and Django's backends scan all of the user's permissions
        on each call, twice for a "no" (ModelBackend, then the SSO backend, also one):
        ~17,000 comparisons a page for a registrar, 14.5 ms of an admin page."""
        if self.is_active and self.is_superuser:
            return True
        labels = self.__dict__.get("_perm_app_labels")
        if labels is None:
            labels = {perm.partition(".")[0] for perm in self.get_all_permissions()}
            self._perm_app_labels = labels
        return app_label in labels


class PersonalDataAccess(models.Model):
    """One staff read of a full personal ID number, with the reason given for it
    (Personal Data Protection Law 91/2025/QH15; Decree 356/2025)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("user"),
    )
    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    subject_type = models.CharField(_("record type"), max_length=50)
    subject_id = models.CharField(_("record id"), max_length=50)
    subject_label = models.CharField(_("record"), max_length=200, blank=True)
    field = models.CharField(_("field"), max_length=50, default="national_id")
    path = models.CharField(_("page"), max_length=300, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("personal data read")
        verbose_name_plural = _("personal data reads")
        ordering = ["-at"]
        indexes = [models.Index(fields=["subject_type", "subject_id"])]

    def __str__(self):
        return f"{self.user} · {self.subject_label or self.subject_id} · {self.at:%Y-%m-%d %H:%M}"


class ApiToken(models.Model):
    """One API token of a user: a user may hold several (one per script or device), each
    expiring API_TOKEN_TTL_DAYS after it was issued, each revocable by its owner.

    Only a SHA-256 digest of the key is kept (the key is 160 random bits, so a fast hash
    suffices): a copy of the database gives no usable token. The first characters are kept
    in clear so that the owner can tell tokens apart."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens",
        verbose_name=_("user"),
    )
    digest = models.CharField(_("key digest"), max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("key prefix"), max_length=8, editable=False)
    created_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"), db_index=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(expires_at__gt=models.F("created_at")),
                                   name="api_token_expires_after_issue"),
            models.CheckConstraint(condition=models.Q(digest__regex=r"^[0-9a-f]{64}$"),
                                   name="api_token_digest_is_sha256_hex"),
        ]

    def __str__(self):
        return f"{self.user} · {self.prefix}…"
