"""What the program services share: their messages, the code and semester helpers, and
the lock that refuses a version in use.
"""

from __future__ import annotations

import math
import re
import unicodedata

from django.utils.translation import gettext_lazy as _

from training.models import Program
from training.services.common import error
from vetschool.reference.models import Level
from vetschool.regulation.config import rules_in_force

# Default program length by level (REGULATIONS §10.2: college 2–3 years, intermediate 1–2).
DEFAULT_DURATION_MONTHS = {Level.COLLEGE: 36, Level.INTERMEDIATE: 24}

# --- Messages -----------------------------------------------------------------------------------
PROGRAM_IN_USE = _(
    "This program version is in use (classes, learners or sections follow it) and cannot be "
    "changed. Make a new version instead."
)
VERSION_EXISTS = _("%(occupation)s already has a version in force from %(year)s.")
LEVEL_MISMATCH = _("Occupation %(occupation)s is a %(actual)s occupation, not %(level)s.")
OCCUPATION_INACTIVE = _("Occupation %(occupation)s is not active in the catalogue.")
NEW_VERSION_YEAR = _("A new version cannot take effect before %(year)s, the year of the "
                     "version it replaces.")
DELETE_NOT_DRAFT = _("Only a draft version that is not in use can be deleted.")
ALREADY_ACTIVE = _("This version is already in force.")
NOT_ACTIVE = _("Only a version in force can be retired.")
NOT_READY = _("The version cannot be put in force yet.")
NO_MODULES = _("The program has no modules.")
NO_OUTCOMES = _("The program has no learning outcomes.")
TOO_FEW_CREDITS = _("%(total)s credits is below the minimum of %(minimum)s for the %(level)s "
                    "level.")
MODULE_NO_EXAM = _("Module %(code)s has no final exam in its assessment plan.")
MODULE_NO_CHECKS = _("Module %(code)s has no continuous or periodic check in its assessment "
                     "plan.")
MODULE_CODE_TAKEN = _("The program already has a module %(module)s.")
MODULE_CODE_INVALID = _("A module code has 1 to 20 characters, e.g. MH01 or MĐ07.")
MODULE_NO_HOURS = _("A module needs theory or practice hours.")
MODULE_SEMESTER_RANGE = _("The planned semester must be between 1 and %(max)s (%(months)s "
                          "months).")
PREREQUISITE_UNKNOWN = _("The program has no module %(module)s.")
PREREQUISITE_ITSELF = _("A module cannot be its own prerequisite.")
PREREQUISITE_NOT_EARLIER = _("Prerequisite %(module)s is planned in semester %(semester)s; it "
                             "must come before semester %(planned)s.")
PREREQUISITE_OF_LATER = _("Module %(module)s (semester %(semester)s) requires this module, "
                          "which would then no longer come first.")
PLAN_DUPLICATE_KIND = _("The assessment plan lists %(kind)s twice.")
PLAN_EXAM_COUNT = _("A module has exactly one final exam.")
PLAN_EXAM_FORM = _("Give the form of the final exam.")
PLAN_COUNT_RANGE = _("The number of checks must be between 1 and 10.")
MODULE_REQUIRED_BY = _("Module %(module)s is a prerequisite of %(others)s; remove that first.")
OUTCOME_CODE_TAKEN = _("The program already has an outcome %(outcome)s.")

CONDITION_MODULE_WORDS = ("thể chất", "quốc phòng", "physical education", "national defence",
                          "national defense")


def is_condition_module_name(name: str) -> bool:
    """Physical education and national defence-security education do not count in GPA."""
    text = unicodedata.normalize("NFC", name).lower()
    return any(word in text for word in CONDITION_MODULE_WORDS)


def semesters_of(program: Program) -> int:
    """How many semesters a program of this length has: two a year."""
    return max(1, math.ceil(program.duration_months / 6))


def normalize_module_code(code: str) -> str:
    """'mđ 07' → 'MĐ07': codes compare upper-case, without spaces (NFC)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFC", str(code or ""))).upper()


def min_credits(level: str) -> int:
    """§10.2 minimum credits of a version of this level (35 intermediate, 60 college); the
    50 credits for lower-secondary entrants are checked when they join a class."""
    return rules_in_force().min_credits(level)


def program_editable(program: Program) -> Program:
    """The program locked FOR UPDATE, or PROGRAM_IN_USE if it is in use."""
    locked = Program.objects.select_for_update().select_related("occupation").get(pk=program.pk)
    if locked.is_locked:
        raise error(PROGRAM_IN_USE, code="program_in_use")
    return locked
