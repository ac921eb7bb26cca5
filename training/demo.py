"""Demo training data for `manage.py seed_demo`.

Four occupations' programs with real-looking Vietnamese module tables (a college IT program
in two versions, an intermediate accounting program, an older college electrical program
without digital outcomes, an IT network program not updated for years — so that the
program indicators have something to show), the calendar of the last and the current
school year, classes for two admission years filled from the enrolment demo's learners,
and this semester's sections with teachers from the staff demo (the demo user `teacher`
teaches some of them and advises a class).

Idempotent: every row is looked up by its natural key first; generation of sections only
adds what is missing. Fast: sections and lists are generated set-based.
"""

from __future__ import annotations

import itertools
from datetime import date

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.utils import timezone

from staff.models import Department, EmploymentStatus, StaffMember
from training import selectors, services
from training.models import (
    AssessmentForm,
    AssessmentKind,
    HomeroomClass,
    ModuleKind,
    OutcomeDomain,
    Program,
    SchoolYear,
    Section,
    SectionLearner,
    SectionLearnerSource,
    Semester,
    default_check_counts,
)
from training.services.certificates import requirement_save
from training.services.programs import PlanLine
from vetschool.demo import demo_user
from vetschool.reference.models import Occupation

G, C, S, E, T = (ModuleKind.GENERAL, ModuleKind.CORE, ModuleKind.SPECIALIZED,
                 ModuleKind.ELECTIVE, ModuleKind.INTERNSHIP)

