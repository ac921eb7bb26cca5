"""Program versions, their learning outcomes and modules.

A version in use (`is_locked`, set by the database when a class, a learner or a section
first uses it) is never edited: every service here refuses with PROGRAM_IN_USE, and the
database refuses too. Changes go into a new version (`program_new_version`), a copy of the
program with its outcomes, modules, assessment plans and prerequisites.

One module per concern: `versions`, `modules` (with assessment plans and prerequisites),
`outcomes`, and `common` (messages and helpers); every public name is re-exported here.
"""

from __future__ import annotations

from training.services.programs.common import (
    ALREADY_ACTIVE,
    CONDITION_MODULE_WORDS,
    DEFAULT_DURATION_MONTHS,
    DELETE_NOT_DRAFT,
    LEVEL_MISMATCH,
    MODULE_CODE_INVALID,
    MODULE_CODE_TAKEN,
    MODULE_NO_CHECKS,
    MODULE_NO_EXAM,
    MODULE_NO_HOURS,
    MODULE_REQUIRED_BY,
    MODULE_SEMESTER_RANGE,
    NEW_VERSION_YEAR,
    NO_MODULES,
    NO_OUTCOMES,
    NOT_ACTIVE,
    NOT_READY,
    OCCUPATION_INACTIVE,
    OUTCOME_CODE_TAKEN,
    PLAN_COUNT_RANGE,
    PLAN_DUPLICATE_KIND,
    PLAN_EXAM_COUNT,
    PLAN_EXAM_FORM,
    PREREQUISITE_ITSELF,
    PREREQUISITE_NOT_EARLIER,
    PREREQUISITE_OF_LATER,
    PREREQUISITE_UNKNOWN,
    PROGRAM_IN_USE,
    TOO_FEW_CREDITS,
    VERSION_EXISTS,
    is_condition_module_name,
    min_credits,
    normalize_module_code,
    semesters_of,
)
from training.services.programs.modules import PlanLine, default_plan, module_delete, module_save
from training.services.programs.outcomes import outcome_delete, outcome_save
from training.services.programs.versions import (
    PROGRAM_EDITABLE_FIELDS,
    program_activate,
    program_create,
    program_delete,
    program_new_version,
    program_problems,
    program_retire,
    program_update,
)

__all__ = [
    "ALREADY_ACTIVE", "CONDITION_MODULE_WORDS", "DEFAULT_DURATION_MONTHS", "DELETE_NOT_DRAFT",
    "LEVEL_MISMATCH", "MODULE_CODE_INVALID", "MODULE_CODE_TAKEN", "MODULE_NO_CHECKS",
    "MODULE_NO_EXAM", "MODULE_NO_HOURS", "MODULE_REQUIRED_BY", "MODULE_SEMESTER_RANGE",
    "NEW_VERSION_YEAR", "NOT_ACTIVE", "NOT_READY", "NO_MODULES", "NO_OUTCOMES",
    "OCCUPATION_INACTIVE", "OUTCOME_CODE_TAKEN", "PLAN_COUNT_RANGE", "PLAN_DUPLICATE_KIND",
    "PLAN_EXAM_COUNT", "PLAN_EXAM_FORM", "PREREQUISITE_ITSELF", "PREREQUISITE_NOT_EARLIER",
    "PREREQUISITE_OF_LATER", "PREREQUISITE_UNKNOWN", "PROGRAM_EDITABLE_FIELDS",
    "PROGRAM_IN_USE", "PlanLine", "TOO_FEW_CREDITS", "VERSION_EXISTS", "default_plan",
    "is_condition_module_name", "min_credits", "module_delete", "module_save",
    "normalize_module_code", "outcome_delete", "outcome_save", "program_activate",
    "program_create", "program_delete", "program_new_version", "program_problems",
    "program_retire", "program_update", "semesters_of",
]
