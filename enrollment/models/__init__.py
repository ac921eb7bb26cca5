"""Admission rounds, online applications, learners, enrolments and their status history.

The database enforces what it can: one application per personal ID per round, one quota
row per round × occupation, collision-free learner codes, status changes that only the
right service may write (`graduated` by degrees, `dismissed` by grading's standing), and
append-only status and application logs (pgtrigger).

One module per concern; every public name is re-exported here, so
`from enrollment.models import Learner` keeps working and Django finds the models.
Migration 0001 names `enrollment.models.document_upload_to`: keep it re-exported.
pghistory adds its event models (`LearnerEvent`, …) to this package when they are made.
"""

from enrollment.models.applications import (
    TRACKING_ALPHABET,
    TRACKING_RANDOM_LENGTH,
    Application,
    ApplicationDocument,
    ApplicationLog,
    ApplicationStatus,
    ApplicationWish,
    DocumentKind,
    EducationLevel,
    GuardianRelation,
    document_upload_to,
    new_tracking_code,
)
from enrollment.models.conduct import (
    DISCIPLINE_ORDER,
    LOWERING_DISCIPLINE,
    DisciplineLevel,
    DisciplineRecord,
    GraduationHold,
    HoldKind,
)
from enrollment.models.enrolments import (
    Enrollment,
    EnrollmentStatus,
    EnrollmentStatusChange,
    StatusSource,
    StudyMode,
)
from enrollment.models.imports import AdmissionLetterJob, LearnerImport
from enrollment.models.learners import (
    NATIONAL_ID_FORMAT,
    NATIONALITY_FORMAT,
    Learner,
    LearnerCodeCounter,
)
from enrollment.models.privacy import (
    CorrectableField,
    CorrectionRequest,
    CorrectionStatus,
    RetentionErasure,
)
from enrollment.models.rounds import AdmissionRound, RoundQuota

__all__ = [
    "NATIONALITY_FORMAT", "NATIONAL_ID_FORMAT", "TRACKING_ALPHABET", "TRACKING_RANDOM_LENGTH",
    "DISCIPLINE_ORDER", "LOWERING_DISCIPLINE", "DisciplineLevel", "DisciplineRecord",
    "GraduationHold", "HoldKind",
    "AdmissionLetterJob", "AdmissionRound", "Application", "ApplicationDocument", "ApplicationLog",
    "ApplicationStatus", "ApplicationWish", "DocumentKind", "EducationLevel", "Enrollment",
    "EnrollmentStatus", "EnrollmentStatusChange", "Learner", "LearnerCodeCounter",
    "LearnerImport", "RoundQuota", "StatusSource", "StudyMode", "document_upload_to",
    "new_tracking_code", "GuardianRelation", "CorrectableField", "CorrectionRequest",
    "CorrectionStatus", "RetentionErasure",
]
