"""What the learner services share: messages, the registrar's status transitions, the
decision every change carries.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enrollment.models import Enrollment, EnrollmentStatus, Learner
from enrollment.services.common import normalize_name
from vetschool.decisions import DECISION_REQUIRED
from vetschool.reference.models import Level

# Expected programme length used when no end date is given (REGULATIONS §10.2: college
# 2-3 years, intermediate 1-2 years); the registrar can change the date per enrolment.
DEFAULT_PROGRAM_MONTHS = {Level.INTERMEDIATE: 24, Level.COLLEGE: 36}
PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
PASSWORD_LENGTH = 12

# --- Messages ---------------------------------------------------------------------------------
NOT_ADMITTED = _("Only admitted applicants can be enrolled (%(code)s is %(status)s).")
DECISION_DATE_REQUIRED = _("Give the decision date.")
DATE_IN_FUTURE = _("This date cannot be in the future.")
END_BEFORE_START = _("The expected end date must be after the start date.")
ALREADY_ENROLLED = _("%(learner)s is already enrolled in %(occupation)s for %(year)s.")
USERNAME_TAKEN = _("A login named %(username)s already exists; it was not changed.")
NATIONAL_ID_TAKEN = _("Another learner (%(code)s) already has this personal ID number.")
NATIONAL_ID_REQUIRED = _("A Vietnamese citizen needs a personal ID number.")
GRADUATED_ONLY_BY_DEGREES = _(
    "Graduation is recorded only by a graduation decision (degrees), not here."
)
DISMISSED_ONLY_BY_STANDING = _(
    "Dismissal for academic results is recorded only by the academic standing review "
    "(grading). For a disciplinary dismissal use expelled."
)
TRANSITION_REFUSED = _("An enrolment that is %(current)s cannot become %(target)s.")
EFFECTIVE_BEFORE_LAST = _(
    "The change cannot take effect before the last one (%(last)s) or before the start of "
    "the enrolment."
)
STATUS_REASON_REQUIRED = _("Give the reason of this status decision.")
GRADUATION_REASON = _("Graduation decision")
NOTHING_TO_REVERT = _("There is no status change to correct.")
REVERT_GRADUATION_REFUSED = _(
    "A graduation is corrected by degrees (revocation of the decision), not here."
)
NO_LOGIN = _("%(learner)s has no login yet.")

S = EnrollmentStatus
# Ordinary changes the registrar records (graduated and dismissed come from their services).
REGISTRAR_TRANSITIONS = {
    S.STUDYING: {S.RESERVED, S.SUSPENDED, S.DROPPED_OUT, S.EXPELLED, S.TRANSFERRED},
    S.RESERVED: {S.STUDYING, S.DROPPED_OUT, S.EXPELLED, S.TRANSFERRED},
    S.SUSPENDED: {S.STUDYING, S.DROPPED_OUT, S.EXPELLED, S.TRANSFERRED},
    S.DROPPED_OUT: set(),
    S.DISMISSED: set(),
    S.EXPELLED: set(),
    S.TRANSFERRED: set(),
    S.GRADUATED: set(),
}
REGISTRAR_STATUSES = (S.STUDYING, S.RESERVED, S.SUSPENDED, S.DROPPED_OUT, S.EXPELLED,
                      S.TRANSFERRED)


@dataclass(frozen=True)
class EnrolmentResult:
    learner: Learner
    enrollment: Enrollment
    username: str
    password: str | None  # None when the learner already had a login


def require_decision(decision_number: str, decision_date: date | None) -> str:
    decision_number = normalize_name(decision_number or "")
    errors = {}
    if not decision_number:
        errors["decision_number"] = ValidationError(DECISION_REQUIRED, code="required")
    if decision_date is None:
        errors["decision_date"] = ValidationError(DECISION_DATE_REQUIRED, code="required")
    elif decision_date > timezone.localdate():
        errors["decision_date"] = ValidationError(DATE_IN_FUTURE, code="future")
    if errors:
        raise ValidationError(errors)
    return decision_number
