"""The training app's tables, one module per concern (re-exported here)."""

from training.models.calendar import MAIN_SEMESTERS, SUMMER_TERM, SchoolYear, Semester
from training.models.classes import (
    ClassMembership,
    ClassStatus,
    HomeroomClass,
    MembershipEnd,
    MembershipReason,
)
from training.models.programs import (
    AssessmentComponent,
    AssessmentForm,
    AssessmentKind,
    EnrollmentProgram,
    LearningOutcome,
    Module,
    ModuleKind,
    ModulePrerequisite,
    OutcomeDomain,
    Program,
    ProgramStatus,
    UnitType,
    default_check_counts,
)
from training.models.sections import (
    SECTION_UNIQUE,
    Section,
    SectionClass,
    SectionLearner,
    SectionLearnerSource,
    TeachingAssignment,
    TeachingRole,
    class_key,
)

__all__ = [
    "MAIN_SEMESTERS",
    "SECTION_UNIQUE",
    "SUMMER_TERM",
    "AssessmentComponent",
    "AssessmentForm",
    "AssessmentKind",
    "ClassMembership",
    "ClassStatus",
    "EnrollmentProgram",
    "HomeroomClass",
    "LearningOutcome",
    "MembershipEnd",
    "MembershipReason",
    "Module",
    "ModuleKind",
    "ModulePrerequisite",
    "OutcomeDomain",
    "Program",
    "ProgramStatus",
    "SchoolYear",
    "Semester",
    "Section",
    "SectionClass",
    "SectionLearner",
    "SectionLearnerSource",
    "TeachingAssignment",
    "TeachingRole",
    "UnitType",
    "class_key",
    "default_check_counts",
]

# Assessment and grading (issue 7): score sheets, attendance, amendments, results.
from training.models.assessment import (  # noqa: E402
    Amendment,
    AmendmentStatus,
    AttendanceKind,
    AttendanceMark,
    AttendanceSession,
    AttendanceStatus,
    EligibilityWaiver,
    Gradebook,
    GradebookLog,
    GradebookStatus,
    ImprovementSitting,
    Score,
    ScoreMark,
)
from training.models.results import (  # noqa: E402
    BatchStatus,
    Classification,
    LearnerRound,
    Letter,
    ModuleExemption,
    ModuleResult,
    ModuleStatus,
    Standing,
    StandingReview,
    TermSummary,
    TranscriptBatch,
)

__all__ += [
    "Amendment", "AmendmentStatus", "AttendanceKind", "AttendanceMark", "AttendanceSession",
    "AttendanceStatus", "BatchStatus", "Classification", "EligibilityWaiver", "Gradebook",
    "GradebookLog", "GradebookStatus", "ImprovementSitting", "LearnerRound", "Letter",
    "ModuleExemption", "ModuleResult", "ModuleStatus", "Score", "ScoreMark", "Standing",
    "StandingReview", "TermSummary", "TranscriptBatch",
]
