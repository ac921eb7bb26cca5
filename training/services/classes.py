"""Homeroom classes: opening them from the enrolments, placing and moving learners.

A learner's class history is a chain of ClassMembership rows that are never deleted; a move
closes one and opens the next on the same day. Section lists follow: the learner leaves the
old class's sections of semesters not yet ended and joins the new class's.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enrollment.models import EducationLevel, Enrollment, EnrollmentStatus
from staff.models import EmploymentStatus, StaffMember
from training.models import (
    ClassMembership,
    ClassStatus,
    EnrollmentProgram,
    HomeroomClass,
    MembershipEnd,
    MembershipReason,
    Program,
    ProgramStatus,
    Semester,
)
from training.models.classes import CLASS_CODE
from training.services import lists, timetable
from training.services.common import error, integrity_as_validation
from vetschool.reference.models import Level
from vetschool.regulation.config import rules_in_force

PROGRAM_NOT_ACTIVE = _("Classes can only follow a program version in force.")
CLASS_CODE_TAKEN = _("A class with the code %(class_code)s already exists.")
CLASS_CODE_INVALID = _("Use letters A-Z, digits, dots, dashes or underscores (no spaces, no "
                       "accents), at most 30 characters.")
ADVISOR_NOT_EMPLOYED = _("%(staff)s no longer works at the college.")
CLASS_FINISHED = _("Class %(class_code)s has finished; it takes no more learners.")
CLASS_FULL = _("Class %(class_code)s has %(free)s free place(s) for %(count)s learner(s).")
OTHER_OCCUPATION = _("%(learner)s is enrolled in %(occupation)s, not in the occupation of "
                     "class %(class_code)s.")
NOT_STUDYING = _("%(learner)s is not studying (status: %(status)s).")
ALREADY_PLACED = _("%(learner)s is already in class %(class_code)s.")
OTHER_PROGRAM = _("%(learner)s follows program version %(version)s, class %(class_code)s "
                  "follows %(class_version)s. Confirm the change of program version.")
NOTHING_TO_PLACE = _("No studying enrolment of %(occupation)s admitted in %(year)s is waiting "
                     "for a class.")
NOT_PLACED = _("%(learner)s is in no class.")
SAME_CLASS = _("%(learner)s is already in class %(class_code)s.")
MOVE_BEFORE_PLACEMENT = _("The move cannot take effect before %(date)s, when the learner "
                          "joined the current class.")
TOO_FEW_CREDITS_FOR_LOWER_SECONDARY = _(
    "%(learner)s was admitted after lower-secondary school: the program of class "
    "%(class_code)s has %(credits)s credits, at least %(minimum)s are required "
    "(REGULATIONS §10.2).")
CLASS_SIZE_RANGE = _("A class has between 1 and 200 learners.")


def _learner(enrollment: Enrollment) -> str:
    return f"{enrollment.learner.code} {enrollment.learner.full_name}"


def _check_advisor(advisor: StaffMember | None) -> None:
    if advisor is not None and advisor.employment_status == EmploymentStatus.LEFT:
        raise error(ADVISOR_NOT_EMPLOYED, code="advisor_not_employed", field="advisor",
                    staff=advisor.full_name)


def _normalize_code(code: str) -> str:
    code = (code or "").strip().upper()
    try:
        CLASS_CODE(code)
    except Exception as exc:
        raise error(CLASS_CODE_INVALID, code="class_code_invalid", field="code") from exc
    return code


def default_first_semester(admission_year: int) -> Semester | None:
    """Semester 1 of the school year that starts in the admission year, if it is defined."""
    return (Semester.objects.select_related("school_year")
            .filter(school_year__start_year=admission_year, number=1).first())


def class_code_for(program: Program, admission_year: int, number: int) -> str:
    """CD25CNTT1: level, admission year, the program's short code, class number."""
    level = "CD" if program.occupation.level == Level.COLLEGE else "TC"
    short = program.short_code or program.occupation.code[1:]
    return f"{level}{admission_year % 100:02d}{short}{number}"


