"""Demo degrees for `manage.py seed_demo`: one intermediate accounting class admitted two years
before the current school year has finished; its results were imported from the previous
system (written straight to the result tables, as an import of past results would be). The
registrar reviews the class, records the graduation decision and issues the diplomas; one
diploma is then replaced (a misspelt name corrected) and one revoked, one holder asked
online for a certified copy which is ready, and one asked for a transcript copy.

Every condition of §4.1 is decided from records: most learners hold both condition
certificates and the two certificates the accounting version requires; one lacks the
defence-security certificate, one the IT certificate; one is under a prosecution hold; one
finishing early applied for the review from the portal, another finishing late did not; one
excellent learner had a warning (cảnh cáo) and is lowered to very good without an adjustment.

Idempotent: nothing is done when the demo decision exists.
"""

from __future__ import annotations

import random
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from degrees.models import ApplicationTiming, GraduationDecision
from degrees.services.applications import graduation_application_submit
from degrees.services.decisions import decision_record
from degrees.services.register import (
    certified_copy_issue,
    decision_issue_all,
    diploma_replace,
    diploma_revoke,
)
from degrees.services.requests import copy_request_ready, copy_request_submit
from degrees.services.review import review_adjust, review_run
from enrollment.models import (
    DisciplineLevel,
    Enrollment,
    EnrollmentStatus,
    EnrollmentStatusChange,
    HoldKind,
    Learner,
)
from enrollment.models import StatusSource as Source
from enrollment.services import (
    discipline_record,
    hold_place,
    learner_login_create,
)
from grading.models import ModuleResult, TermSummary
from training.demo import school_year_ensure
from training.models import (
    CertificateKind,
    ClassMembership,
    ClassStatus,
    EnrollmentProgram,
    HomeroomClass,
    Program,
    Semester,
)
from training.services.certificates import certificate_record
from vetschool.demo import demo_user
from vetschool.reference.models import EthnicGroup, ProvincialUnit

OCCUPATION = "5340302"  # Kế toán doanh nghiệp (intermediate)
DECISION_NUMBER = "{year}/QĐ-CĐSH-TN"
NAMES = [
    ("Nguyễn Thị Hương", "female"), ("Trần Minh Quân", "male"), ("Lê Thu Trang", "female"),
    ("Phạm Đức Anh", "male"), ("Hoàng Thị Mai", "female"), ("Vũ Văn Nam", "male"),
    ("Đặng Ngọc Linh", "female"), ("Bùi Thế Vinh", "male"), ("Đỗ Thị Yến", "female"),
    ("Ngô Quang Huy", "male"),
]
# GPA_4 of each learner; the last one failed a module and stays below the minimum.
GPAS = ["3.62", "3.35", "3.05", "2.88", "2.71", "2.54", "2.40", "3.78", "2.15", "1.85"]
# The cohort that graduated a year earlier: plain records, so that its 6- and 12-month
# employment checkpoints have opened whenever the demo is seeded (quality's tracking demo).
EARLIER_NAMES = [
    ("Lương Thị Thảo", "female"), ("Cao Văn Lực", "male"), ("Trịnh Thu Hà", "female"),
    ("Mai Đình Khôi", "male"), ("Phan Thị Ngân", "female"), ("Tạ Quang Dũng", "male"),
    ("Hà Thị Lan", "female"), ("Kiều Minh Tuấn", "male"), ("Dương Thị Hoa", "female"),
    ("La Văn Sơn", "male"),
]


def _start_year(today: date) -> int:
    return today.year if today.month >= 9 else today.year - 1


def seed() -> None:
    today = timezone.localdate()
    start = _start_year(today)
    program = (Program.objects.filter(occupation__code=OCCUPATION, is_locked=True)
               .order_by("effective_year", "revision").first())
    if program is None:
        return
    _earlier_cohort(program, start - 1)
    _this_years_cohort(program, start)
    _graduate_logins(start)


