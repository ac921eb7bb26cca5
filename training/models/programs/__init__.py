"""Training programs (chương trình đào tạo), versioned, with learning outcomes and modules.

A program is one version of the curriculum of an occupation (reference catalogue) at the
occupation's level, identified by the year it takes effect (and a revision number when a
year needs two). Once a version is in use — a class follows it, a learner was admitted
under it, or a section of one of its modules exists — it is locked: its content can no
longer change (services refuse, and the database triggers refuse too); changes make
a new version, and learners keep the version they were admitted under (EnrollmentProgram).

`versions` holds the programs, their outcomes and EnrollmentProgram; `modules` the modules
with their prerequisites and assessment plans. Every public name is re-exported here.
"""

from training.models.programs.modules import (
    MAX_PLANNED_SEMESTER,
    MODULE_CODE,
    AssessmentComponent,
    AssessmentForm,
    AssessmentKind,
    Module,
    ModuleKind,
    ModulePrerequisite,
    UnitType,
    default_check_counts,
)
from training.models.programs.versions import (
    FROZEN_PROGRAM_FIELDS,
    SHORT_CODE,
    EnrollmentProgram,
    LearningOutcome,
    OutcomeDomain,
    Program,
    ProgramStatus,
)

__all__ = [
    "AssessmentComponent", "AssessmentForm", "AssessmentKind", "EnrollmentProgram",
    "FROZEN_PROGRAM_FIELDS", "LearningOutcome", "MAX_PLANNED_SEMESTER", "MODULE_CODE",
    "Module", "ModuleKind", "ModulePrerequisite", "OutcomeDomain", "Program", "ProgramStatus",
    "SHORT_CODE", "UnitType", "default_check_counts",
]