@transaction.atomic
def class_create(*, program: Program, admission_year: int, code: str, name: str = "",
                 advisor: StaffMember | None = None, capacity: int | None = None,
                 first_semester: Semester | None = None, by=None) -> HomeroomClass:
    program = Program.objects.select_related("occupation").get(pk=program.pk)
    if program.status != ProgramStatus.ACTIVE:
        raise error(PROGRAM_NOT_ACTIVE, code="program_not_active", field="program")
    code = _normalize_code(code)
    if HomeroomClass.objects.filter(code=code).exists():
        raise error(CLASS_CODE_TAKEN, code="class_code_taken", field="code", class_code=code)
    _check_advisor(advisor)
    homeroom_class = HomeroomClass(
        code=code, name=name.strip(), program=program, admission_year=admission_year,
        advisor=advisor, capacity=capacity,
        first_semester=first_semester or default_first_semester(admission_year),
    )
    homeroom_class.full_clean(validate_unique=False)
    taken = error(CLASS_CODE_TAKEN, code="class_code_taken", field="code", class_code=code)
    with integrity_as_validation({"code": taken}):
        homeroom_class.save()
    return homeroom_class


CLASS_EDITABLE_FIELDS = ("code", "name", "advisor", "capacity", "first_semester", "status")


@transaction.atomic
def class_update(*, homeroom_class: HomeroomClass, by=None, **fields) -> HomeroomClass:
    unknown = set(fields) - set(CLASS_EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"class_update() cannot change {sorted(unknown)}")
    homeroom_class = HomeroomClass.objects.select_for_update().get(pk=homeroom_class.pk)
    if "code" in fields:
        fields["code"] = _normalize_code(fields["code"])
        if HomeroomClass.objects.filter(code=fields["code"]).exclude(
                pk=homeroom_class.pk).exists():
            raise error(CLASS_CODE_TAKEN, code="class_code_taken", field="code",
                        class_code=fields["code"])
    if "advisor" in fields:
        _check_advisor(fields["advisor"])
    for name, value in fields.items():
        setattr(homeroom_class, name, value)
    homeroom_class.full_clean(validate_unique=False)
    homeroom_class.save()
    return homeroom_class


def unplaced_enrollments(*, program: Program, admission_year: int) -> QuerySet[Enrollment]:
    """Studying enrolments of the program's occupation and year that are in no class and
    follow this version (or none yet)."""
    return (
        Enrollment.objects.filter(occupation_id=program.occupation_id,
                                  admission_year=admission_year,
                                  status=EnrollmentStatus.STUDYING)
        .exclude(Exists(ClassMembership.objects.filter(enrollment=OuterRef("pk"),
                                                       to_date__isnull=True)))
        .exclude(Exists(EnrollmentProgram.objects.filter(enrollment=OuterRef("pk"))
                        .exclude(program=program)))
        .select_related("learner")
        .order_by("learner__code")
    )