def _graduate_logins(start: int) -> None:
    """`graduate` and `graduate2` (vetschool.demo.DEMO_USERS): two holders of a valid
    diploma of this year's decision, each with their own diploma, copy and results, so that
    anyone can check that one graduate cannot see the other's (the `learner` logins are
    still studying). Only users are linked. Idempotent: a login already linked stays so."""
    from degrees.models import Diploma, DiplomaStatus

    holders = (Diploma.objects
               .filter(decision_line__decision__number=DECISION_NUMBER.format(year=start),
                       status=DiplomaStatus.ISSUED,
                       enrollment__learner__user__isnull=True)
               .order_by("serial_sequence")
               .values_list("enrollment__learner_id", flat=True))
    for username in ("graduate", "graduate2"):
        user = demo_user(username)
        if Learner.objects.filter(user=user).exists():
            continue
        learner = Learner.objects.filter(pk__in=list(holders[:1])).first()
        if learner is None:
            return
        Learner.objects.filter(pk=learner.pk).update(user=user)
        type(user).objects.filter(pk=user.pk).update(full_name=learner.full_name,
                                                     email=learner.email or user.email)


def _earlier_cohort(program: Program, year: int) -> None:
    """Graduated in July of `year`: everyone with their certificates, one decision, all
    diplomas issued."""
    number = DECISION_NUMBER.format(year=year)
    if GraduationDecision.objects.filter(number=number).exists():
        return
    semester = school_year_ensure(year - 1).semesters.get(number=2)
    registrar = demo_user("registrar")
    klass = _finished_class(program, semester, admission_year=year - 2, names=EARLIER_NAMES)
    _certificates(klass, registrar, admission_year=year - 2)
    review = review_run(homeroom_class=klass, by=registrar, review_date=date(year, 7, 15))
    decision = decision_record(review=review, number=number, date_=date(year, 7, 25),
                               signer_name="TS. Vũ Quang Minh", signer_title="Hiệu trưởng",
                               by=registrar)
    decision_issue_all(decision=decision, by=registrar, issue_date=date(year, 8, 10))


def _this_years_cohort(program: Program, start: int) -> None:
    number = DECISION_NUMBER.format(year=start)
    if GraduationDecision.objects.filter(number=number).exists():
        return
    semester = (Semester.objects.filter(number=2, school_year__start_year=start - 1).first())
    if semester is None:
        return
    registrar = demo_user("registrar")
    klass = _finished_class(program, semester, admission_year=start - 2)
    _conduct_and_certificates(klass, registrar, admission_year=start - 2)
    review = review_run(homeroom_class=klass, by=registrar, review_date=date(start, 7, 15))
    late = review.lines.filter(final_eligible=False).select_related("enrollment").first()
    if late is not None:
        review_adjust(line=late, eligible=False, classification="",
                      reason="Hội đồng xác nhận: chưa đạt mô-đun Thực tập tốt nghiệp.",
                      by=registrar)
    decision = decision_record(review=review, number=number, date_=date(start, 7, 25),
                               signer_name="TS. Vũ Quang Minh", signer_title="Hiệu trưởng",
                               by=registrar)
    diplomas = decision_issue_all(decision=decision, by=registrar,
                                  issue_date=date(start, 8, 10))
    first, second = diplomas[0], diplomas[1]
    Learner.objects.filter(pk=first.enrollment.learner_id).update(
        full_name=first.holder_name + " Anh")
    diploma_replace(diploma=first, by=registrar, issue_date=date(start, 8, 20),
                    reason="Sai họ tên trên bằng (thiếu tên đệm), đã sửa theo giấy khai sinh.")
    diploma_revoke(diploma=second, by=registrar, decision_number=f"{start}/QĐ-CĐSH-TH",
                   decision_date=date(start, 8, 28),
                   reason="Phát hiện hồ sơ trúng tuyển sử dụng văn bằng giả.")
    third = diplomas[2]
    certified_copy_issue(diploma=third, requester_name=third.holder_name, by=registrar,
                         issued_on=date(start, 9, 1), note="Bản chính bị thất lạc.")
    request = copy_request_submit(kind="certified_copy", serial_number=third.serial_number,
                                  date_of_birth=third.date_of_birth, full_name=third.holder_name,
                                  email="graduate@example.com", copies=1)
    copy_request_ready(request=request, by=registrar)
    fourth = diplomas[3]
    copy_request_submit(kind="transcript_copy", serial_number=fourth.serial_number,
                        date_of_birth=fourth.date_of_birth, full_name=fourth.holder_name,
                        email="graduate2@example.com", copies=2)


