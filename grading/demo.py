"""Demo scores for `manage.py seed_demo` (called from training/demo.py's seed()).

The last two completed main semesters of the demo classes get scores with a realistic
spread — most learners pass, some fail the main exam and pass the retake, a few miss exams
or fall below the checks average and end under academic warning — approved and locked, as
the office would have left them; results, GPAs and standings are then computed for every
learner at once. In the current semester the demo teacher's sections are in progress: one
half entered, one submitted and waiting for the training office, with a few class sessions
in the attendance register.

Fast: scores are written with bulk inserts (as an import of past results would be),
approval state set set-based, and results computed in one pass. Idempotent: a semester
that already has approved scores is left alone.
"""

from __future__ import annotations

import itertools
import logging
import random
from datetime import timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from enrollment.models import EnrollmentStatus, Learner
from grading import regulation
from grading.config import grading_rules
from grading.models import (
    AttendanceMark,
    AttendanceSession,
    AttendanceStatus,
    Gradebook,
    GradebookLog,
    GradebookStatus,
    Score,
    ScoreMark,
)
from grading.services import gradebook as gb
from grading.services.results import results_recompute, rounds_refresh
from grading.sheet import check_counts, load_sheet
from staff.models import EmploymentStatus, StaffMember
from staff.services import staff_update
from training import selectors
from training.models import (
    AssessmentKind,
    ClassMembership,
    Section,
    SectionLearner,
    Semester,
    TeachingAssignment,
)
from training.services import sections as section_services
from vetschool.demo import demo_user

SEED = 7007
DEMO_LEARNER_NAME = "Trần Thị Ánh Dương"
logger = logging.getLogger(__name__)


def seed() -> None:
    today = timezone.localdate()
    current = selectors.semester_current(today=today)
    if current is None:
        return
    past = list(Semester.objects.filter(number__in=(1, 2), ends_on__lt=today)
                .select_related("school_year").order_by("-starts_on")[:2])[::-1]
    registrar = demo_user("registrar")
    rng = random.Random(SEED)
    touched: set[int] = set()
    for semester in past:
        _ensure_sections(semester)
    # Two learners of the graded cohort struggle in every module: they end under academic
    # warning, then with a provisional dismissal, so the warning list has something to show.
    cohort = sorted(set(SectionLearner.objects.filter(semester__in=past)
                        .exclude(enrollment__learner__full_name=DEMO_LEARNER_NAME)
                        .values_list("enrollment_id", flat=True)))
    WEAK.clear()
    WEAK.update(cohort[1:3])
    for semester in past:
        touched |= _grade_semester(semester, rng, registrar)
    if touched:
        results_recompute(enrollment_ids=touched, by=registrar)
    _in_progress(current, rng)
    _second_logins(current)
    _internships(current, registrar)


# =============================================================================
# The second learner and teacher (vetschool.demo.DEMO_USERS)
# =============================================================================


def _second_logins(current: Semester) -> None:
    """`learner2`: a studying learner of the demo learner's cohort in another class, with
    approved results; `teacher2`: the teacher (not the demo teacher, sharing none of their
    sections) who teaches learner2 most this semester. Only users are linked: no section,
    score or enrolment is added. Idempotent: a login already linked stays so."""
    learner2 = demo_user("learner2")
    enrollment = _second_learner_enrollment(learner2)
    if enrollment is None:
        return
    teacher2 = demo_user("teacher2")
    if StaffMember.objects.filter(user=teacher2).exists():
        return
    theirs = TeachingAssignment.objects.filter(staff__user=demo_user("teacher")).values(
        "section")
    sections = (SectionLearner.objects.filter(enrollment=enrollment, semester=current,
                                              removed_at__isnull=True)
                .values("section"))
    staff = (StaffMember.objects.filter(user__isnull=True,
                                        teaching_assignments__section__in=sections)
             .exclude(teaching_assignments__section__in=theirs)
             .annotate(taught=models.Count("teaching_assignments", distinct=True))
             .order_by("-taught", "staff_code").first())
    if staff is None:
        return
    staff_update(staff=staff, user=teacher2)
    type(teacher2).objects.filter(pk=teacher2.pk).update(full_name=staff.full_name)


