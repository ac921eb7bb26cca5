"""Builders of the grading tests: a calendar, a program with modules and assessment plans, a
class of enrolled learners and sections taught by a teacher — written straight to the
tables (the training services have their own tests), so grading tests stay independent."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import UTC, date, datetime

from grading.services.gradebook import CellInput, gradebook_for_section
from staff.models import Department, StaffMember
from tests.enrollment.factories import LearnerFactory, enrol, occupation
from training.models import (
    AssessmentComponent,
    AssessmentForm,
    AssessmentKind,
    ClassMembership,
    EnrollmentProgram,
    HomeroomClass,
    Module,
    ModuleKind,
    Program,
    ProgramStatus,
    SchoolYear,
    Section,
    SectionClass,
    SectionLearner,
    SectionLearnerSource,
    Semester,
    TeachingAssignment,
)

_seq = itertools.count(1)
ADDED = datetime(2025, 9, 6, 8, 0, tzinfo=UTC)

# code, name, credits, theory hours, practice hours, counts in GPA, (continuous, periodic)
MODULES = [
    ("MH01", "Giáo dục chính trị", 4, 41, 29, True, (2, 2)),
    ("MH03", "Giáo dục thể chất", 2, 5, 51, False, (1, 1)),
    ("MĐ07", "Lập trình căn bản", 4, 30, 56, True, (1, 2)),
    ("MH08", "Cơ sở dữ liệu", 3, 30, 27, True, (1, 1)),
    ("MĐ09", "Lập trình hướng đối tượng", 4, 30, 56, True, (1, 2)),
]

NAMES = ["Nguyễn Thị Ánh", "Trần Văn Bình", "Lê Hoàng Cường", "Phạm Thu Dung", "Võ Minh Đức",
         "Đặng Thị Giang", "Bùi Quốc Huy", "Hồ Ngọc Khánh", "Đỗ Thanh Lâm", "Ngô Bảo Ngọc"]


def school_year(start_year: int = 2025) -> SchoolYear:
    year, _ = SchoolYear.objects.get_or_create(
        start_year=start_year,
        defaults={"starts_on": date(start_year, 9, 1), "ends_on": date(start_year + 1, 8, 31)})
    for number, start, end in ((1, date(start_year, 9, 1), date(start_year + 1, 1, 18)),
                               (2, date(start_year + 1, 1, 19), date(start_year + 1, 6, 30)),
                               (3, date(start_year + 1, 7, 6), date(start_year + 1, 8, 15))):
        Semester.objects.get_or_create(school_year=year, number=number,
                                       defaults={"starts_on": start, "ends_on": end})
    return year


def semester(start_year: int = 2025, number: int = 1) -> Semester:
    school_year(start_year)
    return Semester.objects.get(school_year__start_year=start_year, number=number)


def program(occ=None, *, modules=MODULES, duration_months: int = 36) -> Program:
    occ = occ or occupation()
    version = Program.objects.create(
        occupation=occ, effective_year=2025, revision=next(_seq), name_vi=occ.name_vi,
        short_code="CNTT", duration_months=duration_months, total_credits=60,
        status=ProgramStatus.ACTIVE)
    for order, (code, name, credits, theory, practice, counts, (tx, dk)) in enumerate(modules):
        module = Module.objects.create(
            program=version, code=code, name_vi=name, kind=ModuleKind.CORE, credits=credits,
            theory_hours=theory, practice_hours=practice, exam_hours=4, planned_semester=1,
            counts_in_gpa=counts, order=order)
        if tx:
            AssessmentComponent.objects.create(module=module, kind=AssessmentKind.CONTINUOUS,
                                               count=tx)
        if dk:
            AssessmentComponent.objects.create(module=module, kind=AssessmentKind.PERIODIC,
                                               count=dk)
        AssessmentComponent.objects.create(module=module, kind=AssessmentKind.EXAM, count=1,
                                           form=AssessmentForm.WRITTEN)
    return version


def staff_for(user, name: str = "Nguyễn Văn Hùng") -> StaffMember:
    existing = StaffMember.objects.filter(user=user).first()
    if existing:
        return existing
    department, _ = Department.objects.get_or_create(
        code="CNTT", defaults={"name": "Khoa Công nghệ thông tin", "kind": "faculty"})
    return StaffMember.objects.create(
        user=user, staff_code=f"GV{next(_seq):04d}", full_name=name,
        date_of_birth=date(1985, 4, 2), gender="male", department=department, is_teacher=True,
        employment_status="active", position_since=date(2015, 9, 1))


@dataclass
class World:
    program: Program
    homeroom_class: HomeroomClass
    enrollments: list

    def module(self, code: str) -> Module:
        return self.program.modules.get(code=code)


def world(size: int = 4, *, occ=None, names=None, modules=MODULES, year: int = 2025,
          users=None) -> World:
    """A program, a class of `size` enrolled learners (the first ones linked to `users`)."""
    occ = occ or occupation()
    prog = program(occ, modules=modules)
    school_year(year)
    klass = HomeroomClass.objects.create(code=f"CD{year % 100}TH{next(_seq)}", program=prog,
                                         admission_year=year,
                                         first_semester=semester(year, 1))
    enrollments = []
    names = names or NAMES
    for i in range(size):
        learner = LearnerFactory(full_name=names[i % len(names)] + ("" if i < len(names)
                                                                      else f" {i}"))
        if users and i < len(users):
            learner.user = users[i]
            learner.save(update_fields=["user"])
        enrollment = enrol(learner, occ, year=year)
        EnrollmentProgram.objects.create(enrollment=enrollment, program=prog,
                                         since=date(year, 9, 5))
        ClassMembership.objects.create(homeroom_class=klass, enrollment=enrollment,
                                       from_date=date(year, 9, 5), reason="placement")
        enrollments.append(enrollment)
    return World(prog, klass, enrollments)


def section(w: World, module_code: str, *, sem: Semester | None = None, teacher=None,
            enrollments=None, source=SectionLearnerSource.CLASS, code: str | None = None):
    sem = sem or semester()
    module = w.module(module_code)
    section = Section.objects.create(module=module, semester=sem,
                                     code=code or f"{module.code}-{next(_seq)}")
    if source == SectionLearnerSource.CLASS:
        SectionClass.objects.create(section=section, homeroom_class=w.homeroom_class)
    for enrollment in (w.enrollments if enrollments is None else enrollments):
        SectionLearner.objects.create(
            section=section, enrollment=enrollment, module=module, semester=sem, source=source,
            reason="" if source == SectionLearnerSource.CLASS else "Học lại", added_at=ADDED)
    if teacher is not None:
        TeachingAssignment.objects.create(section=section, staff=staff_for(teacher))
    gradebook_for_section(section=section)
    return section


def cells(section: Section, column: str, values) -> list[CellInput]:
    """Inputs for one column, values in the grid's row order (by given name)."""
    from grading.sheet import load_sheet

    sheet = load_sheet(section.gradebook)
    return [CellInput(row.id, column, value) for row, value in zip(sheet.rows, values,
                                                                  strict=False)]


def grid_rows(section: Section):
    from grading.sheet import load_sheet

    return load_sheet(section.gradebook).rows