# (code, name, kind, credits, theory, practice, exam, semester, prerequisites)
COLLEGE_GENERAL = [
    ("MH01", "Giáo dục chính trị", G, 4, 41, 29, 5, 1, ""),
    ("MH02", "Pháp luật", G, 2, 18, 10, 2, 1, ""),
    ("MH03", "Giáo dục thể chất", G, 2, 5, 51, 4, 1, ""),
    ("MH04", "Giáo dục quốc phòng và an ninh", G, 4, 36, 35, 4, 2, ""),
    ("MH05", "Tin học", G, 3, 15, 58, 2, 1, ""),
    ("MH06", "Tiếng Anh", G, 5, 42, 72, 6, 2, ""),
]
IT_2_MODULES = COLLEGE_GENERAL + [
    ("MH07", "Toán rời rạc", C, 3, 30, 13, 2, 1, ""),
    ("MH08", "Cấu trúc máy tính", C, 3, 30, 13, 2, 1, ""),
    ("MĐ09", "Lập trình căn bản", C, 4, 30, 56, 4, 1, ""),
    ("MH10", "Cơ sở dữ liệu", C, 3, 30, 13, 2, 2, ""),
    ("MĐ11", "Mạng máy tính", C, 4, 30, 56, 4, 2, ""),
    ("MĐ12", "Cấu trúc dữ liệu và giải thuật", C, 4, 30, 56, 4, 2, "MĐ09"),
    ("MĐ13", "Lập trình hướng đối tượng", S, 4, 30, 56, 4, 3, "MĐ09"),
    ("MĐ14", "Hệ quản trị cơ sở dữ liệu SQL Server", S, 4, 30, 56, 4, 3, "MH10"),
    ("MĐ15", "Thiết kế web", S, 4, 30, 56, 4, 3, ""),
    ("MH16", "Phân tích và thiết kế hệ thống thông tin", S, 3, 30, 13, 2, 3, "MH10"),
    ("MĐ17", "Lập trình web PHP", S, 5, 30, 86, 4, 4, "MĐ14, MĐ15"),
    ("MĐ18", "Lập trình Java", S, 5, 30, 86, 4, 4, "MĐ13"),
    ("MĐ19", "An toàn và bảo mật thông tin", S, 3, 30, 27, 3, 4, "MĐ11"),
    ("MĐ20", "Lập trình thiết bị di động", S, 5, 30, 86, 4, 5, "MĐ18"),
    ("MĐ21", "Kiểm thử phần mềm", S, 3, 15, 42, 3, 5, ""),
    ("MH22", "Quản lý dự án phần mềm", S, 3, 30, 13, 2, 5, ""),
    ("MĐ23", "Đồ họa ứng dụng", E, 3, 15, 42, 3, 5, ""),
    ("MĐ24", "Lập trình Python", E, 3, 15, 42, 3, 5, ""),
    ("MĐ25", "Thực tập tốt nghiệp", T, 8, 0, 360, 0, 6, ""),
    ("MĐ26", "Dự án cuối khóa", T, 3, 0, 90, 0, 6, "MĐ17"),
]
# The new version: what changes from the old one.
IT_NEW_VERSION = [
    ("MĐ18", "Lập trình Java và Spring Boot", S, 5, 30, 86, 4, 4, "MĐ13"),
    ("MĐ27", "Điện toán đám mây", S, 4, 30, 56, 4, 5, "MĐ11"),
    ("MĐ28", "Trí tuệ nhân tạo ứng dụng", E, 3, 15, 42, 3, 5, "MĐ12"),
]
ACCOUNTING_MODULES = [
    ("MH01", "Giáo dục chính trị", G, 2, 15, 13, 2, 1, ""),
    ("MH02", "Pháp luật", G, 1, 9, 5, 1, 1, ""),
    ("MH03", "Giáo dục thể chất", G, 1, 4, 24, 2, 1, ""),
    ("MH04", "Giáo dục quốc phòng và an ninh", G, 2, 21, 21, 3, 2, ""),
    ("MH05", "Tin học", G, 2, 15, 29, 1, 1, ""),
    ("MH06", "Tiếng Anh", G, 4, 30, 56, 4, 2, ""),
    ("MH07", "Kinh tế vi mô", C, 3, 30, 13, 2, 1, ""),
    ("MH08", "Nguyên lý thống kê", C, 2, 20, 8, 2, 1, ""),
    ("MH09", "Lý thuyết tài chính tiền tệ", C, 2, 20, 8, 2, 2, ""),
    ("MH10", "Nguyên lý kế toán", C, 3, 30, 13, 2, 1, ""),
    ("MĐ11", "Kế toán doanh nghiệp 1", S, 4, 30, 56, 4, 2, "MH10"),
    ("MĐ12", "Kế toán doanh nghiệp 2", S, 4, 30, 56, 4, 3, "MĐ11"),
    ("MH13", "Thuế", S, 3, 30, 13, 2, 2, ""),
    ("MĐ14", "Tin học kế toán (phần mềm MISA)", S, 3, 15, 42, 3, 3, "MĐ11"),
    ("MH15", "Kế toán hành chính sự nghiệp", S, 3, 30, 13, 2, 3, ""),
    ("MĐ16", "Thực hành kế toán trên chứng từ", S, 3, 0, 87, 3, 3, "MĐ11"),
    ("MH17", "Kế toán ngân hàng", E, 2, 15, 13, 2, 3, ""),
    ("MĐ18", "Thực tập tốt nghiệp", T, 6, 0, 270, 0, 4, ""),
]
ELECTRICAL_MODULES = COLLEGE_GENERAL + [
    ("MH07", "An toàn lao động", C, 2, 20, 8, 2, 1, ""),
    ("MH08", "Mạch điện", C, 4, 45, 13, 2, 1, ""),
    ("MH09", "Vẽ kỹ thuật", C, 2, 15, 13, 2, 1, ""),
    ("MH10", "Vật liệu điện", C, 2, 20, 8, 2, 1, ""),
    ("MH11", "Khí cụ điện", C, 3, 30, 13, 2, 2, ""),
    ("MĐ12", "Điện tử cơ bản", C, 4, 30, 56, 4, 2, ""),
    ("MĐ13", "Đo lường điện", S, 3, 15, 42, 3, 2, "MH08"),
    ("MĐ14", "Máy điện", S, 5, 30, 86, 4, 3, "MH08"),
    ("MĐ15", "Trang bị điện 1", S, 5, 30, 86, 4, 3, "MH11"),
    ("MĐ16", "Cung cấp điện", S, 4, 30, 56, 4, 3, ""),
    ("MĐ17", "Kỹ thuật lắp đặt điện", S, 4, 15, 71, 4, 4, "MĐ16"),
    ("MĐ18", "PLC cơ bản", S, 4, 30, 56, 4, 4, "MĐ12"),
    ("MĐ19", "Trang bị điện 2", S, 4, 30, 56, 4, 4, "MĐ15"),
    ("MĐ20", "Điều khiển điện khí nén", S, 3, 15, 42, 3, 5, ""),
    ("MĐ21", "PLC nâng cao", S, 4, 30, 56, 4, 5, "MĐ18"),
    ("MH22", "Truyền động điện", S, 3, 30, 13, 2, 5, "MĐ14"),
    ("MĐ23", "Điện tử công suất", E, 3, 30, 27, 3, 5, "MĐ12"),
    ("MĐ24", "Thực tập tốt nghiệp", T, 8, 0, 360, 0, 6, ""),
]
NETWORK_MODULES = COLLEGE_GENERAL + [
    ("MH07", "Cấu trúc máy tính", C, 3, 30, 13, 2, 1, ""),
    ("MĐ08", "Lắp ráp và cài đặt máy tính", C, 3, 15, 42, 3, 1, ""),
    ("MĐ09", "Mạng máy tính", C, 4, 30, 56, 4, 2, ""),
    ("MĐ10", "Quản trị hệ điều hành Windows Server", S, 5, 30, 86, 4, 3, "MĐ09"),
    ("MĐ11", "Quản trị hệ điều hành Linux", S, 5, 30, 86, 4, 3, ""),
    ("MĐ12", "Thiết kế và xây dựng mạng LAN", S, 4, 30, 56, 4, 3, "MĐ09"),
    ("MĐ13", "Cấu hình thiết bị mạng Cisco", S, 5, 30, 86, 4, 4, "MĐ12"),
    ("MĐ14", "An ninh mạng", S, 4, 30, 56, 4, 4, ""),
    ("MĐ15", "Quản trị mạng không dây", S, 3, 15, 42, 3, 5, ""),
    ("MĐ16", "Dịch vụ mạng", S, 4, 30, 56, 4, 5, "MĐ10"),
    ("MĐ17", "Giám sát và khắc phục sự cố mạng", E, 3, 15, 42, 3, 5, ""),
    ("MĐ18", "Thực tập tốt nghiệp", T, 8, 0, 360, 0, 6, ""),
]

