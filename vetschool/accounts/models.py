from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """The one user model; roles are groups (see roles.py)."""

    full_name = models.CharField(_("full name"), max_length=150, blank=True)

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def get_full_name(self):
        return self.full_name or super().get_full_name() or self.username


class PersonalDataAccess(models.Model):
    """One staff read of a full personal ID number (Decree 13/2023 on personal data)."""

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

    class Meta:
        verbose_name = _("personal data read")
        verbose_name_plural = _("personal data reads")
        ordering = ["-at"]
        indexes = [models.Index(fields=["subject_type", "subject_id"])]

    def __str__(self):
        return f"{self.user} · {self.subject_label or self.subject_id} · {self.at:%Y-%m-%d %H:%M}"