# Learner index → what the records say (the GPAs above decide the rest).
NO_DEFENCE_CERTIFICATE = 6
NO_IT_CERTIFICATE = 5
PROSECUTED = 4
WARNED = 0  # 3.62, excellent by GPA: lowered to very good
APPLIED_EARLY = 7  # finishes a year early and applied from the portal
LATE_WITHOUT_APPLICATION = 8


def _class_enrollments(klass: HomeroomClass) -> list:
    return [m.enrollment for m in ClassMembership.objects.filter(homeroom_class=klass)
            .select_related("enrollment__learner").order_by("enrollment__learner__code")]


def _certificates(klass: HomeroomClass, registrar, *, admission_year: int,
                  without_defence=(), without_it=()) -> None:
    requirements = list(klass.program.requirements.all())
    issued = date(admission_year + 1, 6, 20)
    for index, enrollment in enumerate(_class_enrollments(klass)):
        kinds = [CertificateKind.PHYSICAL_EDUCATION]
        if index not in without_defence:
            kinds.append(CertificateKind.DEFENCE_SECURITY)
        for kind in kinds:
            certificate_record(enrollment=enrollment, kind=kind, issued_on=issued,
                               number=f"{kind[:2].upper()}{admission_year % 100}-{index + 1:03d}",
                               issuer="Trung tâm Giáo dục quốc phòng và an ninh Hà Nội"
                               if kind == CertificateKind.DEFENCE_SECURITY else "",
                               by=registrar)
        for requirement in requirements:
            if index in without_it and requirement.kind == "it":
                continue
            certificate_record(enrollment=enrollment, kind=CertificateKind.REQUIREMENT,
                               requirement=requirement, issued_on=issued,
                               number=f"{requirement.code}-{admission_year % 100}"
                                      f"{index + 1:04d}", by=registrar)


def _conduct_and_certificates(klass: HomeroomClass, registrar, *, admission_year: int) -> None:
    _certificates(klass, registrar, admission_year=admission_year,
                  without_defence={NO_DEFENCE_CERTIFICATE}, without_it={NO_IT_CERTIFICATE})
    enrollments = _class_enrollments(klass)
    warned = enrollments[WARNED]
    discipline_record(enrollment=warned, level=DisciplineLevel.WARNING,
                      decision_number=f"{admission_year + 1}/QĐ-CĐSH-KL",
                      decision_date=date(admission_year + 1, 3, 12),
                      reason="Sử dụng tài liệu trong giờ thi kết thúc mô-đun.", by=registrar)
    discipline_record(enrollment=enrollments[1], level=DisciplineLevel.REPRIMAND,
                      decision_number=f"{admission_year + 1}/QĐ-CĐSH-KL2",
                      decision_date=date(admission_year + 1, 4, 2),
                      reason="Nghỉ học không phép nhiều buổi.", by=registrar)
    hold_place(enrollment=enrollments[PROSECUTED], kind=HoldKind.PROSECUTION,
               reference="Thông báo 58/CSĐT", since=date(admission_year + 1, 11, 20),
               reason="Cơ quan điều tra thông báo khởi tố bị can.", by=registrar)
    early, late = enrollments[APPLIED_EARLY], enrollments[LATE_WITHOUT_APPLICATION]
    Enrollment.objects.filter(pk=early.pk).update(
        expected_end_date=date(admission_year + 3, 7, 31))
    Enrollment.objects.filter(pk=late.pk).update(
        expected_end_date=date(admission_year + 1, 7, 31))
    learner_login_create(learner=early.learner, by=registrar)
    early.learner.refresh_from_db()
    graduation_application_submit(
        enrollment=early, timing=ApplicationTiming.EARLY, by=early.learner.user,
        statement="Em đã tích lũy đủ các mô-đun sớm hơn kế hoạch và xin được xét tốt nghiệp "
                  "cùng khóa.")