K, SK, A = OutcomeDomain.KNOWLEDGE, OutcomeDomain.SKILLS, OutcomeDomain.AUTONOMY
# (code, domain, text, digital capability)
IT_OUTCOMES = [
    ("K1", K, "Trình bày được kiến thức cơ bản về cấu trúc máy tính, mạng máy tính, cơ sở "
              "dữ liệu và kỹ thuật lập trình.", False),
    ("K2", K, "Mô tả được quy trình phân tích, thiết kế, kiểm thử và triển khai phần mềm.",
     False),
    ("S1", SK, "Lập trình được ứng dụng web và ứng dụng trên thiết bị di động.", False),
    ("S2", SK, "Khai thác, quản trị dữ liệu và bảo đảm an toàn thông tin trên môi trường số.",
     True),
    ("S3", SK, "Sử dụng được tiếng Anh chuyên ngành trong đọc tài liệu kỹ thuật.", False),
    ("A1", A, "Làm việc độc lập và làm việc nhóm; tự học, cập nhật công nghệ mới.", False),
]
IT_NEW_OUTCOMES = [
    ("S4", SK, "Triển khai và vận hành ứng dụng trên nền tảng điện toán đám mây; ứng dụng "
               "trí tuệ nhân tạo trong công việc chuyên môn.", True),
]
ACCOUNTING_OUTCOMES = [
    ("K1", K, "Trình bày được các chuẩn mực và chế độ kế toán doanh nghiệp hiện hành.", False),
    ("S1", SK, "Lập được chứng từ, ghi sổ và lập báo cáo tài chính của doanh nghiệp nhỏ và "
               "vừa.", False),
    ("S2", SK, "Sử dụng thành thạo phần mềm kế toán, hóa đơn điện tử và kê khai thuế qua "
               "mạng.", True),
    ("A1", A, "Tuân thủ đạo đức nghề nghiệp kế toán; chịu trách nhiệm về số liệu được giao.",
     False),
]
ELECTRICAL_OUTCOMES = [
    ("K1", K, "Trình bày được nguyên lý hoạt động của máy điện, khí cụ điện và hệ thống cung "
              "cấp điện.", False),
    ("S1", SK, "Lắp đặt, vận hành, bảo dưỡng hệ thống điện công nghiệp an toàn.", False),
    ("S2", SK, "Lập trình được bộ điều khiển PLC cho các dây chuyền đơn giản.", False),
    ("A1", A, "Chấp hành nghiêm quy định an toàn điện; làm việc nhóm hiệu quả.", False),
]
NETWORK_OUTCOMES = [
    ("K1", K, "Trình bày được mô hình OSI, TCP/IP và các dịch vụ mạng.", False),
    ("S1", SK, "Thiết kế, lắp đặt và quản trị hệ thống mạng doanh nghiệp; giám sát an ninh "
               "mạng bằng công cụ số.", True),
    ("A1", A, "Làm việc độc lập trong vận hành hệ thống; tuân thủ quy định bảo mật.", False),
]