def _validate_placements(homeroom_class: HomeroomClass, enrollments: Sequence[Enrollment],
                         *, allow_other_program: bool = False) -> dict[int, EnrollmentProgram]:
    """Errors for every enrolment that cannot join the class; returns their program links."""
    if homeroom_class.status != ClassStatus.ACTIVE:
        raise error(CLASS_FINISHED, code="class_finished", class_code=homeroom_class.code)
    ids = [e.pk for e in enrollments]
    open_memberships = dict(
        ClassMembership.objects.filter(enrollment_id__in=ids, to_date__isnull=True)
        .values_list("enrollment_id", "homeroom_class__code")
    )
    links = {link.enrollment_id: link for link in
             EnrollmentProgram.objects.filter(enrollment_id__in=ids).select_related("program")}
    program = homeroom_class.program
    # §10.2: a learner admitted after lower-secondary school needs an intermediate program
    # of at least 50 credits (35 for upper-secondary graduates, checked on activation).
    rules = rules_in_force()
    lower_secondary_minimum = (
        rules.min_credits(program.occupation.level, after_lower_secondary=True)
        if program.occupation.level == Level.INTERMEDIATE else 0)
    lower_secondary = set()
    if lower_secondary_minimum and program.total_credits < lower_secondary_minimum:
        lower_secondary = set(Enrollment.objects.filter(
            pk__in=ids, application__education_level=EducationLevel.LOWER_SECONDARY)
            .values_list("pk", flat=True))
    problems = []
    for enrollment in enrollments:
        learner = _learner(enrollment)
        if enrollment.pk in lower_secondary:
            problems.append(error(TOO_FEW_CREDITS_FOR_LOWER_SECONDARY,
                                  code="too_few_credits_lower_secondary", learner=learner,
                                  class_code=homeroom_class.code, credits=program.total_credits,
                                  minimum=lower_secondary_minimum))
        elif enrollment.occupation_id != program.occupation_id:
            problems.append(error(OTHER_OCCUPATION, code="other_occupation", learner=learner,
                                  occupation=enrollment.occupation_id,
                                  class_code=homeroom_class.code))
        elif enrollment.status != EnrollmentStatus.STUDYING:
            problems.append(error(NOT_STUDYING, code="not_studying", learner=learner,
                                  status=EnrollmentStatus(enrollment.status).label))
        elif enrollment.pk in open_memberships:
            problems.append(error(ALREADY_PLACED, code="already_placed", learner=learner,
                                  class_code=open_memberships[enrollment.pk]))
        elif (enrollment.pk in links and links[enrollment.pk].program_id != program.pk
              and not allow_other_program):
            problems.append(error(OTHER_PROGRAM, code="other_program", learner=learner,
                                  version=links[enrollment.pk].program.version_label,
                                  class_code=homeroom_class.code,
                                  class_version=program.version_label))
    if problems:
        raise error(problems, code="placement_refused")
    return links


def _check_capacity(homeroom_class: HomeroomClass, count: int) -> None:
    if homeroom_class.capacity is None:
        return
    members = homeroom_class.memberships.filter(to_date__isnull=True).count()
    free = max(0, homeroom_class.capacity - members)
    if count > free:
        raise error(CLASS_FULL, code="class_full", class_code=homeroom_class.code, free=free,
                    count=count)


@transaction.atomic
def class_enroll(*, homeroom_class: HomeroomClass, enrollments: Sequence[Enrollment],
                 on: date | None = None, by=None, reason: str = MembershipReason.PLACEMENT,
                 note: str = "", decision_number: str = "") -> int:
    """Place enrolments in a class (all or none); they follow its program version from now
    on if they had none, and join its sections of semesters not ended on `on`."""
    on = on or timezone.localdate()
    homeroom_class = (HomeroomClass.objects.select_for_update().select_related("program")
                      .get(pk=homeroom_class.pk))
    enrollments = list(Enrollment.objects.select_for_update().select_related("learner")
                       .filter(pk__in=[e.pk for e in enrollments]).order_by("pk"))
    if not enrollments:
        return 0
    links = _validate_placements(homeroom_class, enrollments)
    _check_capacity(homeroom_class, len(enrollments))
    ClassMembership.objects.bulk_create([
        ClassMembership(homeroom_class=homeroom_class, enrollment=e, from_date=on, reason=reason,
                        note=note, decision_number=decision_number, created_by=by)
        for e in enrollments
    ])
    EnrollmentProgram.objects.bulk_create([
        EnrollmentProgram(enrollment=e, program=homeroom_class.program, since=on,
                          assigned_by=by, decision_number=decision_number)
        for e in enrollments if e.pk not in links
    ])
    lists.add_class_learners(class_ids=[homeroom_class.pk],
                             enrollment_ids=[e.pk for e in enrollments], on=on, by=by)
    lists.check_practice_classes(class_ids=[homeroom_class.pk])
    timetable.check_clashes(enrollment_ids=[e.pk for e in enrollments])
    return len(enrollments)


@transaction.atomic
def class_fill(*, homeroom_class: HomeroomClass, on: date | None = None, by=None) -> int:
    """Place the enrolments waiting for a class of this program and year, up to capacity."""
    homeroom_class = (HomeroomClass.objects.select_for_update().select_related("program")
                      .get(pk=homeroom_class.pk))
    waiting = unplaced_enrollments(program=homeroom_class.program,
                                   admission_year=homeroom_class.admission_year)
    if homeroom_class.capacity is not None:
        members = homeroom_class.memberships.filter(to_date__isnull=True).count()
        waiting = waiting[: max(0, homeroom_class.capacity - members)]
    return class_enroll(homeroom_class=homeroom_class, enrollments=list(waiting), on=on, by=by)