def _second_learner_enrollment(user):
    linked = Learner.objects.filter(user=user).first()
    if linked is not None:
        return linked.enrollments.order_by("-start_date").first()
    first = ClassMembership.objects.filter(enrollment__learner__user=demo_user("learner"),
                                           to_date__isnull=True).select_related(
        "homeroom_class").first()
    if first is None:
        return None
    membership = (ClassMembership.objects
                  .filter(to_date__isnull=True,
                          homeroom_class__admission_year=first.homeroom_class.admission_year,
                          enrollment__status=EnrollmentStatus.STUDYING,
                          enrollment__learner__user__isnull=True,
                          enrollment__module_results__isnull=False)
                  .exclude(homeroom_class=first.homeroom_class)
                  .exclude(enrollment_id__in=WEAK)
                  .select_related("enrollment__learner")
                  .order_by("homeroom_class__code", "enrollment__learner__code").first())
    if membership is None:
        return None
    learner = membership.enrollment.learner
    Learner.objects.filter(pk=learner.pk).update(user=user)
    type(user).objects.filter(pk=user.pk).update(full_name=learner.full_name,
                                                 email=learner.email or user.email)
    return membership.enrollment


# =============================================================================
# Completed semesters
# =============================================================================


def _ensure_sections(semester: Semester) -> list[Section]:
    if not Section.objects.filter(semester=semester).exists():
        section_services.semester_sections_generate(semester=semester)
    sections = list(Section.objects.filter(semester=semester, learners__isnull=False)
                    .distinct().select_related("module").prefetch_related(
                        "module__assessment_plan").order_by("code"))
    teachers = itertools.cycle(StaffMember.objects.filter(
        is_teacher=True, employment_status=EmploymentStatus.ACTIVE).order_by("staff_code"))
    for section in sections:
        if not TeachingAssignment.objects.filter(section=section).exists():
            teacher = next(teachers, None)
            if teacher is not None:
                section_services.teaching_assign(section=section, staff=teacher)
    return sections


WEAK: set[int] = set()


def _ability(enrollment_id: int, name: str) -> float:
    """A learner's level, stable across modules: a few strong, most average, a few weak."""
    if name == DEMO_LEARNER_NAME:
        return 7.9
    if enrollment_id in WEAK:
        return 3.3
    local = random.Random(enrollment_id * 7919 + SEED)
    roll = local.random()
    if roll < 0.06:
        return local.uniform(2.8, 4.0)  # struggling: warnings
    if roll < 0.2:
        return local.uniform(4.5, 5.6)
    return local.gauss(6.9, 1.0)


def _score(value: float) -> Decimal:
    bounded = min(10.0, max(0.0, value))
    return regulation.round1(Decimal(str(round(bounded, 3))))