# occupation, short code, years before the current school year, modules, outcomes
PROGRAMS = [
    ("6480201", "CNTT", 4, IT_2_MODULES, IT_OUTCOMES),
    ("5340302", "KTDN", 3, ACCOUNTING_MODULES, ACCOUNTING_OUTCOMES),
    ("6520227", "DCN", 6, ELECTRICAL_MODULES, ELECTRICAL_OUTCOMES),
    ("6480209", "QTM", 5, NETWORK_MODULES, NETWORK_OUTCOMES),
]
DEPARTMENT_OF = {"6480201": "CNTT", "6480209": "CNTT", "6520227": "DDT", "5340302": None}
# The demo timetable's weekly slots, tried in this order: mornings and afternoons from
# Monday (2) to Saturday (7), then evenings; rooms A2xx for lessons, B2xx for practice.
HALF_DAYS = [(day, first, last) for first, last in ((1, 5), (6, 10)) for day in range(2, 8)]
EVENINGS = [(day, 11, 14) for day in range(2, 8)]
ROOMS = 12


def current_school_year_start(today: date) -> int:
    return today.year if today.month >= 8 else today.year - 1


def seed() -> None:
    today = timezone.localdate()
    start = current_school_year_start(today)
    for year in (start - 1, start):
        school_year_ensure(year)
    programs = {code: _program(code, short, start - age, modules, outcomes)
                for code, short, age, modules, outcomes in PROGRAMS}
    it_new = _new_it_version(programs["6480201"], start)
    teacher = _demo_teacher()
    for admission_year in (start - 1, start):
        for code, program in programs.items():
            if code == "6480209":
                continue  # an IT program kept only on paper (the indicator's "not updated")
            version = it_new if code == "6480201" and admission_year == start else program
            _classes(version, admission_year, teacher)
    current = selectors.semester_current(today=today)
    for semester in _semesters_to_generate(current):
        services.semester_sections_generate(semester=semester)
    _assign_teachers(teacher, current, start)
    _restudy_group(teacher, current, it_new)
    _timetable(current)


