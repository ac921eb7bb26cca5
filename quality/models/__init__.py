"""Quality assurance tables. So far: graduate tracking (tracer study) — see
docs/quality.md."""

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
from quality.models.tracer import (
    Checkpoint,
    EmploymentStatus,
    IncomeBand,
    JobRelatedness,
    TracerRecord,
    TracerSource,
)

__all__ = ["Checkpoint", "EmploymentStatus", "IncomeBand", "JobRelatedness", "TracerRecord",
           "TracerSource"]
__all__ += ["CouncilMember", "CouncilRole", "Criterion", "Cycle", "CycleState", "EvidenceItem",
            "Framework", "SchoolLevel", "Standard", "StandardAssessment", "WorkingGroup",
            "YearRating"]