@transaction.atomic
def classes_open(*, program: Program, admission_year: int, class_size: int | None = None,
                 on: date | None = None, advisor: StaffMember | None = None,
                 by=None) -> list[HomeroomClass]:
    """Open as many classes as the waiting enrolments need and place them, evenly.

    Set-based: one insert per table whatever the number of learners.
    """
    on = on or timezone.localdate()
    program = Program.objects.select_related("occupation").get(pk=program.pk)
    if program.status != ProgramStatus.ACTIVE:
        raise error(PROGRAM_NOT_ACTIVE, code="program_not_active", field="program")
    size = class_size or settings.TRAINING_CLASS_SIZE
    if not 1 <= size <= 200:
        raise error(CLASS_SIZE_RANGE, code="class_size_range", field="class_size")
    _check_advisor(advisor)
    waiting = list(unplaced_enrollments(program=program, admission_year=admission_year)
                   .select_for_update(of=("self",)))
    if not waiting:
        raise error(NOTHING_TO_PLACE, code="nothing_to_place",
                    occupation=program.occupation, year=admission_year)
    count = math.ceil(len(waiting) / size)
    taken = set(HomeroomClass.objects.values_list("code", flat=True))
    first_semester = default_first_semester(admission_year)
    classes, number = [], 0
    while len(classes) < count:
        number += 1
        code = class_code_for(program, admission_year, number)
        if code in taken:
            continue
        classes.append(HomeroomClass(
            code=code, name=f"{program.name_vi} – khóa {admission_year} – lớp {number}",
            program=program, admission_year=admission_year, advisor=advisor,
            capacity=size, first_semester=first_semester,
        ))
    classes = HomeroomClass.objects.bulk_create(classes)
    # Evenly: the first classes take one more learner when the split is not exact.
    memberships, start = [], 0
    for index, homeroom_class in enumerate(classes):
        share = len(waiting) // count + (1 if index < len(waiting) % count else 0)
        memberships += [
            ClassMembership(homeroom_class=homeroom_class, enrollment=e, from_date=on,
                            reason=MembershipReason.PLACEMENT, created_by=by)
            for e in waiting[start:start + share]
        ]
        start += share
    ClassMembership.objects.bulk_create(memberships, batch_size=5000)
    linked = set(EnrollmentProgram.objects.filter(enrollment__in=waiting)
                 .values_list("enrollment_id", flat=True))
    EnrollmentProgram.objects.bulk_create([
        EnrollmentProgram(enrollment=e, program=program, since=on, assigned_by=by)
        for e in waiting if e.pk not in linked
    ], batch_size=5000)
    return classes


@transaction.atomic
def learner_move(*, enrollment: Enrollment, to_class: HomeroomClass, on: date | None = None,
                 by=None, reason: str = MembershipReason.TRANSFER, note: str = "",
                 decision_number: str = "", change_program: bool = False) -> ClassMembership:
    """Move a learner to another class from `on`, keeping the history.

    If the new class follows another program version, `change_program` must confirm that
    the learner now follows it (recorded with the decision on EnrollmentProgram).
    """
    on = on or timezone.localdate()
    enrollment = (Enrollment.objects.select_for_update().select_related("learner")
                  .get(pk=enrollment.pk))
    learner = _learner(enrollment)
    current = (ClassMembership.objects.select_for_update().select_related("homeroom_class")
               .filter(enrollment=enrollment, to_date__isnull=True).first())
    if current is None:
        raise error(NOT_PLACED, code="not_placed", learner=learner)
    to_class = (HomeroomClass.objects.select_for_update().select_related("program")
                .get(pk=to_class.pk))
    _check_move(enrollment, current, to_class, on, learner)
    _follow_class_program(enrollment, to_class, on=on, by=by, note=note,
                          decision_number=decision_number, change_program=change_program,
                          learner=learner)
    _check_capacity(to_class, 1)

    current.to_date, current.end_reason = on, MembershipEnd.MOVED
    current.save(update_fields=["to_date", "end_reason"])
    membership = ClassMembership.objects.create(
        homeroom_class=to_class, enrollment=enrollment, from_date=on, reason=reason, note=note,
        decision_number=decision_number, created_by=by,
    )
    lists.remove_class_learners(
        class_id=current.homeroom_class_id, enrollment_ids=[enrollment.pk], on=on, by=by,
        reason=str(_("Moved to class %(class_code)s") % {"class_code": to_class.code}),
        keep_class_ids=[to_class.pk],
    )
    lists.add_class_learners(class_ids=[to_class.pk], enrollment_ids=[enrollment.pk], on=on,
                             by=by)
    lists.check_practice_classes(class_ids=[to_class.pk])
    timetable.check_clashes(enrollment_ids=[enrollment.pk])
    return membership


