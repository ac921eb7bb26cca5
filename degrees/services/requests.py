"""Online requests of graduates (a public service): a certified copy from the register or a
copy of the transcript. The graduate proves who they are with the serial number and their
date of birth; the registrar works the queue in the admin (received → ready → delivered) and
the graduate is told by e-mail when it is ready."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from degrees.models import CopyRequest, Diploma, RequestKind, RequestStatus
from degrees.services.register import certified_copy_issue

NOT_FOUND = _("No diploma matches this serial number and date of birth.")
WRONG_STEP = _("This request is %(status)s: it cannot be marked %(target)s.")


def copy_request_submit(*, kind: str, serial_number: str, date_of_birth: date, full_name: str,
                        email: str, phone: str = "", copies: int = 1,
                        note: str = "") -> CopyRequest:
    serial_number = (serial_number or "").strip().upper()
    diploma = Diploma.objects.filter(serial_number=serial_number,
                                     date_of_birth=date_of_birth).first()
    if diploma is None:
        raise ValidationError(NOT_FOUND, code="not_found")
    request = CopyRequest(kind=kind, diploma=diploma, full_name=(full_name or "").strip(),
                          email=(email or "").strip(), phone=(phone or "").strip(),
                          copies=copies, note=(note or "").strip())
    request.full_clean(exclude=["diploma"])
    request.save()
    return request


def _lock(request: CopyRequest) -> CopyRequest:
    return CopyRequest.objects.select_for_update().select_related("diploma").get(pk=request.pk)


def copy_request_ready(*, request: CopyRequest, by) -> CopyRequest:
    """Mark ready (a certified copy is recorded in the register) and tell the graduate."""
    with transaction.atomic():
        request = _lock(request)
        if request.status != RequestStatus.RECEIVED:
            raise ValidationError(WRONG_STEP, code="wrong_step", params={
                "status": request.get_status_display().lower(),
                "target": RequestStatus.READY.label.lower()})
        if request.kind == RequestKind.CERTIFIED_COPY:
            for _number in range(request.copies):
                certified_copy_issue(diploma=request.diploma, requester_name=request.full_name,
                                     by=by, note=f"#{request.tracking_code}")
        request.status = RequestStatus.READY
        request.ready_at = timezone.now()
        request.handled_by = by
        request.save(update_fields=["status", "ready_at", "handled_by"])
        transaction.on_commit(lambda: _notify_ready(request))
    return request


def copy_request_delivered(*, request: CopyRequest, by) -> CopyRequest:
    with transaction.atomic():
        request = _lock(request)
        if request.status != RequestStatus.READY:
            raise ValidationError(WRONG_STEP, code="wrong_step", params={
                "status": request.get_status_display().lower(),
                "target": RequestStatus.DELIVERED.label.lower()})
        request.status = RequestStatus.DELIVERED
        request.delivered_at = timezone.now()
        request.handled_by = by
        request.save(update_fields=["status", "delivered_at", "handled_by"])
    return request


def _notify_ready(request: CopyRequest) -> None:
    with translation.override("vi"):
        subject = gettext("Your request is ready")
        body = gettext(
            "Dear %(name)s,\n\nYour request (%(kind)s) for the diploma %(serial)s is ready. "
            "Bring an identity document to the training office to collect it.\n\n"
            "Tracking code: %(code)s\n") % {
                "name": request.full_name, "kind": request.get_kind_display(),
                "serial": request.diploma.serial_number, "code": request.tracking_code}
    send_mail(subject, body, None, [request.email])
