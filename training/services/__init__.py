"""Every write use case of training, one transaction each (STYLE #1).

Split by concern: `calendar` (school years, semesters), `programs` (versions, outcomes,
modules), `classes` (classes, placements, moves), `sections` (generation, sections, lists,
teachers), `program_import` (XLSX import of a program), `lists` (set-based list upkeep).
"""

from training.services.calendar import school_year_create, school_year_update, semester_save
from training.services.classes import (
    class_create,
    class_enroll,
    class_fill,
    class_membership_end,
    class_update,
    classes_open,
    learner_move,
    unplaced_enrollments,
)
from training.services.program_import import ProgramImport, program_import
from training.services.programs import (
    PlanLine,
    module_delete,
    module_save,
    outcome_delete,
    outcome_save,
    program_activate,
    program_create,
    program_delete,
    program_new_version,
    program_problems,
    program_retire,
    program_update,
)
from training.services.sections import (
    GenerationResult,
    section_class_add,
    section_create,
    section_delete,
    section_learner_add,
    section_learner_remove,
    section_update,
    semester_sections_generate,
    teaching_assign,
    teaching_unassign,
)

__all__ = [
    "GenerationResult",
    "PlanLine",
    "ProgramImport",
    "class_create",
    "class_enroll",
    "class_fill",
    "class_membership_end",
    "class_update",
    "classes_open",
    "learner_move",
    "module_delete",
    "module_save",
    "outcome_delete",
    "outcome_save",
    "program_activate",
    "program_create",
    "program_delete",
    "program_import",
    "program_new_version",
    "program_problems",
    "program_retire",
    "program_update",
    "school_year_create",
    "school_year_update",
    "section_class_add",
    "section_create",
    "section_delete",
    "section_learner_add",
    "section_learner_remove",
    "section_update",
    "semester_save",
    "semester_sections_generate",
    "teaching_assign",
    "teaching_unassign",
    "unplaced_enrollments",
]
