"""The staff app's tables, one module per concern (re-exported here)."""

from staff.models.competency import (
    AssessmentPeriod,
    AssessmentStatus,
    CompetencyArea,
    CompetencyAssessment,
    CompetencyFramework,
    CompetencyLevel,
    CompetencyRating,
)
from staff.models.courseware import Courseware, CoursewareKind, CoursewareStatus
from staff.models.people import (
    Department,
    DepartmentKind,
    EmploymentRecord,
    EmploymentStatus,
    PedagogicalCertificate,
    Qualification,
    StaffImport,
    StaffMember,
    VocationalCertificate,
    roles_label,
)
from staff.models.trainings import (
    Delivery,
    Participation,
    ParticipationResult,
    TrainingCourse,
    TrainingKind,
)

__all__ = [
    "AssessmentPeriod",
    "AssessmentStatus",
    "CompetencyArea",
    "CompetencyAssessment",
    "CompetencyFramework",
    "CompetencyLevel",
    "CompetencyRating",
    "Courseware",
    "CoursewareKind",
    "CoursewareStatus",
    "Delivery",
    "Department",
    "DepartmentKind",
    "EmploymentRecord",
    "EmploymentStatus",
    "Participation",
    "ParticipationResult",
    "PedagogicalCertificate",
    "Qualification",
    "StaffImport",
    "StaffMember",
    "TrainingCourse",
    "TrainingKind",
    "VocationalCertificate",
    "roles_label",
]
