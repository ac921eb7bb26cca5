"""The HR office's console for staff records, competency, trainings and courseware.

Every write goes through staff.services (save_model / save_formset / actions).
"""

from staff.admin import competency, courseware, people, trainings  # noqa: F401
