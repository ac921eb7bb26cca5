"""Every write use case of enrolment, one transaction each (STYLE #1).

Split by concern: `admission` (rounds, applications, decisions), `learners` (enrolment,
personal data, logins, status changes), `codes` (learner codes), `common` (validation).
"""

from enrollment.services.admission import (
    admission_round_save,
    admitted_counts,
    application_admit,
    application_reject,
    application_request_changes,
    application_respond,
    application_submit,
    application_waitlist,
    round_quota_problems,
    round_quotas_set,
)
from enrollment.services.codes import learner_code_allocate, learner_code_prefix
from enrollment.services.conduct import (
    discipline_record,
    discipline_revoke,
    hold_lift,
    hold_place,
)
from enrollment.services.imports import (
    learner_import_run,
    learner_import_start,
    learners_import,
)
from enrollment.services.learners import (
    EnrolmentResult,
    application_enroll,
    applications_enroll,
    enrollment_change_status,
    enrollment_dismiss_for_results,
    enrollment_graduate,
    enrollment_status_revert,
    enrollment_update,
    learner_clean,
    learner_login_create,
    learner_password_reset,
    learner_update,
)

__all__ = [
    "EnrolmentResult",
    "admission_round_save",
    "admitted_counts",
    "application_admit",
    "application_enroll",
    "application_reject",
    "application_request_changes",
    "application_respond",
    "application_submit",
    "application_waitlist",
    "applications_enroll",
    "discipline_record",
    "discipline_revoke",
    "enrollment_change_status",
    "enrollment_dismiss_for_results",
    "enrollment_graduate",
    "enrollment_status_revert",
    "enrollment_update",
    "hold_lift",
    "hold_place",
    "learner_clean",
    "learner_code_allocate",
    "learner_code_prefix",
    "learner_login_create",
    "learner_password_reset",
    "learner_import_run",
    "learner_import_start",
    "learner_update",
    "learners_import",
    "round_quota_problems",
    "round_quotas_set",
]
