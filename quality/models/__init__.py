"""Quality assurance tables: accreditation self-assessment, surveys, graduate tracking
(tracer study) — see docs/quality.md."""

from quality.models.accreditation import (
    CouncilMember,
    CouncilRole,
    Criterion,
    Cycle,
    CycleState,
    EvidenceItem,
    Framework,
    SchoolLevel,
    Standard,
    StandardAssessment,
    WorkingGroup,
    YearRating,
)
from quality.models.reports import OpenDataSnapshot, StatisticalReport
from quality.models.surveys import (
    Audience,
    Ballot,
    PendingBallot,
    Question,
    QuestionKind,
    Response,
    Survey,
    SurveyInvitation,
    SurveyState,
    TracerField,
)
from quality.models.tracer import (
    Checkpoint,
    EmploymentStatus,
    IncomeBand,
    JobRelatedness,
    TracerRecord,
    TracerSource,
)

__all__ = ["Audience", "Ballot", "PendingBallot", "Question", "QuestionKind", "Response",
           "Survey", "SurveyInvitation", "SurveyState", "TracerField",
           "Checkpoint", "EmploymentStatus", "IncomeBand", "JobRelatedness", "TracerRecord",
           "TracerSource", "StatisticalReport", "OpenDataSnapshot"]
__all__ += ["CouncilMember", "CouncilRole", "Criterion", "Cycle", "CycleState", "EvidenceItem",
            "Framework", "SchoolLevel", "Standard", "StandardAssessment", "WorkingGroup",
            "YearRating"]
