from django.db import models
from django.utils.translation import gettext_lazy as _


class RenderedDocument(models.Model):
    """The latest PDF rendered for one document (a kind and the key of what it shows), and
    the hash of the content it was rendered from. Not a legal record: a cache of a
    rendering, replaced whenever the content changes, never served when the hash differs."""

    kind = models.CharField(_("kind"), max_length=40)
    key = models.CharField(_("key"), max_length=40)
    content_hash = models.CharField(_("content hash"), max_length=64)
    file = models.FileField(_("file"), max_length=200)
    rendered_at = models.DateTimeField(_("rendered at"))

    class Meta:
        verbose_name = _("rendered document")
        verbose_name_plural = _("rendered documents")
        constraints = [models.UniqueConstraint(fields=["kind", "key"],
                                               name="documents_one_per_kind_and_key")]

    def __str__(self):
        return f"{self.kind} {self.key}"
