"""Degrees: graduation review, graduation decisions, the diploma register (sổ gốc), certified
copies, online copy requests, background print jobs and register exports (REGULATIONS §4–§5).

Legal records are append-only: decisions and their lines never change, a diploma's facts are
frozen at issue (database triggers refuse any change to them), its status only moves from
`issued` to `replaced` or `revoked`, and nothing is deleted. pghistory keeps who did what.

One module per concern; every public name is re-exported here, so
`from degrees.models import Diploma` keeps working and Django finds the models.
Migration 0001 names `degrees.models._new_token` and `degrees.models.print_job_upload_to`:
keep them re-exported.
"""

from degrees.models.applications import ApplicationTiming, GraduationApplication
from degrees.models.copies import CertifiedCopy, CopyRequest, RequestKind, RequestStatus
from degrees.models.print_jobs import DiplomaPrintJob, print_job_upload_to
from degrees.models.register import (
    FROZEN_FACTS,
    CounterKind,
    Diploma,
    DiplomaCounter,
    DiplomaStatus,
)
from degrees.models.register import new_token as _new_token  # noqa: F401  (migration 0001)
from degrees.models.register_exports import ExportFormat, RegisterExportJob
from degrees.models.review import (
    CLASSIFICATION_VI,
    DOWNGRADE_LABELS,
    REASON_LABELS,
    Classification,
    DecisionLine,
    GraduationDecision,
    GraduationReview,
    ReviewAdjustment,
    ReviewLine,
    ReviewStatus,
)

__all__ = [
    "CLASSIFICATION_VI", "DOWNGRADE_LABELS", "FROZEN_FACTS", "REASON_LABELS",
    "ApplicationTiming", "GraduationApplication", "CertifiedCopy", "Classification",
    "CopyRequest", "CounterKind", "DecisionLine", "Diploma", "DiplomaCounter",
    "DiplomaPrintJob", "DiplomaStatus", "ExportFormat", "GraduationDecision",
    "GraduationReview", "RegisterExportJob", "RequestKind", "RequestStatus",
    "ReviewAdjustment", "ReviewLine", "ReviewStatus", "print_job_upload_to",
]
