"""Teaching assignments: who teaches a section."""

from __future__ import annotations

from django.db import transaction

from staff.models import EmploymentStatus, StaffMember
from training.models import Section, TeachingAssignment, TeachingRole
from training.services import timetable
from training.services.common import error, integrity_as_validation
from training.services.sections.common import (
    ALREADY_TEACHES,
    MAIN_TAKEN,
    NOT_A_TEACHER,
    TEACHER_NOT_ACTIVE,
)


@transaction.atomic
def teaching_assign(*, section: Section, staff: StaffMember, role: str = TeachingRole.MAIN,
                    hours: int | None = None, by=None) -> TeachingAssignment:
    section = Section.objects.select_for_update().get(pk=section.pk)
    staff = StaffMember.objects.get(pk=staff.pk)
    if not staff.is_teacher:
        raise error(NOT_A_TEACHER, code="not_a_teacher", field="staff", staff=staff.full_name)
    if staff.employment_status != EmploymentStatus.ACTIVE:
        raise error(TEACHER_NOT_ACTIVE, code="teacher_not_active", field="staff",
                    staff=staff.full_name,
                    status=EmploymentStatus(staff.employment_status).label)
    if section.assignments.filter(staff=staff).exists():
        raise error(ALREADY_TEACHES, code="already_teaches", field="staff",
                    staff=staff.full_name)
    if role == TeachingRole.MAIN:
        main = section.assignments.filter(role=TeachingRole.MAIN).select_related("staff").first()
        if main is not None:
            raise error(MAIN_TAKEN, code="main_taken", field="role",
                        staff=main.staff.full_name)
    assignment = TeachingAssignment(section=section, staff=staff, role=role, hours=hours,
                                    assigned_by=by)
    assignment.full_clean(validate_unique=False, validate_constraints=False)
    with integrity_as_validation({
        "assignment_one_main_teacher": error(MAIN_TAKEN, code="main_taken", field="role",
                                             staff="?"),
        "assignment_unique": error(ALREADY_TEACHES, code="already_teaches", field="staff",
                                   staff=staff.full_name),
    }):
        assignment.save()
    timetable.check_clashes(section_ids=[section.pk], staff_ids=[staff.pk])
    return assignment


@transaction.atomic
def teaching_unassign(*, assignment: TeachingAssignment, by=None) -> None:
    TeachingAssignment.objects.filter(pk=assignment.pk).delete()
