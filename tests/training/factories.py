"""Factories of the training tests: a calendar, programs with real-looking modules, staff,
classes filled from enrolments."""

from __future__ import annotations

import itertools
from datetime import date

from staff.models import Department, EmploymentStatus, StaffMember
from tests.enrollment.factories import LearnerFactory, enrol, occupation
from training import services
from training.models import (
    AssessmentForm,
    AssessmentKind,
    ModuleKind,
    OutcomeDomain,
    Program,
    SchoolYear,
    Semester,
)
from training.services.programs import PlanLine

_codes = itertools.count(1)

# A compact college IT plan over 6 semesters: (code, name, kind, credits, T, P, E, semester).
IT_MODULES = [
    ("MH01", "Giáo dục chính trị", ModuleKind.GENERAL, 4, 41, 29, 5, 1),
    ("MH02", "Pháp luật", ModuleKind.GENERAL, 2, 18, 10, 2, 1),
    ("MH03", "Giáo dục thể chất", ModuleKind.GENERAL, 2, 5, 51, 4, 1),
    ("MH04", "Giáo dục quốc phòng và an ninh", ModuleKind.GENERAL, 4, 36, 35, 4, 2),
    ("MĐ07", "Lập trình căn bản", ModuleKind.CORE, 4, 30, 56, 4, 1),
    ("MH08", "Cơ sở dữ liệu", ModuleKind.CORE, 3, 30, 27, 3, 2),
    ("MĐ09", "Lập trình hướng đối tượng", ModuleKind.SPECIALIZED, 4, 30, 56, 4, 2),
    ("MĐ10", "Thiết kế web", ModuleKind.SPECIALIZED, 5, 30, 86, 4, 3),
    ("MĐ11", "Lập trình web PHP", ModuleKind.SPECIALIZED, 5, 30, 86, 4, 4),
    ("MĐ12", "Lập trình thiết bị di động", ModuleKind.SPECIALIZED, 5, 30, 86, 4, 5),
    ("MĐ13", "Trí tuệ nhân tạo cơ bản", ModuleKind.ELECTIVE, 3, 30, 27, 3, 5),
    ("MĐ14", "Điện toán đám mây", ModuleKind.SPECIALIZED, 4, 30, 56, 4, 4),
    ("MĐ15", "An toàn thông tin", ModuleKind.SPECIALIZED, 4, 30, 56, 4, 3),
    ("MĐ16", "Thực tập tốt nghiệp", ModuleKind.INTERNSHIP, 12, 0, 540, 0, 6),
]
IT_PREREQUISITES = {"MĐ09": ["MĐ07"], "MĐ11": ["MĐ10", "MH08"]}


def school_year(start_year: int = 2025, *, summer: bool = True) -> SchoolYear:
    year = SchoolYear.objects.filter(start_year=start_year).first()
    if year:
        return year
    year = services.school_year_create(start_year=start_year,
                                       starts_on=date(start_year, 9, 1),
                                       ends_on=date(start_year + 1, 8, 31))
    services.semester_save(school_year=year, number=1, starts_on=date(start_year, 9, 1),
                           ends_on=date(start_year + 1, 1, 18))
    services.semester_save(school_year=year, number=2, starts_on=date(start_year + 1, 1, 19),
                           ends_on=date(start_year + 1, 6, 30))
    if summer:
        services.semester_save(school_year=year, number=3, starts_on=date(start_year + 1, 7, 6),
                               ends_on=date(start_year + 1, 8, 15))
    return year


def semester(start_year: int = 2025, number: int = 1) -> Semester:
    school_year(start_year)
    return Semester.objects.get(school_year__start_year=start_year, number=number)


def program(occ=None, *, year: int = 2025, modules=IT_MODULES, prerequisites=IT_PREREQUISITES,
            digital: bool = True, activate: bool = True, short_code: str = "CNTT",
            exam_form: str = AssessmentForm.WRITTEN) -> Program:
    occ = occ or occupation()
    version = services.program_create(occupation=occ, effective_year=year,
                                      short_code=short_code)
    services.outcome_save(program=version, code="K1", domain=OutcomeDomain.KNOWLEDGE,
                          text_vi="Trình bày được kiến thức cơ sở của nghề.")
    services.outcome_save(program=version, code="S1", domain=OutcomeDomain.SKILLS,
                          text_vi="Sử dụng thành thạo công cụ số trong công việc chuyên môn.",
                          is_digital_capability=digital)
    for code, name, kind, credits, theory, practice, exam, planned in modules:
        services.module_save(
            program=version, code=code, name_vi=name, kind=kind, credits=credits,
            theory_hours=theory, practice_hours=practice, exam_hours=exam,
            planned_semester=planned,
            assessment_plan=[PlanLine(AssessmentKind.CONTINUOUS, 1),
                             PlanLine(AssessmentKind.PERIODIC, 2),
                             PlanLine(AssessmentKind.EXAM, 1, exam_form)],
        )
    for code, required in (prerequisites or {}).items():
        module = version.modules.get(code=code)
        services.module_save(
            program=version, module=module, code=module.code, name_vi=module.name_vi,
            kind=module.kind, credits=module.credits, theory_hours=module.theory_hours,
            practice_hours=module.practice_hours, exam_hours=module.exam_hours,
            planned_semester=module.planned_semester, prerequisites=required,
        )
    if activate:
        services.program_activate(program=version, decision_number="120/QĐ-CĐSH",
                                  decision_date=date(year, 8, 1))
    version.refresh_from_db()
    return version


def department(code: str = "CNTT") -> Department:
    return Department.objects.get_or_create(
        code=code, defaults={"name": "Khoa Công nghệ thông tin", "kind": "faculty"})[0]


def staff_member(user=None, *, teacher: bool = True, status: str = EmploymentStatus.ACTIVE,
                 name: str = "Nguyễn Văn Hùng") -> StaffMember:
    n = next(_codes)
    return StaffMember.objects.create(
        user=user, staff_code=f"GV{n:04d}", full_name=name, date_of_birth=date(1985, 4, 2),
        gender="male", department=department(), is_teacher=teacher,
        employment_status=status, position_since=date(2015, 9, 1),
    )


def enrolments(count: int, *, occ=None, year: int = 2025, names=None):
    occ = occ or occupation()
    out = []
    for i in range(count):
        learner = LearnerFactory(full_name=(names[i] if names else f"Trần Văn Học {i + 1}"))
        out.append(enrol(learner, occ, year=year))
    return out


def homeroom_class(prog: Program, *, year: int = 2025, code: str | None = None, members=0,
                   on: date | None = None, **extra):
    school_year(year)
    klass = services.class_create(program=prog, admission_year=year,
                                  code=code or f"CD{year % 100}CNTT{next(_codes)}", **extra)
    if members:
        services.class_enroll(homeroom_class=klass,
                              enrollments=enrolments(members, occ=prog.occupation, year=year),
                              on=on or date(year, 9, 5))
    return klass
