from django.db import models
from django.utils.translation import gettext_lazy as _


class Backup(models.Model):
    """A finished backup generation, recorded after its folder got its final name: /healthz
    reads the newest here, so web servers need not see the backup folder."""

    name = models.CharField(_("name"), max_length=60, unique=True)
    created_at = models.DateTimeField(_("created at"), db_index=True)
    size_bytes = models.BigIntegerField(_("size in bytes"))
    manifest_sha256 = models.CharField(_("SHA-256 of the manifest"), max_length=64)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("backup")
        verbose_name_plural = _("backups")

    def __str__(self):
        return self.name
