"""The data every access-control test reads: two of each scope (learners A and B, teachers
A and B, each with their own section, gradebook, diploma, training certificate and
courseware), the staff personas, an application and a print job — built once per module."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model

from degrees.models import Diploma, GraduationDecision, GraduationReview
from tests.degrees.factories import finished_class, issued
from tests.enrollment.factories import application, occupation, open_round
from tests.factories import UserFactory
from tests.grading.factories import section
from tests.staff import helpers as staff_helpers
from vetschool.accounts import roles

User = get_user_model()

ANONYMOUS = "anonymous"
LEARNER = "learner"
TEACHER = "teacher"
QA = "qa"
HR = "hr"
REGISTRAR = "registrar"
SUPERUSER = "superuser"
ONLY_B_LEARNER = "Phan Văn Cảnh"
ROLES = (ANONYMOUS, LEARNER, TEACHER, QA, HR, REGISTRAR, SUPERUSER)


def _persona(username: str, role: str | None, **extra):
    user = UserFactory(username=username, roles=[role] if role else [], **extra)
    if role:
        user.is_staff = roles.ROLES[role].staff
        user.save()
    return user


@dataclass
class World:
    users: dict
    learner_b: object
    teacher_b: object
    class_a: object
    enrollment_a: object
    enrollment_b: object
    enrollment_c: object
    section_a: object
    section_b: object
    diploma_a: Diploma
    diploma_b: Diploma
    decision: GraduationDecision
    review: GraduationReview
    staff_a: object
    staff_b: object
    participation_a: object
    participation_b: object
    courseware_a: object
    courseware_b: object
    application: object
    round: object
    print_job: object
    batch: object
    enterprise: object = None
    agreement: object = None
    posting: object = None

    def user(self, role: str):
        return self.users.get(role)


def build() -> World:
    users = {
        LEARNER: _persona("learner1", roles.LEARNER, full_name="Trần Thị Ánh Dương"),
        TEACHER: _persona("teacher1", roles.TEACHER, full_name="Nguyễn Văn Hùng"),
        QA: _persona("qa1", roles.QA_OFFICER, full_name="Lê Minh Châu"),
        HR: _persona("hr1", roles.HR_OFFICER, full_name="Đỗ Thị Hồng Nhung"),
        REGISTRAR: _persona("registrar1", roles.REGISTRAR, full_name="Phạm Thị Thu Hà"),
        SUPERUSER: UserFactory(username="root1", is_staff=True, is_superuser=True),
    }
    learner_b = _persona("learner2", roles.LEARNER, full_name="Vũ Đức Thắng")
    teacher_b = _persona("teacher2", roles.TEACHER, full_name="Hoàng Thị Lan")
    # Learner C is only on teacher B's section: a name teacher A must never see.
    w = finished_class(3, users=[users[LEARNER], learner_b],
                       names=["Trần Thị Ánh Dương", "Vũ Đức Thắng", ONLY_B_LEARNER])
    enrollment_a, enrollment_b, enrollment_c = w.enrollments
    staff_a = staff_helpers.staff("GVA01", user=users[TEACHER], full_name="Nguyễn Văn Hùng")
    staff_b = staff_helpers.staff("GVB02", user=teacher_b, full_name="Hoàng Thị Lan")
    section_a = section(w, "MH01", teacher=users[TEACHER], code="SEC-A",
                        enrollments=[enrollment_a, enrollment_b], source="elective")
    section_b = section(w, "MH08", teacher=teacher_b, code="SEC-B",
                        enrollments=[enrollment_b, enrollment_c], source="elective")
    decision, diplomas = issued(w, users[REGISTRAR])
    by_learner = {d.enrollment.learner.user_id: d for d in
                  Diploma.objects.select_related("enrollment__learner")}
    course = staff_helpers.course("C-SEC")
    participation_a = staff_helpers.complete(staff_a, course, number="CC-A")
    participation_b = staff_helpers.complete(staff_b, course, number="CC-B")
    from staff.models import Courseware
    from staff.services.courseware import courseware_save

    courseware_a = courseware_save(item=Courseware(
        author=staff_a, title="Bài giảng A", module_name="Chính trị", kind="e_lecture",
        status="draft"), file=staff_helpers.pdf("a.pdf"))
    courseware_b = courseware_save(item=Courseware(
        author=staff_b, title="Bài giảng B", module_name="CSDL", kind="e_lecture",
        status="draft"), file=staff_helpers.pdf("b.pdf"))
    from django.core.files.base import ContentFile

    from degrees.models import DiplomaPrintJob
    from grading.models import TranscriptBatch

    print_job = DiplomaPrintJob(decision=decision, status="done", total=2, done=2,
                                created_by=users[REGISTRAR])
    print_job.file.save("bang.pdf", ContentFile(b"%PDF-1.4 diplomas of A and B"), save=True)
    batch = TranscriptBatch(homeroom_class=w.homeroom_class, status="done", total=2, done=2,
                            created_by=users[REGISTRAR],
                            enrollment_ids=[enrollment_a.pk, enrollment_b.pk])
    batch.file.save("bang-diem.zip", ContentFile(b"PK transcripts"), save=True)
    round_ = open_round(is_published=True, quotas={occupation(): 50})
    app = application(round_, [occupation()], full_name="Đinh Thị Hoa")
    from tests.enterprises import helpers as partners

    partner = partners.enterprise()
    return World(
        users=users, learner_b=learner_b, teacher_b=teacher_b, class_a=w.homeroom_class,
        enrollment_a=enrollment_a, enrollment_b=enrollment_b,
        enrollment_c=enrollment_c, section_a=section_a,
        section_b=section_b, diploma_a=by_learner[users[LEARNER].pk],
        diploma_b=by_learner[learner_b.pk], decision=decision, review=decision.review,
        staff_a=staff_a, staff_b=staff_b, participation_a=participation_a,
        participation_b=participation_b, courseware_a=courseware_a,
        courseware_b=courseware_b, application=app, round=round_, print_job=print_job,
        batch=batch, enterprise=partner, agreement=partners.agreement(partner),
        posting=partners.posting(partner, by=users[REGISTRAR]))


SCHOOL_DAY = date(2025, 10, 6)
