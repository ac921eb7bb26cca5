"""Certified copies from the register and graduates' online copy requests (REGULATIONS §5.3)."""

import pghistory
import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from degrees.models.register import Diploma, new_token


@pghistory.track()
@pgtrigger.register(
    pgtrigger.Protect(name="certified_copy_append_only",
                      operation=pgtrigger.Update | pgtrigger.Delete),
)
class CertifiedCopy(models.Model):
    """A certified copy from the original register (bản sao từ sổ gốc, REGULATIONS §5.3):
    what a holder of a lost or damaged diploma gets; any number of times, each recorded."""

    diploma = models.ForeignKey(Diploma, on_delete=models.PROTECT, related_name="copies",
                                verbose_name=_("diploma"))
    number = models.PositiveSmallIntegerField(_("copy number"))
    issued_on = models.DateField(_("issued on"))
    requester_name = models.CharField(_("requested by"), max_length=150)
    note = models.CharField(_("note"), max_length=300, blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+", verbose_name=_("issued by"))
    issued_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["diploma", "number"]
        verbose_name = _("certified copy")
        verbose_name_plural = _("certified copies")
        constraints = [
            models.UniqueConstraint(fields=["diploma", "number"], name="certified_copy_unique"),
            models.CheckConstraint(condition=~Q(requester_name=""),
                                   name="certified_copy_has_requester"),
        ]

    def __str__(self):
        return f"{self.diploma.serial_number} · {self.number}"


class RequestKind(models.TextChoices):
    CERTIFIED_COPY = "certified_copy", _("Certified copy of the diploma from the register")
    TRANSCRIPT_COPY = "transcript_copy", _("Copy of the transcript")


class RequestStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    READY = "ready", _("Ready")
    DELIVERED = "delivered", _("Delivered")


@pghistory.track()
class CopyRequest(models.Model):
    """An online request of a graduate for a certified copy or a transcript copy."""

    tracking_code = models.UUIDField(_("tracking code"), default=new_token, unique=True,
                                     editable=False)
    kind = models.CharField(_("what is requested"), max_length=20, choices=RequestKind.choices)
    diploma = models.ForeignKey(Diploma, on_delete=models.PROTECT, related_name="requests",
                                verbose_name=_("diploma"))
    full_name = models.CharField(_("full name"), max_length=100)
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    copies = models.PositiveSmallIntegerField(_("number of copies"), default=1)
    note = models.CharField(_("note"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=RequestStatus.choices,
                              default=RequestStatus.RECEIVED)
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)
    ready_at = models.DateTimeField(_("ready at"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("handled by"))

    class Meta:
        ordering = ["status", "received_at"]
        verbose_name = _("copy request")
        verbose_name_plural = _("copy requests")
        constraints = [
            models.CheckConstraint(condition=Q(copies__gte=1, copies__lte=10),
                                   name="copy_request_copies_range"),
            models.CheckConstraint(
                condition=Q(status="received") | Q(ready_at__isnull=False),
                name="copy_request_ready_has_date"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.full_name}"