def _grade_semester(semester: Semester, rng: random.Random, registrar) -> set[int]:
    sections = _ensure_sections(semester)
    books = {b.section_id: b for b in Gradebook.objects.filter(section__in=sections)}
    missing = [Gradebook(section=s) for s in sections if s.pk not in books]
    for book in Gradebook.objects.bulk_create(missing):
        books[book.section_id] = book
    if Score.objects.filter(gradebook__in=books.values(), locked=True).exists():
        return set()
    rules = grading_rules()
    learners = list(SectionLearner.objects.filter(section__in=sections, removed_at__isnull=True)
                    .select_related("enrollment__learner").order_by("section", "pk"))
    now = timezone.now()
    rows, sitting_two = [], set()
    for sl in learners:
        section = next(s for s in sections if s.pk == sl.section_id)
        book = books[section.pk]
        ability = _ability(sl.enrollment_id, sl.enrollment.learner.full_name)
        continuous, periodic = check_counts(section.module, section.module.assessment_plan.all())
        checks = []
        for kind, count in ((AssessmentKind.CONTINUOUS, continuous),
                            (AssessmentKind.PERIODIC, periodic)):
            for number in range(1, count + 1):
                value = _score(rng.gauss(ability + 0.4, 1.1))
                mark = ""
                if checks and rng.random() < 0.015:
                    value, mark = None, ScoreMark.EXCUSED  # missed with permission
                rows.append(Score(gradebook=book, section_learner=sl, kind=kind, number=number,
                                  score=value, mark=mark, locked=True, version=1,
                                  updated_at=now))
                if value is not None:
                    checks.append((kind, value))
        average = regulation.checks_average(
            [v for k, v in checks if k == AssessmentKind.CONTINUOUS],
            [v for k, v in checks if k == AssessmentKind.PERIODIC], rules=rules)
        if average < rules.checks_min:
            continue  # not eligible: no exam, must re-study
        first = _exam(rng, ability)
        rows.append(Score(gradebook=book, section_learner=sl, kind=AssessmentKind.EXAM,
                          number=1, score=first[0], mark=first[1], locked=True, version=1,
                          updated_at=now))
        passed = first[0] is not None and regulation.grade_sitting(average, first[0],
                                                                rules=rules).passed
        if not passed:
            second = _exam(rng, ability + 1.0)
            rows.append(Score(gradebook=book, section_learner=sl, kind=AssessmentKind.EXAM,
                              number=2, score=second[0], mark=second[1], locked=True,
                              version=2, updated_at=now))
            sitting_two.add(book.pk)
    Score.objects.bulk_create(rows, batch_size=2000)
    Gradebook.objects.filter(pk__in=[b.pk for b in books.values()]).update(
        status=GradebookStatus.APPROVED, complete=True, version=2, status_changed_at=now,
        status_changed_by=registrar)
    Gradebook.objects.filter(pk__in=sitting_two).update(sitting=2)
    GradebookLog.objects.bulk_create(
        [GradebookLog(gradebook=book, action=GradebookLog.APPROVED, sitting=1, by=registrar,
                      note="Dữ liệu mẫu") for book in books.values()]
        + [GradebookLog(gradebook_id=pk, action=GradebookLog.APPROVED, sitting=2, by=registrar,
                        note="Dữ liệu mẫu") for pk in sitting_two])
    touched: set[int] = set()
    for book in Gradebook.objects.filter(pk__in=[b.pk for b in books.values()]):
        touched |= rounds_refresh(gradebook=book)
    return touched


def _exam(rng: random.Random, ability: float) -> tuple[Decimal | None, str]:
    roll = rng.random()
    if roll < 0.02:
        return None, ScoreMark.UNEXCUSED
    if roll < 0.035:
        return None, ScoreMark.EXCUSED
    return _score(rng.gauss(ability - 0.2, 1.5)), ""


# =============================================================================
# The current semester: work in progress for the demo teacher
# =============================================================================


def _in_progress(current: Semester, rng: random.Random) -> None:
    teacher = demo_user("teacher")
    sections = list(Section.objects.filter(
        semester=current, assignments__staff__user=teacher, learners__isnull=False)
        .distinct().order_by("code")[:2])
    for index, section in enumerate(sections):
        book = gb.gradebook_for_section(section=section)
        if book.version or book.status != GradebookStatus.DRAFT:
            continue  # already touched (seed_demo run twice, or by hand)
        sheet = load_sheet(book, section=section)
        checks = sheet.check_columns
        entered = checks if index == 1 else checks[:1]
        cells = []
        for row in sheet.rows:
            ability = _ability(row.section_learner.enrollment_id, row.learner.full_name)
            for column in entered:
                cells.append(gb.CellInput(row.id, column.code,
                                          str(_score(rng.gauss(ability + 0.6, 0.9)))))
        if cells:
            gb.gradebook_cells_save(gradebook=book, by=teacher, base_version=0, cells=cells)
        _sessions(book, section, current, teacher, rng)
        if index == 1:
            book.refresh_from_db()
            sheet = load_sheet(book, section=section)
            exams = [gb.CellInput(row.id, "THI1", str(_score(rng.gauss(6.8, 1.3))))
                     for row in sheet.rows if row.eligible]
            result = gb.gradebook_cells_save(gradebook=book, by=teacher,
                                             base_version=book.version, cells=exams)
            try:
                gb.gradebook_submit(gradebook=book, by=teacher, version=result.version)
            except ValidationError:
                logger.info("demo gradebook %s stays a draft: not complete", section.code)