def _finished_class(program: Program, semester: Semester, *, admission_year: int,
                    names=NAMES):
    code = f"TC{admission_year % 100}KTDN-TN"
    klass = HomeroomClass.objects.create(
        code=code, name=f"Kế toán doanh nghiệp — khóa {admission_year} đã tốt nghiệp",
        program=program,
        admission_year=admission_year, status=ClassStatus.FINISHED)
    rng = random.Random(808)
    kinh = EthnicGroup.objects.get(code="01")
    hanoi = ProvincialUnit.objects.get(code="01")
    start = date(admission_year, 9, 5)
    end = date(admission_year + 2, 7, 31)
    modules = list(program.modules.all())
    for index, (name, gender) in enumerate(names):
        born = date(admission_year - 18, 1 + index, 3 + index)
        century = (2 if gender == "male" else 3) if born.year >= 2000 else (
            0 if gender == "male" else 1)
        learner = Learner.objects.create(
            code=f"TN{admission_year % 100}{index + 1:04d}", full_name=name, date_of_birth=born,
            gender=gender, national_id=f"001{century}{born.year % 100:02d}{808000 + index:06d}",
            ethnic_group=kinh, province=hanoi, nationality="VN")
        enrollment = Enrollment.objects.create(
            learner=learner, occupation=program.occupation, level=program.occupation.level,
            admission_year=admission_year, start_date=start, expected_end_date=end,
            status=EnrollmentStatus.STUDYING, status_date=start)
        EnrollmentStatusChange.objects.create(
            enrollment=enrollment, to_status=EnrollmentStatus.STUDYING, effective_date=start,
            decision_number=f"{admission_year}/QĐ-CĐSH-NH", decision_date=start,
            source=Source.IMPORT)
        EnrollmentProgram.objects.create(enrollment=enrollment, program=program, since=start)
        ClassMembership.objects.create(homeroom_class=klass, enrollment=enrollment,
                                       from_date=start, reason="placement")
        gpa = Decimal(GPAS[index])
        failing = index == len(names) - 1
        results = []
        for module in modules:
            passed = not (failing and module == modules[-1])
            score_4 = min(Decimal(4), max(Decimal(2), gpa + Decimal(rng.choice(
                ["-0.3", "0", "0.2", "0.4"])))) if passed else Decimal(0)
            score_10 = (score_4 * Decimal("2.5")).quantize(Decimal("0.1"), ROUND_HALF_UP)
            letter = "A" if score_4 >= Decimal("3.7") else "B" if score_4 >= 3 else (
                "C" if score_4 >= 2 else "F")
            score_4 = {"A": 4, "B": 3, "C": 2, "F": 0}[letter]
            results.append(ModuleResult(
                enrollment=enrollment, module=module, score_10=score_10 if passed else
                Decimal("3.5"), letter=letter, score_4=Decimal(score_4), passed=passed,
                attempts=1, status="passed" if passed else "must_restudy",
                credits=module.credits, counts_in_gpa=module.counts_in_gpa))
        ModuleResult.objects.bulk_create(results)
        earned = sum(m.credits for m, r in zip(modules, results, strict=True) if r.passed)
        TermSummary.objects.create(
            enrollment=enrollment, semester=semester, semester_index=4, gpa_4=gpa,
            gpa_10=(gpa * Decimal("2.5")).quantize(Decimal("0.01")), cumulative_gpa_4=gpa,
            cumulative_gpa_10=(gpa * Decimal("2.5")).quantize(Decimal("0.01")),
            credits_earned=earned, cumulative_credits_earned=earned,
            standing="normal")
    return klass