def school_year_ensure(start: int) -> SchoolYear:
    """The school year starting in September of `start` with its three semesters (also used
    by degrees' demo for an earlier graduated cohort)."""
    year = SchoolYear.objects.filter(start_year=start).first()
    if year is None:
        year = services.school_year_create(start_year=start, starts_on=date(start, 9, 1),
                                           ends_on=date(start + 1, 8, 31))
    dates = {1: (date(start, 9, 1), date(start + 1, 1, 18)),
             2: (date(start + 1, 1, 19), date(start + 1, 6, 30)),
             3: (date(start + 1, 7, 1), date(start + 1, 8, 20))}
    existing = set(year.semesters.values_list("number", flat=True))
    for number, (starts_on, ends_on) in dates.items():
        if number not in existing:
            services.semester_save(school_year=year, number=number, starts_on=starts_on,
                                   ends_on=ends_on)
    return year


def _plan(code: str, kind: str, credits: int) -> list[PlanLine]:
    continuous, periodic = default_check_counts(credits)
    if kind == ModuleKind.INTERNSHIP:
        form = AssessmentForm.REPORT
    elif code.startswith("MĐ") or code == "MH03":
        form = AssessmentForm.PRACTICAL
    else:
        form = AssessmentForm.WRITTEN
    return [PlanLine(AssessmentKind.CONTINUOUS, continuous),
            PlanLine(AssessmentKind.PERIODIC, periodic),
            PlanLine(AssessmentKind.EXAM, 1, form, 120 if form != AssessmentForm.REPORT
                     else None)]


# Other graduation requirements of a version (REGULATIONS §4.1 c), by occupation.
REQUIREMENTS = {
    "5340302": [("TH-CB", "it", "Chứng chỉ ứng dụng công nghệ thông tin cơ bản"),
                ("NN-A2", "language", "Chứng chỉ tiếng Anh bậc 2 (A2)")],
}


def _fill(program: Program, modules, outcomes) -> None:
    for code, kind, name in REQUIREMENTS.get(program.occupation.code, []):
        if not program.requirements.filter(code=code).exists():
            requirement_save(program=program, code=code, kind=kind, name_vi=name)
    for order, (code, domain, text, digital) in enumerate(outcomes, start=1):
        if not program.outcomes.filter(code=code).exists():
            services.outcome_save(program=program, code=code, domain=domain, text_vi=text,
                                  is_digital_capability=digital, order=order)
    existing = {m.code: m for m in program.modules.all()}
    for order, row in enumerate(modules, start=len(existing) + 1):
        code, name, kind, credits, theory, practice, exam, semester, _requires = row
        services.module_save(program=program, module=existing.get(code), code=code,
                             name_vi=name, kind=kind, credits=credits, theory_hours=theory,
                             practice_hours=practice, exam_hours=exam,
                             planned_semester=semester,
                             order=existing[code].order if code in existing else order,
                             assessment_plan=_plan(code, kind, credits))
    for code, *_rest, requires in modules:
        if requires:
            module = program.modules.get(code=code)
            services.module_save(
                program=program, module=module, code=module.code, name_vi=module.name_vi,
                kind=module.kind, credits=module.credits, theory_hours=module.theory_hours,
                practice_hours=module.practice_hours, exam_hours=module.exam_hours,
                planned_semester=module.planned_semester,
                prerequisites=[c.strip() for c in requires.split(",")])


def _program(code: str, short: str, year: int, modules, outcomes) -> Program:
    program = Program.objects.filter(occupation__code=code, effective_year=year).first()
    if program is not None:
        return program
    occupation = Occupation.objects.get(code=code)
    program = services.program_create(
        occupation=occupation, effective_year=year, short_code=short,
        objectives=(f"Đào tạo người lao động trình độ {occupation.get_level_display().lower()} "
                    f"nghề {occupation.name_vi} có đạo đức, sức khỏe, năng lực thực hành "
                    "nghề nghiệp, đáp ứng yêu cầu của doanh nghiệp và thị trường lao động."))
    _fill(program, modules, outcomes)
    return services.program_activate(program=program, decision_number=f"{100 + year % 100}/"
                                     "QĐ-CĐSH", decision_date=date(year, 7, 15))