def _sessions(book, section, current, teacher, rng) -> None:
    start = current.starts_on
    sessions = []
    for week in range(4):
        day = start + timedelta(days=7 * week + 1)
        kind = "theory" if week % 2 == 0 else "practice"
        sessions.append(AttendanceSession(gradebook=book, date=day, ordinal=1, kind=kind,
                                          hours=Decimal("5"), topic=f"Bài {week + 1}",
                                          created_by=teacher, version=book.version))
    AttendanceSession.objects.bulk_create(sessions)
    learners = list(section.learners.filter(removed_at__isnull=True))
    now = timezone.now()
    marks = []
    for session in sessions:
        for sl in rng.sample(learners, k=min(2, len(learners))):
            unexcused = session.kind == "theory" and rng.random() < 0.5
            status = AttendanceStatus.UNEXCUSED if unexcused else AttendanceStatus.EXCUSED
            marks.append(AttendanceMark(session=session, section_learner=sl, status=status,
                                        absent_hours=session.hours, updated_by=teacher,
                                        made_up=not unexcused and session.kind == "practice",
                                        updated_at=now, version=book.version))
    AttendanceMark.objects.bulk_create(marks)


# =============================================================================
# Internships at partner enterprises (grading.services.internships)
# =============================================================================


def _internships(current: Semester, registrar) -> None:
    """An internship section this semester for the intermediate accounting class admitted
    last year (its internship module is planned later; colleges bring it forward for a
    group), up to six of its learners placed at partner enterprises; the first evaluated by
    its mentor through the one-time link, the others' mentors sent a link still open.
    Idempotent: nothing when a placement exists."""
    from enterprises.models import Agreement, Contact
    from grading.models import Placement
    from grading.services import internships
    from training.models import HomeroomClass, Module, Section

    if Placement.objects.exists():
        return
    klass = (HomeroomClass.objects.filter(program__modules__kind="internship",
                                          admission_year=current.school_year.start_year - 1,
                                          code__startswith="TC")
             .select_related("program").order_by("code").first())
    teacher = StaffMember.objects.filter(user=demo_user("teacher")).first()
    if klass is None or teacher is None:
        return
    module = Module.objects.filter(program=klass.program, kind="internship").first()
    section = (Section.objects.filter(module=module, semester=current).first()
               or section_services.section_create(module=module, semester=current,
                                                  classes=[klass], by=registrar))
    if not section.assignments.exists():
        section_services.teaching_assign(section=section, staff=teacher)
    starts = max(current.starts_on, timezone.localdate() - timedelta(days=60))
    ends = current.ends_on - timedelta(days=14)
    partners = [a.enterprise for a in Agreement.objects.filter(
        internships=True, starts_on__lte=starts, ends_on__gte=ends).select_related(
        "enterprise").order_by("enterprise__name")]
    entries = list(section.learners.filter(removed_at__isnull=True)
                   .order_by("enrollment__learner__code")[:6])
    placed = []
    for index, entry in enumerate(entries):
        if not partners:
            break
        partner = partners[index % len(partners)]
        mentor = Contact.objects.filter(enterprise=partner, is_mentor=True).first()
        if mentor is None:
            continue
        placed.append(internships.placement_save(placement=Placement(
            section_learner=entry, enterprise=partner, mentor=mentor, supervisor=teacher,
            starts_on=starts, ends_on=ends), by=registrar))
    for index, placement in enumerate(placed):
        issued = internships.mentor_link_issue(placement=placement, by=registrar)
        if index == 0:
            columns = {c.code for c in internships.mentor_columns(placement)}
            internships.mentor_evaluation_submit(
                token=issued.token, comment="Chăm chỉ, tiếp thu nhanh.",
                scores={code: value for code, value in {"TX1": "8,5", "DK1": "8"}.items()
                        if code in columns})
