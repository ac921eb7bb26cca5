from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from enterprises.models import Enterprise, JobPosting, normalize_tax_code


def _check_deadline(posting: JobPosting, today) -> None:
    if posting.deadline and posting.deadline < today:
        raise ValidationError({"deadline": _("The application deadline has already passed.")})


@transaction.atomic
def posting_save(*, posting: JobPosting, by=None) -> JobPosting:
    """A posting entered by staff: published at once."""
    if posting._state.adding:
        _check_deadline(posting, timezone.localdate())
        posting.source = JobPosting.Source.STAFF
        posting.status = JobPosting.Status.OPEN
        posting.decided_by, posting.decided_at = by, timezone.now()
    posting.full_clean()
    posting.save()
    return posting


@transaction.atomic
def posting_submit_public(*, posting: JobPosting) -> JobPosting:
    """A posting from the public form: waits for staff approval. A known tax code links the
    partner enterprise; an unknown one keeps the name and code as submitted."""
    _check_deadline(posting, timezone.localdate())
    posting.tax_code = normalize_tax_code(posting.tax_code)
    posting.enterprise = Enterprise.objects.filter(tax_code=posting.tax_code).first()
    posting.source = JobPosting.Source.PUBLIC
    posting.status = JobPosting.Status.PENDING
    posting.decided_by = posting.decided_at = None
    posting.full_clean()
    posting.save()
    return posting


def _decide(posting_id: int, *, status: str, by, reason: str = "") -> JobPosting:
    with transaction.atomic():
        posting = JobPosting.objects.select_for_update().get(pk=posting_id)
        if posting.status != JobPosting.Status.PENDING:
            raise ValidationError(_("Only a posting waiting for approval can be approved or "
                                    "rejected; this one is “%(status)s”.")
                                  % {"status": posting.get_status_display()})
        posting.status, posting.reject_reason = status, reason
        posting.decided_by, posting.decided_at = by, timezone.now()
        posting.save(update_fields=["status", "reject_reason", "decided_by", "decided_at"])
        return posting


def posting_approve(*, posting: JobPosting, by) -> JobPosting:
    return _decide(posting.pk, status=JobPosting.Status.OPEN, by=by)


def posting_reject(*, posting: JobPosting, by, reason: str) -> JobPosting:
    if not (reason or "").strip():
        raise ValidationError({"reject_reason": _("Give the reason for the rejection.")})
    return _decide(posting.pk, status=JobPosting.Status.REJECTED, by=by, reason=reason.strip())


def posting_close(*, posting: JobPosting, by) -> JobPosting:
    posting.status = JobPosting.Status.CLOSED
    posting.save(update_fields=["status"])
    return posting
