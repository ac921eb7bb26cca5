"""Builders for staff tests: records are made through the services, like in production."""

from __future__ import annotations

import itertools
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

from staff import services
from staff.models import Department, TrainingCourse
from tests.files import PDF

_numbers = itertools.count(1)


def national_id(birth: date, gender: str = "male", province: str = "001") -> str:
    century = birth.year // 100 - 19
    digit = century * 2 + (1 if gender == "female" else 0)
    return f"{province}{digit}{birth.year % 100:02d}{next(_numbers):06d}"


def department(code: str = "CNTT", name: str | None = None, kind: str = "faculty"):
    existing = Department.objects.filter(code=code).first()
    if existing:
        return existing
    return services.department_save(department=Department(
        code=code, name=name or f"Khoa {code}", kind=kind))


def staff(code: str | None = None, *, dept=None, hired: date = date(2015, 9, 1),
          teacher: bool = True, manager: bool = False, user=None, gender: str = "male",
          birth: date = date(1985, 3, 15), status: str = "active", with_id: bool = True,
          **fields):
    code = code or f"T{next(_numbers):05d}"
    if "national_id" not in fields:
        fields["national_id"] = national_id(birth, gender) if with_id else ""
    member = services.staff_create(
        department=dept or department(), is_teacher=teacher, is_manager=manager,
        employment_status=status, effective_date=hired, staff_code=code,
        full_name=fields.pop("full_name", f"Nguyễn Văn {code}"),
        date_of_birth=birth, gender=gender, **fields,
    )
    if user is not None:
        member = services.staff_update(staff=member, user=user)
    return member


def move(member, when: date, *, status: str | None = None, dept=None,
         teacher: bool | None = None, manager: bool | None = None):
    return services.staff_position_change(
        staff=member, effective_date=when,
        department=dept or member.department,
        is_teacher=member.is_teacher if teacher is None else teacher,
        is_manager=member.is_manager if manager is None else manager,
        employment_status=status or member.employment_status,
    )


def course(code: str | None = None, *, kind: str = "digital_skills",
           starts: date = date(2024, 3, 1), ends: date = date(2024, 3, 31)):
    code = code or f"C-{next(_numbers)}"
    return services.course_save(course=TrainingCourse(
        code=code, title=f"Khóa {code}", provider="Tổng cục GDNN", kind=kind, hours=40,
        delivery="online", starts_on=starts, ends_on=ends))


def complete(member, training, *, on: date | None = None, number: str = "CC-1",
             certificate=None):
    participation = services.participant_register(course=training, staff=member)
    return services.participation_record_result(
        participation=participation, result="completed", completed_on=on or training.ends_on,
        certificate_number=number, certificate=certificate or pdf())


def pdf(name: str = "chung-chi.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")
