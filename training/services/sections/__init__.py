"""Sections: generated from the programs' plans, created by hand, their teachers and lists.

One module per concern: `generation` (from the plans), `manual` (by hand), `learners`
(individual list entries), `teaching` (assignments), `common` (messages and helpers); every
public name is re-exported here.
"""

from __future__ import annotations

from training.services.sections.common import (
    ALREADY_IN_MODULE,
    ALREADY_ON_LIST,
    ALREADY_TEACHES,
    CLASS_ALREADY_IN_SECTION,
    CLASS_SOURCE_ONLY_FROM_CLASS,
    MAIN_TAKEN,
    MODULE_NOT_FOR_CLASS,
    MODULE_NOT_IN_PROGRAM,
    NO_PROGRAM,
    NOT_A_TEACHER,
    NOT_ON_LIST,
    NOT_STUDYING,
    PROGRAM_NOT_IN_FORCE,
    REASON_REQUIRED,
    REMOVAL_REASON_REQUIRED,
    SECTION_CODE_TAKEN,
    SECTION_EXISTS,
    SECTION_FULL,
    SECTION_HAS_LEARNERS,
    SUMMER_NOT_PLANNED,
    TEACHER_NOT_ACTIVE,
)
from training.services.sections.generation import GenerationResult, semester_sections_generate
from training.services.sections.learners import section_learner_add, section_learner_remove
from training.services.sections.manual import (
    SECTION_EDITABLE_FIELDS,
    section_class_add,
    section_create,
    section_delete,
    section_update,
)
from training.services.sections.teaching import teaching_assign, teaching_unassign

__all__ = [
    "ALREADY_IN_MODULE", "ALREADY_ON_LIST", "ALREADY_TEACHES", "CLASS_ALREADY_IN_SECTION",
    "CLASS_SOURCE_ONLY_FROM_CLASS", "GenerationResult", "MAIN_TAKEN", "MODULE_NOT_FOR_CLASS",
    "MODULE_NOT_IN_PROGRAM", "NOT_A_TEACHER", "NOT_ON_LIST", "NOT_STUDYING", "NO_PROGRAM",
    "PROGRAM_NOT_IN_FORCE", "REASON_REQUIRED", "REMOVAL_REASON_REQUIRED", "SECTION_CODE_TAKEN",
    "SECTION_EDITABLE_FIELDS", "SECTION_EXISTS", "SECTION_FULL", "SECTION_HAS_LEARNERS",
    "SUMMER_NOT_PLANNED", "TEACHER_NOT_ACTIVE", "section_class_add", "section_create",
    "section_delete", "section_learner_add", "section_learner_remove", "section_update",
    "semester_sections_generate", "teaching_assign", "teaching_unassign",
]
