"""Every write use case of the staff app (STYLE #1), one module per concern."""

from staff.services.competency import (
    assessment_confirm,
    assessment_start,
    current_period,
    framework_activate,
    levels_from_codes,
    period_save,
    self_assessment_submit,
)
from staff.services.courseware import courseware_delete, courseware_save
from staff.services.imports import staff_import, staff_import_job_run, staff_import_start
from staff.services.people import (
    department_save,
    employment_record_delete,
    position_differs,
    staff_create,
    staff_import_save,
    staff_national_id_reveal,
    staff_position_change,
    staff_update,
)
from staff.services.trainings import (
    course_delete,
    course_register_department,
    course_results_count,
    course_save,
    participant_register,
    participation_record_result,
    participation_withdraw,
)

__all__ = [
    "assessment_confirm",
    "assessment_start",
    "course_delete",
    "course_register_department",
    "course_results_count",
    "course_save",
    "courseware_delete",
    "courseware_save",
    "current_period",
    "department_save",
    "employment_record_delete",
    "framework_activate",
    "levels_from_codes",
    "participant_register",
    "participation_record_result",
    "participation_withdraw",
    "period_save",
    "position_differs",
    "self_assessment_submit",
    "staff_create",
    "staff_import",
    "staff_import_job_run",
    "staff_import_start",
    "staff_import_save",
    "staff_national_id_reveal",
    "staff_position_change",
    "staff_update",
]
