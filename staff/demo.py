"""Demo staff: ~60 people in 5 departments, trainings, courseware and assessments.

Deterministic (a seeded random generator) and idempotent: every row is found by its
natural key before it is created, so seed_demo can run again. The mix keeps both 2222
indicators strictly between 0 % and 100 %, for today and for past year ends.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from staff import services
from staff.models import (
    AssessmentPeriod,
    AssessmentStatus,
    CompetencyAssessment,
    CompetencyFramework,
    Courseware,
    Department,
    EmploymentRecord,
    EmploymentStatus,
    Participation,
    ParticipationResult,
    StaffMember,
    TrainingCourse,
)
from vetschool.demo import demo_user

DEPARTMENTS = [
    ("CK", "Khoa Cơ khí", "faculty"),
    ("DDT", "Khoa Điện – Điện tử", "faculty"),
    ("CNTT", "Khoa Công nghệ thông tin", "faculty"),
    ("PDT", "Phòng Đào tạo", "office"),
    ("TCHC", "Phòng Tổ chức – Hành chính", "office"),
]
# (department, how many people, how many of them are (also) managers, teachers among
# the rest: faculties are all teachers, offices have none except the training office head)
SIZES = {"CK": 15, "DDT": 15, "CNTT": 14, "PDT": 8, "TCHC": 8}

COURSES = [
    ("DS-2022-01", "Ứng dụng công nghệ thông tin trong dạy học trực tuyến",
     "Tổng cục Giáo dục nghề nghiệp", "digital_skills", "40", "online",
     date(2022, 3, 7), date(2022, 4, 15)),
    ("DS-2023-01", "Kỹ năng số cho nhà giáo giáo dục nghề nghiệp",
     "Trường Đại học Sư phạm Kỹ thuật Nam Định", "digital_skills", "60", "blended",
     date(2023, 6, 5), date(2023, 7, 28)),
    ("CW-2023-01", "Thiết kế bài giảng điện tử theo chuẩn e-learning",
     "Viện Khoa học Giáo dục nghề nghiệp", "courseware", "45", "offline",
     date(2023, 10, 2), date(2023, 11, 10)),
    ("DS-2024-01", "Chuyển đổi số trong quản lý đào tạo", "Trường CĐ KTCN Sông Hồng",
     "digital_skills", "24", "offline", date(2024, 4, 8), date(2024, 4, 12)),
    ("OT-2024-01", "An toàn lao động trong xưởng thực hành", "Trường CĐ KTCN Sông Hồng",
     "other", "16", "offline", date(2024, 8, 12), date(2024, 8, 13)),
    ("CW-2025-01", "Xây dựng học liệu số và bài mô phỏng thực hành",
     "Trường Đại học Sư phạm Kỹ thuật TP.HCM", "courseware", "60", "blended",
     date(2025, 3, 3), date(2025, 5, 9)),
    ("DS-2025-02", "Dạy học kết hợp trên hệ thống quản lý học tập (LMS)",
     "Tổng cục Giáo dục nghề nghiệp", "digital_skills", "32", "online",
     date(2025, 9, 8), date(2025, 10, 17)),
    ("CW-2026-01", "Phát triển học liệu thực tế ảo và thực tế tăng cường",
     "Viện Khoa học Giáo dục nghề nghiệp", "courseware", "40", "blended",
     date(2026, 10, 5), date(2026, 12, 18)),
]
# Chance that an eligible person took part, per course kind.
TAKE_PART = {"digital_skills": 0.36, "courseware": 0.3, "other": 0.25}

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng",
          "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý"]
MIDDLE_M = ["Văn", "Đức", "Minh", "Quang", "Hữu", "Thành", "Công", "Xuân"]
MIDDLE_F = ["Thị", "Thu", "Ngọc", "Thanh", "Minh", "Hồng", "Kim", "Phương"]
GIVEN_M = ["Hùng", "Dũng", "Tuấn", "Khánh", "Long", "Sơn", "Thắng", "Trung", "Hải", "Phong",
           "Quân", "Tùng", "Bình", "Nam", "Việt", "Cường"]
GIVEN_F = ["Lan", "Hương", "Mai", "Hà", "Linh", "Trang", "Hạnh", "Nga", "Yến", "Thảo",
           "Dung", "Loan", "Vân", "Hoa", "Huyền", "Oanh"]
PROVINCES = ["001", "022", "024", "026", "027", "030", "031", "033", "034", "035", "036",
             "037", "038", "040", "042"]
MAJORS = {"CK": "Kỹ thuật cơ khí", "DDT": "Kỹ thuật điện", "CNTT": "Công nghệ thông tin",
          "PDT": "Quản lý giáo dục", "TCHC": "Quản trị nhân lực"}

TEACHER_NAME = "Nguyễn Văn Hùng"  # the demo user "teacher"
HR_NAME = "Đỗ Thị Hồng Nhung"  # the demo user "hr"


@dataclass
class Person:
    code: str
    name: str
    gender: str
    birth: date
    department: str
    is_teacher: bool
    is_manager: bool
    hired: date
    left: date | None = None
    on_leave: date | None = None


def seed() -> None:
    rng = random.Random(2222)  # noqa: S311 - demo data, not security
    departments = _departments()
    people = _people(rng)
    staff = {p.code: _staff(p, departments) for p in people}
    courses = _courses()
    _participations(rng, people, staff, courses)
    _link_demo_users(people, staff)
    _courseware(rng, people, staff)
    _assessments(rng, people, staff)


def _departments() -> dict[str, Department]:
    out = {}
    for code, name, kind in DEPARTMENTS:
        department = Department.objects.filter(code=code).first() or Department(code=code)
        department.name, department.kind, department.is_active = name, kind, True
        out[code] = services.department_save(department=department)
    return out


def _people(rng: random.Random) -> list[Person]:
    people = []
    n = 0
    used_names = set()
    for dept, size in SIZES.items():
        faculty = dept in ("CK", "DDT", "CNTT")
        for i in range(size):
            n += 1
            female = rng.random() < (0.35 if faculty else 0.6)
            name = _name(rng, female, used_names)
            birth = date(rng.randint(1965, 1996), rng.randint(1, 12), rng.randint(1, 28))
            hired = date(max(birth.year + 23, rng.randint(2004, 2021)), rng.choice([2, 8, 9]), 1)
            is_manager = i < 2 or (faculty and i == 2)
            is_teacher = faculty or (dept == "PDT" and i == 0)
            people.append(Person(f"CB{n:04d}", name, "female" if female else "male", birth,
                                 dept, is_teacher, is_manager, hired))
    # The demo users' own records.
    people[30] = Person(people[30].code, TEACHER_NAME, "male", date(1984, 5, 12), "CNTT", True,
                        False, date(2012, 9, 1))
    people[52] = Person(people[52].code, HR_NAME, "female", date(1980, 11, 3), "TCHC", False,
                        True, date(2008, 2, 1))
    # Some leave, some are on leave, some are new: the as-of date matters.
    people[5].left = date(2023, 8, 31)
    people[18].left = date(2025, 6, 30)
    people[40].left = date(2026, 7, 31)
    people[12].on_leave = date(2025, 11, 1)
    people[25].on_leave = date(2026, 3, 1)
    people[9].hired = date(2026, 2, 1)
    people[35].hired = date(2025, 9, 1)
    return people


def _name(rng, female, used):
    while True:
        name = " ".join([rng.choice(FAMILY), rng.choice(MIDDLE_F if female else MIDDLE_M),
                         rng.choice(GIVEN_F if female else GIVEN_M)])
        if name not in used and name not in (TEACHER_NAME, HR_NAME):
            used.add(name)
            return name


def _national_id(person: Person, index: int) -> str:
    century = (person.birth.year // 100) - 19
    digit = century * 2 + (1 if person.gender == "female" else 0)
    province = PROVINCES[index % len(PROVINCES)]
    return f"{province}{digit}{person.birth.year % 100:02d}{(index * 7919) % 1000000:06d}"


def _staff(person: Person, departments) -> StaffMember:
    staff = StaffMember.objects.filter(staff_code=person.code).first()
    if staff is None:
        index = int(person.code[2:])
        staff = services.staff_create(
            department=departments[person.department], is_teacher=person.is_teacher,
            is_manager=person.is_manager, employment_status=EmploymentStatus.ACTIVE,
            effective_date=person.hired, decision_number=f"{index:03d}/QĐ-CĐSH",
            staff_code=person.code, full_name=person.name,
            national_id=_national_id(person, index), date_of_birth=person.birth,
            gender=person.gender,
            email=f"{person.code.lower()}@cdsonghong.edu.vn",
            highest_qualification="master" if index % 3 else "university",
            qualification_major=MAJORS[person.department],
            pedagogical_certificate_type="vet_college" if person.is_teacher else "",
            pedagogical_certificate_number=f"NVSP-{index:04d}" if person.is_teacher else "",
            pedagogical_certificate_date=(date(max(person.hired.year - 1, 2004), 6, 20)
                                          if person.is_teacher else None),
            vocational_certificate_type="practice_college" if person.is_teacher else "",
            vocational_certificate_occupation=MAJORS[person.department] if person.is_teacher
            else "",
        )
    today = timezone.localdate()
    for when, status in ((person.on_leave, EmploymentStatus.ON_LEAVE),
                         (person.left, EmploymentStatus.LEFT)):
        if when and when <= today and not EmploymentRecord.objects.filter(
                staff=staff, effective_date=when).exists():
            staff = services.staff_position_change(
                staff=staff, effective_date=when, department=staff.department,
                is_teacher=staff.is_teacher, is_manager=staff.is_manager,
                employment_status=status).staff
    return staff


def _courses() -> dict[str, TrainingCourse]:
    out = {}
    for code, title, provider, kind, hours, delivery, start, end in COURSES:
        course = TrainingCourse.objects.filter(code=code).first() or TrainingCourse(code=code)
        course.title, course.provider, course.kind = title, provider, kind
        course.hours, course.delivery = Decimal(hours), delivery
        course.starts_on, course.ends_on = start, end
        course.location = "" if delivery == "online" else "Cơ sở 1, số 18 Nguyễn Trãi, Hà Nội"
        out[code] = services.course_save(course=course)
    return out


def _employed_on(person: Person, day: date) -> bool:
    return person.hired <= day and (person.left is None or person.left > day)


def _participations(rng, people, staff, courses) -> None:
    today = timezone.localdate()
    plan = {  # the demo teacher's own trainings
        TEACHER_NAME: {"DS-2023-01": "completed", "CW-2023-01": "completed",
                       "CW-2026-01": "registered", "OT-2024-01": "failed"},
    }
    for course in courses.values():
        for person in people:
            if not (person.is_teacher or person.is_manager):
                continue
            if course.kind == "courseware" and not person.is_teacher:
                continue
            if not _employed_on(person, course.starts_on):
                continue
            planned = plan.get(person.name, {})
            if person.name in plan:
                result = planned.get(course.code)
                if result is None:
                    continue
            else:
                if rng.random() >= TAKE_PART[course.kind]:
                    continue
                if course.ends_on > today:
                    result = "registered"
                else:
                    result = "completed" if rng.random() < 0.86 else "failed"
            _participation(staff[person.code], course, result)


def _participation(member, course, result) -> None:
    participation = Participation.objects.filter(course=course, staff=member).first()
    if participation is None:
        participation = services.participant_register(course=course, staff=member)
    if participation.result == result or result == ParticipationResult.REGISTERED:
        return
    completed = result == ParticipationResult.COMPLETED
    number = f"{course.code}/{member.staff_code}" if completed else ""
    services.participation_record_result(
        participation=participation, result=result,
        completed_on=course.ends_on if completed else None,
        certificate=certificate_pdf(course, member, number) if completed else None,
        certificate_number=number,
    )


def certificate_pdf(course, member, number: str) -> ContentFile:
    """A one-page PDF standing for the scanned certificate (the evidence of a completion)."""
    text = f"Certificate {number} - {course.code} - {member.staff_code} - {course.ends_on:%d/%m/%Y}"
    text = text.replace("\\", "").replace("(", "").replace(")", "")
    stream = f"BT /F1 14 Tf 60 760 Td ({text}) Tj ET".encode("ascii", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number_, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number_ + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return ContentFile(bytes(out), name="certificate.pdf")


def _link_demo_users(people, staff) -> None:
    for name, username in ((TEACHER_NAME, "teacher"), (HR_NAME, "hr")):
        person = next(p for p in people if p.name == name)
        member = staff[person.code]
        user = demo_user(username)
        if member.user_id != user.pk:
            StaffMember.objects.filter(user=user).exclude(pk=member.pk).update(user=None)
            services.staff_update(staff=member, user=user)


COURSEWARE = [
    ("Bài giảng điện tử: Lập trình cơ sở dữ liệu", "MĐ 12", "Lập trình cơ sở dữ liệu",
     "e_lecture", "in_use"),
    ("Ngân hàng câu hỏi trắc nghiệm: Mạng máy tính", "MH 09", "Mạng máy tính",
     "question_bank", "in_use"),
    ("Video hướng dẫn cấu hình bộ định tuyến", "MĐ 15", "Quản trị mạng", "video", "draft"),
    ("Mô phỏng mạch điều khiển động cơ ba pha", "MĐ 20", "Trang bị điện", "simulation",
     "in_use"),
    ("Thực tế ảo vận hành máy tiện CNC", "MĐ 24", "Gia công trên máy tiện CNC", "vr_ar",
     "in_use"),
    ("Bài giảng điện tử: Vẽ kỹ thuật cơ khí", "MH 07", "Vẽ kỹ thuật", "e_lecture", "retired"),
    ("Video an toàn điện trong xưởng", "MH 05", "An toàn lao động", "video", "in_use"),
]


def _courseware(rng, people, staff) -> None:
    teacher = next(p for p in people if p.name == TEACHER_NAME)
    authors = {"CNTT": [teacher], "DDT": [], "CK": []}
    for person in people:
        if person.is_teacher and person.department in authors and person.left is None \
                and person is not teacher and len(authors[person.department]) < 2:
            authors[person.department].append(person)
    plan = [("CNTT", 0), ("CNTT", 0), ("CNTT", 0), ("DDT", 0), ("CK", 0), ("CK", 1),
            ("DDT", 1)]
    for (title, module_code, module_name, kind, status), (dept, which) in zip(
            COURSEWARE, plan, strict=True):
        author = staff[authors[dept][which].code]
        if Courseware.objects.filter(author=author, title=title).exists():
            continue
        item = Courseware(author=author, title=title, module_code=module_code,
                          module_name=module_name, kind=kind, status=status,
                          link=f"https://lms.cdsonghong.edu.vn/hoc-lieu/{slug(title)}")
        services.courseware_save(item=item)


def slug(text: str) -> str:
    from django.utils.text import slugify

    return slugify(text.replace("đ", "d").replace("Đ", "D"))[:60]


def _assessments(rng, people, staff) -> None:
    framework = CompetencyFramework.objects.get(is_active=True)
    today = timezone.localdate()
    assessor = demo_user("hr")
    periods = []
    for year, is_open in ((today.year - 1, False), (today.year, True)):
        period = AssessmentPeriod.objects.filter(framework=framework,
                                                 name=f"Năm {year}").first()
        if period is None:
            period = services.period_save(period=AssessmentPeriod(
                framework=framework, name=f"Năm {year}", starts_on=date(year, 1, 1),
                ends_on=date(year, 12, 31), self_assessment_open=is_open))
        periods.append(period)
    last_year, this_year = periods
    levels = list(framework.levels.order_by("rank"))
    areas = list(framework.areas.order_by("number"))
    teachers = [p for p in people if p.is_teacher and p.left is None]
    chosen_people = [p for p in teachers if p.name == TEACHER_NAME]
    chosen_people += [p for p in teachers if p.name != TEACHER_NAME][:23]
    for index, person in enumerate(chosen_people):
        member = staff[person.code]
        if CompetencyAssessment.objects.filter(staff=member, period=last_year).exists():
            continue
        base = 1 + index % 4
        chosen = {area.pk: levels[min(len(levels) - 1, max(0, base + rng.randint(-1, 1)))]
                  for area in areas}
        assessment = services.assessment_start(staff=member, period=last_year)
        services.assessment_confirm(assessment=assessment, levels=chosen, by=assessor,
                                    note="Xác nhận theo minh chứng bồi dưỡng và dự giờ.")
    # This year: the demo teacher has self-assessed; the assessor has not confirmed yet.
    teacher = StaffMember.objects.select_related("user").get(
        staff_code=next(p.code for p in people if p.name == TEACHER_NAME))
    existing = CompetencyAssessment.objects.filter(staff=teacher, period=this_year).first()
    if existing is None or existing.status == AssessmentStatus.DRAFT:
        chosen = {area.pk: levels[min(len(levels) - 1, 2 + area.number % 2)] for area in areas}
        services.self_assessment_submit(staff=teacher, period=this_year, levels=chosen,
                                        by=teacher.user)
