"""What the section services share: their messages and the section helpers."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from django.db import connection
from django.utils.translation import gettext_lazy as _

from enrollment.models import Enrollment
from training.models import SECTION_UNIQUE

SUMMER_NOT_PLANNED = _("Programs plan main semesters only; add summer-term sections by hand.")
SECTION_EXISTS = _("A section of %(module)s for exactly these classes already exists in this "
                   "semester.")
SECTION_CODE_TAKEN = _("The semester already has a section %(section)s.")
MODULE_NOT_FOR_CLASS = _("Class %(class_code)s does not study %(module)s: its program has no "
                         "such module.")
PROGRAM_NOT_IN_FORCE = _("Sections can only be opened for modules of a program version in "
                         "force.")
SECTION_HAS_LEARNERS = _("The section already has learners on its list; it cannot be deleted "
                         "once its semester has started.")
REASON_REQUIRED = _("Give the reason for adding the learner (e.g. re-study of a failed "
                    "module).")
NOT_STUDYING = _("%(learner)s is not studying (status: %(status)s).")
NO_PROGRAM = _("%(learner)s follows no program version yet: place them in a class first.")
MODULE_NOT_IN_PROGRAM = _("%(module)s is not a module of the program %(learner)s follows.")
ALREADY_ON_LIST = _("%(learner)s is already on the list of this section.")
ALREADY_IN_MODULE = _("%(learner)s already takes %(module)s this semester in section "
                      "%(section)s.")
SECTION_FULL = _("The section is full (%(capacity)s learners).")
CLASS_SOURCE_ONLY_FROM_CLASS = _("Learners come from a class through the class itself; choose "
                                 "another source for an individual addition.")
NOT_ON_LIST = _("This learner is no longer on the list.")
REMOVAL_REASON_REQUIRED = _("Give the reason for taking the learner off the list.")
NOT_A_TEACHER = _("%(staff)s is not a teacher.")
TEACHER_NOT_ACTIVE = _("%(staff)s is not on duty (status: %(status)s).")
ALREADY_TEACHES = _("%(staff)s already teaches this section.")
MAIN_TAKEN = _("The section already has a main teacher (%(staff)s); add this teacher as a "
               "co-teacher or replace the main teacher first.")
CLASS_ALREADY_IN_SECTION = _("Class %(class_code)s already takes part in this section.")


def same_module(a_code: str, a_name: str, b_code: str, b_name: str) -> bool:
    """Modules of different program versions are "the same" for merged sections when
    their codes and Vietnamese names agree (e.g. the general modules of every program)."""
    def norm(text: str) -> str:
        return " ".join(unicodedata.normalize("NFC", text).lower().split())

    return a_code == b_code and norm(a_name) == norm(b_name)


def learner_label(enrollment: Enrollment) -> str:
    return f"{enrollment.learner.code} {enrollment.learner.full_name}"


def section_code(module_code: str, class_codes: Sequence[str], taken: set[str]) -> str:
    base = f"{module_code}-{'+'.join(class_codes)}" if class_codes else module_code
    base = base[:56]
    code, n = base, 1
    while code in taken:
        n += 1
        code = f"{base}-{n}"
    taken.add(code)
    return code


def check_section_unique_now() -> None:
    """Check the deferred (module, semester, classes) key at this point of the transaction."""
    with connection.cursor() as cursor:
        cursor.execute(f'SET CONSTRAINTS "{SECTION_UNIQUE}" IMMEDIATE')
        cursor.execute(f'SET CONSTRAINTS "{SECTION_UNIQUE}" DEFERRED')
