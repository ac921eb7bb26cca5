"""Admission use cases: rounds and quotas, online applications, admission decisions.

Every function is one transaction. Decisions lock the application row; admissions also
lock the quota rows (SELECT ... FOR UPDATE, in id order), so two registrars admitting at
the same moment can never exceed a quota.

`rounds`, `applications`, `decisions`, and `common` (messages and row helpers); every
public name is re-exported here.
"""

from __future__ import annotations

from enrollment.services.admission.applications import application_respond, application_submit
from enrollment.services.admission.common import (
    DOCUMENT_REQUIRED,
    DUPLICATE_APPLICATION,
    MAX_WISHES,
    MESSAGE_REQUIRED,
    NO_CHANGES_PENDING,
    NOT_A_WISH,
    NOT_DECIDABLE,
    QUOTA_BELOW_ADMITTED,
    QUOTA_FULL,
    QUOTA_HAS_APPLICATIONS,
    REASON_REQUIRED,
    REQUIRED_DOCUMENTS,
    RESPONSE_EMPTY,
    ROUND_CLOSED,
    WISH_GAP,
    WISH_NOT_OFFERED,
    WISH_REPEATED,
    WISH_REQUIRED,
)
from enrollment.services.admission.decisions import (
    application_admit,
    application_reject,
    application_request_changes,
    application_waitlist,
)
from enrollment.services.admission.rounds import (
    admission_round_save,
    admitted_counts,
    round_quota_problems,
    round_quotas_set,
)

__all__ = [
    "DOCUMENT_REQUIRED", "DUPLICATE_APPLICATION", "MAX_WISHES", "MESSAGE_REQUIRED",
    "NOT_A_WISH", "NOT_DECIDABLE", "NO_CHANGES_PENDING", "QUOTA_BELOW_ADMITTED", "QUOTA_FULL",
    "QUOTA_HAS_APPLICATIONS", "REASON_REQUIRED", "REQUIRED_DOCUMENTS", "RESPONSE_EMPTY",
    "ROUND_CLOSED", "WISH_GAP", "WISH_NOT_OFFERED", "WISH_REPEATED", "WISH_REQUIRED",
    "admission_round_save", "admitted_counts", "application_admit", "application_reject",
    "application_request_changes", "application_respond", "application_submit",
    "application_waitlist", "round_quota_problems", "round_quotas_set",
]