def _new_it_version(old: Program, year: int) -> Program:
    new = Program.objects.filter(occupation=old.occupation, effective_year=year).first()
    if new is not None:
        return new
    new = services.program_new_version(program=old, effective_year=year)
    _fill(new, IT_NEW_VERSION, IT_NEW_OUTCOMES)
    return services.program_activate(program=new, decision_number=f"{200 + year % 100}/"
                                     "QĐ-CĐSH", decision_date=date(year, 7, 20))


def _demo_teacher() -> StaffMember:
    """The staff record of the demo user `teacher` (the staff demo links it; if it did not
    run, a minimal record is made so that the teacher portal has something to show)."""
    user = demo_user("teacher")
    member = StaffMember.objects.filter(user=user).first()
    if member is not None:
        return member
    department = Department.objects.get_or_create(
        code="CNTT", defaults={"name": "Khoa Công nghệ thông tin", "kind": "faculty"})[0]
    return StaffMember.objects.create(
        user=user, staff_code="GV-DEMO", full_name=user.full_name or "Nguyễn Văn Hùng",
        date_of_birth=date(1984, 5, 12), gender="male", department=department,
        is_teacher=True, employment_status=EmploymentStatus.ACTIVE,
        position_since=date(2012, 9, 1))


def _teachers(department: str | None) -> list[StaffMember]:
    qs = StaffMember.objects.filter(is_teacher=True, employment_status=EmploymentStatus.ACTIVE)
    if department:
        qs = qs.filter(department__code=department)
    return list(qs.order_by("staff_code"))


def _classes(program: Program, admission_year: int, teacher: StaffMember) -> None:
    if HomeroomClass.objects.filter(program__occupation=program.occupation,
                                    admission_year=admission_year).exists():
        return
    if not services.unplaced_enrollments(program=program,
                                         admission_year=admission_year).exists():
        return
    advisors = [m for m in (_teachers(DEPARTMENT_OF[program.occupation.code])
                            or _teachers(None)) if m.pk != teacher.pk]
    advisor = (teacher if program.occupation.code == "6480201"
               and admission_year == current_school_year_start(timezone.localdate())
               else advisors[admission_year % len(advisors)] if advisors else None)
    services.classes_open(program=program, admission_year=admission_year, class_size=35,
                          on=date(admission_year, 9, 5), advisor=advisor)


def _semesters_to_generate(current: Semester | None) -> list[Semester]:
    if current is None:
        return []
    mains = list(Semester.objects.filter(number__in=(1, 2), starts_on__lte=current.starts_on)
                 .select_related("school_year").order_by("-starts_on")[:2])
    return sorted(mains, key=lambda s: s.starts_on)


def _assign_teachers(teacher: StaffMember, current: Semester | None, start: int) -> None:
    """Teachers from the program's faculty (general modules: anyone); the demo teacher takes
    three IT sections of the current semester, the newest class first."""
    if current is None:
        return
    sections = list(Section.objects.filter(semester__in=_semesters_to_generate(current),
                                           assignments__isnull=True)
                    .select_related("module__program__occupation", "semester")
                    .prefetch_related("classes").order_by("semester__starts_on", "code"))
    main = _main_of(current)
    theirs = sorted(
        (s for s in sections if s.semester == main
         and s.module.program.occupation.code == "6480201"
         and s.module.kind != ModuleKind.GENERAL),
        key=lambda s: (-max((c.admission_year for c in s.classes.all()), default=0), s.code),
    )[:3]
    pools = {key: itertools.cycle(members) for key in ("CNTT", "DDT", None)
             if (members := [m for m in _teachers(key) if m.pk != teacher.pk])}
    for section in sections:
        if section in theirs:
            staff = teacher
        else:
            occupation = section.module.program.occupation.code
            key = None if section.module.kind == ModuleKind.GENERAL else \
                DEPARTMENT_OF[occupation]
            pool = pools.get(key) or pools.get(None)
            if pool is None:
                continue
            staff = next(pool)
        services.teaching_assign(section=section, staff=staff)


