"""REST API of the staff app under /api/v1/ (registered on vetschool.api.router).

Reads are scoped by staff.selectors (a teacher sees only their own records); writes go
through staff.services. Permissions by role (staff.rules): the HR office writes, QA and
the registrar read, a teacher reads their own records and keeps their own courseware.
"""

from __future__ import annotations

from staff.api.indicators import IndicatorsViewSet
from staff.api.views import (
    CoursewareViewSet,
    DepartmentViewSet,
    ParticipationViewSet,
    StaffViewSet,
    TrainingCourseViewSet,
)
from vetschool.api import router

router.register("staff", StaffViewSet, basename="staff")
router.register("staff-departments", DepartmentViewSet, basename="staff-department")
router.register("staff-trainings", TrainingCourseViewSet, basename="staff-training")
router.register("staff-participations", ParticipationViewSet, basename="staff-participation")
router.register("staff-courseware", CoursewareViewSet, basename="staff-courseware")
router.register("staff-indicators", IndicatorsViewSet, basename="staff-indicators")
