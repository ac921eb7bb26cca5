"""Learner records: enrolment of admitted applicants, personal data, logins, status changes.

Status changes are guarded by who may make them: the registrar records the ordinary ones
(`enrollment_change_status`), `graduated` is reserved to degrees (`enrollment_graduate`)
and `dismissed` to grading's academic standing (`enrollment_dismiss_for_results`). The
database refuses the last two from any other source as well.

`enrolment`, `logins`, `personal` (personal data), `status` (enrolment data and status), and
`common` (messages, transitions, helpers); every public name is re-exported here.
"""

from __future__ import annotations

from enrollment.services.learners.common import (
    ALREADY_ENROLLED,
    DATE_IN_FUTURE,
    DECISION_DATE_REQUIRED,
    DECISION_REQUIRED,
    DEFAULT_PROGRAM_MONTHS,
    DISMISSED_ONLY_BY_STANDING,
    EFFECTIVE_BEFORE_LAST,
    END_BEFORE_START,
    GRADUATED_ONLY_BY_DEGREES,
    GRADUATION_REASON,
    NATIONAL_ID_REQUIRED,
    NATIONAL_ID_TAKEN,
    NO_LOGIN,
    NOT_ADMITTED,
    NOTHING_TO_REVERT,
    PASSWORD_ALPHABET,
    PASSWORD_LENGTH,
    REGISTRAR_STATUSES,
    REGISTRAR_TRANSITIONS,
    REVERT_GRADUATION_REFUSED,
    STATUS_REASON_REQUIRED,
    TRANSITION_REFUSED,
    USERNAME_TAKEN,
    EnrolmentResult,
)
from enrollment.services.learners.enrolment import application_enroll, applications_enroll
from enrollment.services.learners.logins import (
    learner_login_create,
    learner_password_reset,
    new_one_time_password,
)
from enrollment.services.learners.personal import LEARNER_EDITABLE, learner_clean, learner_update
from enrollment.services.learners.status import (
    enrollment_change_status,
    enrollment_dismiss_for_results,
    enrollment_graduate,
    enrollment_status_revert,
    enrollment_update,
)

__all__ = [
    "ALREADY_ENROLLED", "DATE_IN_FUTURE", "DECISION_DATE_REQUIRED", "DECISION_REQUIRED",
    "DEFAULT_PROGRAM_MONTHS", "DISMISSED_ONLY_BY_STANDING", "EFFECTIVE_BEFORE_LAST",
    "END_BEFORE_START", "EnrolmentResult", "GRADUATED_ONLY_BY_DEGREES", "GRADUATION_REASON",
    "LEARNER_EDITABLE", "NATIONAL_ID_REQUIRED", "NATIONAL_ID_TAKEN", "NOTHING_TO_REVERT",
    "NOT_ADMITTED", "NO_LOGIN", "PASSWORD_ALPHABET", "PASSWORD_LENGTH", "REGISTRAR_STATUSES",
    "REGISTRAR_TRANSITIONS", "REVERT_GRADUATION_REFUSED", "STATUS_REASON_REQUIRED",
    "TRANSITION_REFUSED", "USERNAME_TAKEN", "application_enroll",
    "applications_enroll", "enrollment_change_status", "enrollment_dismiss_for_results",
    "enrollment_graduate", "enrollment_status_revert", "enrollment_update", "learner_clean",
    "learner_login_create", "learner_password_reset", "learner_update",
    "new_one_time_password",
]