def _timetable(current: Semester | None) -> None:
    """One weekly slot for every section of the demo semesters without one, for all its
    weeks, in the first half-day free for its room, its teachers and its learners — so the
    demo has no double booking (issue #14: it once put a re-study learner in two sections
    at the same time in the same room). The services check it again. An internship is
    spent at the enterprise: it gets no slot at the college."""
    if current is None:
        return
    semesters = {s.pk for s in _semesters_to_generate(current)} | {current.pk}
    sections = list(Section.objects.filter(semester__in=semesters)
                    .exclude(module__kind=ModuleKind.INTERNSHIP)
                    .select_related("module", "semester").order_by("semester__starts_on", "code")
                    .prefetch_related("assignments", "meetings", Prefetch(
                        "learners", queryset=SectionLearner.objects.filter(
                            removed_at__isnull=True).only("section_id", "enrollment_id"),
                        to_attr="active")))
    busy: set[tuple] = set()  # (semester, day, first period, "room"/"staff"/"learner", id)

    def people(section):
        return ([("staff", a.staff_id) for a in section.assignments.all()]
                + [("learner", e.enrollment_id) for e in section.active])

    for section in sections:
        for meeting in section.meetings.all():
            for key in [("room", meeting.room), *people(section)]:
                busy.add((section.semester_id, meeting.weekday, meeting.first_period, *key))
    for section in sections:
        if section.meetings.all():
            continue
        prefix = "B" if section.module.code.startswith("MĐ") else "A"
        who = people(section)
        for day, first, last in HALF_DAYS + EVENINGS:
            slot = (section.semester_id, day, first)
            if any((*slot, *key) in busy for key in who):
                continue
            room = next((f"{prefix}{201 + n}" for n in range(ROOMS)
                         if (*slot, "room", f"{prefix}{201 + n}") not in busy), None)
            if room is None:
                continue
            try:
                services.meeting_add(section=section, weekday=day, first_period=first,
                                     last_period=last, room=room)
            except ValidationError:
                continue  # a slot set by hand off the demo's grid: try the next one
            busy.update((*slot, *key) for key in [("room", room), *who])
            break


def _main_of(current: Semester) -> Semester:
    """The main semester of a day: the summer term counts with the one before it."""
    if not current.is_summer:
        return current
    return Semester.objects.get(school_year=current.school_year, number=2)


def _restudy_group(teacher: StaffMember, current: Semester | None, it_new: Program) -> None:
    """A re-study group of general law for learners of the older IT cohort, taught by the
    demo teacher: individual additions with a reason (SectionLearner source restudy)."""
    if current is None:
        return
    semester = current
    module = it_new.modules.get(code="MH02")
    section = Section.objects.filter(semester=semester, code="MH02-HOCLAI").first()
    if section is None:
        section = services.section_create(module=module, semester=semester, code="MH02-HOCLAI",
                                          capacity=30, note="Lớp học lại")
        services.teaching_assign(section=section, staff=teacher)
    if section.learners.exists():
        return
    older = HomeroomClass.objects.filter(program__occupation=it_new.occupation,
                                         admission_year=it_new.effective_year - 1).first()
    if older is None:
        return
    taking = SectionLearner.objects.filter(semester=semester, module__code="MH02",
                                           removed_at__isnull=True).values("enrollment")
    candidates = (older.memberships.filter(to_date__isnull=True,
                                           enrollment__status="studying")
                  .exclude(enrollment__in=taking).select_related("enrollment")[:2])
    for membership in candidates:
        services.section_learner_add(section=section, enrollment=membership.enrollment,
                                     source=SectionLearnerSource.RESTUDY,
                                     reason="Học lại: không đạt học kỳ 1 (điểm F)")