def _check_move(enrollment: Enrollment, current: ClassMembership, to_class: HomeroomClass,
                on: date, learner: str) -> None:
    """Validate a move as a placement, except for the open membership about to close."""
    if current.homeroom_class_id == to_class.pk:
        raise error(SAME_CLASS, code="same_class", field="to_class", learner=learner,
                    class_code=to_class.code)
    if on < current.from_date:
        raise error(MOVE_BEFORE_PLACEMENT, code="move_before_placement", field="on",
                    date=current.from_date.strftime("%d/%m/%Y"))
    if to_class.status != ClassStatus.ACTIVE:
        raise error(CLASS_FINISHED, code="class_finished", class_code=to_class.code)
    if enrollment.occupation_id != to_class.program.occupation_id:
        raise error(OTHER_OCCUPATION, code="other_occupation", field="to_class",
                    learner=learner, occupation=enrollment.occupation_id,
                    class_code=to_class.code)
    if enrollment.status != EnrollmentStatus.STUDYING:
        raise error(NOT_STUDYING, code="not_studying", learner=learner,
                    status=EnrollmentStatus(enrollment.status).label)


def _follow_class_program(enrollment: Enrollment, to_class: HomeroomClass, *, on: date, by,
                          note: str, decision_number: str, change_program: bool,
                          learner: str) -> None:
    """Follow the new class's program version; a change is confirmed and recorded."""
    link = EnrollmentProgram.objects.select_for_update().select_related("program").filter(
        enrollment=enrollment).first()
    if link is not None and link.program_id != to_class.program_id:
        if not change_program:
            raise error(OTHER_PROGRAM, code="other_program", field="change_program",
                        learner=learner, version=link.program.version_label,
                        class_code=to_class.code, class_version=to_class.program.version_label)
        link.program, link.since, link.note = to_class.program, on, note[:300]
        link.decision_number, link.assigned_by = decision_number, by
        link.save()
    elif link is None:
        EnrollmentProgram.objects.create(enrollment=enrollment, program=to_class.program,
                                         since=on, assigned_by=by,
                                         decision_number=decision_number)


@transaction.atomic
def class_membership_end(*, enrollment: Enrollment, on: date | None = None,
                         end_reason: str = MembershipEnd.LEFT, by=None) -> ClassMembership:
    """The learner leaves their class (interruption, end of study) and its coming sections."""
    on = on or timezone.localdate()
    current = (ClassMembership.objects.select_for_update().select_related("enrollment__learner")
               .filter(enrollment=enrollment, to_date__isnull=True).first())
    if current is None:
        raise error(NOT_PLACED, code="not_placed", learner=_learner(enrollment))
    if on < current.from_date:
        raise error(MOVE_BEFORE_PLACEMENT, code="move_before_placement", field="on",
                    date=current.from_date.strftime("%d/%m/%Y"))
    current.to_date, current.end_reason = on, end_reason
    current.save(update_fields=["to_date", "end_reason"])
    lists.remove_class_learners(
        class_id=current.homeroom_class_id, enrollment_ids=[enrollment.pk], on=on, by=by,
        reason=str(MembershipEnd(end_reason).label),
    )
    return current
