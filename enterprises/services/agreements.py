from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from enterprises import selectors
from enterprises.models import Agreement
from vetschool.accounts import roles
from vetschool.uploads import validate_document


@transaction.atomic
def agreement_save(*, agreement: Agreement, file=None, by=None) -> Agreement:
    """Validate the dates, the scope and the signed copy (by its content, as every upload),
    then store. An agreement ending before it starts, or covering nothing, stores nothing."""
    errors = {}
    if agreement.ends_on and agreement.starts_on and agreement.ends_on < agreement.starts_on:
        errors["ends_on"] = _("The agreement cannot end before it starts.")
    if agreement.signed_on and agreement.ends_on and agreement.signed_on > agreement.ends_on:
        errors["signed_on"] = _("The agreement cannot be signed after it ends.")
    if not agreement.scopes:
        errors["internships"] = _("Tick at least one thing the agreement covers.")
    if file is not None:
        try:
            validate_document(file)
        except ValidationError as exc:
            errors["file"] = exc.messages
    if errors:
        raise ValidationError(errors)
    if file is not None:
        agreement.file = file
    if by is not None and agreement.recorded_by_id is None:
        agreement.recorded_by = by
    agreement.full_clean()
    agreement.save()
    return agreement


def agreement_reminders_send(*, today=None) -> int:
    """E-mail the training office once about each agreement that ends within
    ENTERPRISE_AGREEMENT_REMINDER_DAYS; returns how many agreements were named."""
    today = today or timezone.localdate()
    due = list(selectors.agreements_to_remind(today=today))
    if not due:
        return 0
    recipients = sorted({user.email for user in roles.users_with_role(roles.REGISTRAR)
                         if user.email})
    if recipients:
        lines = [_("%(number)s — %(enterprise)s: in force until %(date)s") % {
            "number": a.number, "enterprise": a.enterprise.name,
            "date": a.ends_on.strftime("%d/%m/%Y")} for a in due]
        send_mail(
            subject=_("%(count)d cooperation agreements end soon") % {"count": len(due)},
            message="\n".join(lines), from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=recipients)
    Agreement.objects.filter(pk__in=[a.pk for a in due]).update(reminded_at=timezone.now())
    return len(due)
