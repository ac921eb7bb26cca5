"""Writes of the enterprises app: each validates, stores and says what is wrong."""

from enterprises.services.agreements import agreement_reminders_send, agreement_save
from enterprises.services.enterprises import enterprise_save
from enterprises.services.imports import enterprise_import
from enterprises.services.postings import (
    posting_approve,
    posting_close,
    posting_reject,
    posting_save,
    posting_submit_public,
)

__all__ = [
    "agreement_reminders_send", "agreement_save", "enterprise_import", "enterprise_save",
    "posting_approve", "posting_close", "posting_reject", "posting_save",
    "posting_submit_public",
]
