"""The grading app's tables: gradebooks and scores (`assessment`), attendance
(`attendance`), amendments and the gradebook log (`amendments`), and the results computed
from them (`results`). They keep the `training_*` table names they had
when grading lived inside training, so history, sync and freeze triggers stay attached."""

from grading.models.amendments import Amendment, AmendmentStatus, GradebookLog
from grading.models.assessment import (
    Gradebook,
    GradebookStatus,
    ImprovementSitting,
    Score,
    ScoreMark,
)
from grading.models.attendance import (
    AttendanceKind,
    AttendanceMark,
    AttendanceSession,
    AttendanceStatus,
    EligibilityWaiver,
)
from grading.models.internships import MentorEvaluation, MentorLink, Placement
from grading.models.results import (
    BatchStatus,
    Classification,
    LearnerRound,
    Letter,
    ModuleExemption,
    ModuleResult,
    ModuleStatus,
    RecomputeJob,
    ResultsStamp,
    Standing,
    StandingReview,
    StandingReviewJob,
    TermSummary,
    TranscriptBatch,
)
from grading.models.rulesets import RuleSetChange

__all__ = [
    "Amendment", "AmendmentStatus", "AttendanceKind", "AttendanceMark", "AttendanceSession",
    "AttendanceStatus", "BatchStatus", "Classification", "EligibilityWaiver", "Gradebook",
    "GradebookLog", "GradebookStatus", "ImprovementSitting", "LearnerRound", "Letter",
    "MentorEvaluation", "MentorLink", "Placement",
    "ModuleExemption", "ModuleResult", "ModuleStatus", "RecomputeJob", "ResultsStamp",
    "RuleSetChange", "Score", "ScoreMark", "Standing", "StandingReview", "StandingReviewJob",
    "TermSummary", "TranscriptBatch",
]
