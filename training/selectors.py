"""Reads of training, scoped to the asking user, with the joins that avoid N+1 (STYLE #2).

Who sees what:
- the training office and QA (view permissions of the app), superusers: everything;
- a teacher: programs and modules, and only the sections they teach (and their classes);
- anyone else: nothing.
`section_list` is the only place that decides which sections a teacher may see.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from staff.models import StaffMember
from training import rules
from training.models import (
    ClassMembership,
    EnrollmentProgram,
    HomeroomClass,
    LearningOutcome,
    Module,
    Program,
    ProgramStatus,
    Section,
    SectionClass,
    SectionLearner,
    Semester,
    TeachingAssignment,
)

# =============================================================================
# Calendar
# =============================================================================
from vetschool.collation import in_roster_order
from vetschool.queries import filter_given


def semester_current(*, today: date | None = None) -> Semester | None:
    """The semester of a day: the one containing it; between semesters the next one to
    start; after the last one, the last one. Semesters never overlap (database)."""
    today = today or timezone.localdate()
    semesters = Semester.objects.select_related("school_year")
    return (semesters.filter(starts_on__lte=today, ends_on__gte=today).first()
            or semesters.filter(starts_on__gt=today).order_by("starts_on").first()
            or semesters.order_by("-ends_on").first())


def semester_list() -> QuerySet[Semester]:
    return Semester.objects.select_related("school_year").order_by("-starts_on")


def staff_member_of(user) -> StaffMember | None:
    if not user.is_authenticated:
        return None
    return StaffMember.objects.filter(user=user).first()


# =============================================================================
# Programs and modules
# =============================================================================


def program_list(*, user, filters: dict[str, Any] | None = None) -> QuerySet[Program]:
    if not rules.can_read_programs(user):
        return Program.objects.none()
    filters = filters or {}
    qs = (Program.objects.select_related("occupation", "previous_version")
          .annotate(module_count=Count("modules", distinct=True),
                    digital_outcomes=Count("outcomes", filter=Q(
                        outcomes__is_digital_capability=True), distinct=True)))
    qs = filter_given(qs, filters, {
        "status": "status", "occupation": "occupation__code", "level": "occupation__level"})
    return qs.order_by("occupation__code", "-effective_year", "-revision")


def program_detail(*, user, pk: int) -> Program:
    program = (program_list(user=user).prefetch_related(
        Prefetch("outcomes", queryset=LearningOutcome.objects.order_by("order", "code")),
        Prefetch("modules", queryset=Module.objects.order_by("planned_semester", "order",
                                                             "code")
                 .prefetch_related("assessment_plan", "prerequisites")),
    ).filter(pk=pk).first())
    if program is None:
        raise Http404
    return program


def module_list(*, user, filters: dict[str, Any] | None = None) -> QuerySet[Module]:
    if not rules.can_read_programs(user):
        return Module.objects.none()
    filters = filters or {}
    qs = (Module.objects.select_related("program__occupation")
          .prefetch_related("assessment_plan", "prerequisites"))
    qs = filter_given(qs, filters, {
        "program": "program_id", "planned_semester": "planned_semester", "kind": "kind"})
    return qs.order_by("program", "planned_semester", "order", "code")


# =============================================================================
# Classes
# =============================================================================


def _open_members():
    return Count("memberships", filter=Q(memberships__to_date__isnull=True), distinct=True)


def class_list(*, user, filters: dict[str, Any] | None = None) -> QuerySet[HomeroomClass]:
    """All classes for the training office; a teacher's own: advised or taught."""
    qs = (HomeroomClass.objects.select_related("program__occupation", "advisor",
                                               "first_semester__school_year")
          .annotate(member_count=_open_members()))
    if rules.can_view_training(user):
        pass
    elif rules.is_teacher(user):
        qs = qs.filter(Q(advisor__user=user) | Exists(SectionClass.objects.filter(
            homeroom_class=OuterRef("pk"), section__assignments__staff__user=user)))
    else:
        return qs.none()
    filters = filters or {}
    qs = filter_given(qs, filters, {
        "program": "program_id", "admission_year": "admission_year", "status": "status"})
    return qs.order_by("-admission_year", "code")


def class_members(*, homeroom_class: HomeroomClass) -> QuerySet[ClassMembership]:
    return (homeroom_class.memberships.filter(to_date__isnull=True)
            .select_related("enrollment__learner").order_by("enrollment__learner__code"))


# =============================================================================
# Sections
# =============================================================================


def _with_counts(qs: QuerySet[Section]) -> QuerySet[Section]:
    return (qs.select_related("module__program__occupation", "semester__school_year")
            .prefetch_related(
                Prefetch("classes", queryset=HomeroomClass.objects.order_by("code")),
                Prefetch("assignments", queryset=TeachingAssignment.objects
                         .select_related("staff").order_by("role", "staff__full_name")),
                "meetings")
            .annotate(learner_count=Count("learners", filter=Q(
                learners__removed_at__isnull=True), distinct=True)))


def section_list(*, user, filters: dict[str, Any] | None = None) -> QuerySet[Section]:
    """Sections the user may see: all for the training office, a teacher's own only."""
    qs = Section.objects.all()
    if rules.can_view_training(user):
        pass
    elif rules.is_teacher(user):
        qs = qs.filter(Exists(TeachingAssignment.objects.filter(section=OuterRef("pk"),
                                                                staff__user=user)))
    else:
        return qs.none()
    filters = filters or {}
    qs = filter_given(qs, filters, {"semester": "semester", "module": "module",
                                    "homeroom_class": "class_links__homeroom_class"})
    if filters.get("teacher"):
        qs = qs.filter(Exists(TeachingAssignment.objects.filter(section=OuterRef("pk"),
                                                                staff=filters["teacher"])))
    return _with_counts(qs).order_by("semester__starts_on", "code")


def teacher_section_list(*, user, semester: Semester | None) -> QuerySet[Section]:
    """The teacher portal's "my sections": only the sections the user teaches, whatever
    other roles the user has."""
    qs = Section.objects.filter(Exists(TeachingAssignment.objects.filter(
        section=OuterRef("pk"), staff__user=user)))
    if semester is not None:
        qs = qs.filter(semester=semester)
    return _with_counts(qs).order_by("module__code", "code")


def teacher_section_get(*, user, pk: int) -> Section:
    """A section the user teaches, or 404 (another teacher's id reveals nothing)."""
    section = teacher_section_list(user=user, semester=None).filter(pk=pk).first()
    if section is None:
        raise Http404
    return section


def section_get(*, user, pk: int) -> Section:
    section = section_list(user=user).filter(pk=pk).first()
    if section is None:
        raise Http404
    return section


def section_learner_rows(*, section: Section) -> list[SectionLearner]:
    """The active list of a section with each learner's current class (name, code, class),
    in the roster order (`vetschool.collation`: Vietnamese name order, then code)."""
    current_class = ClassMembership.objects.filter(
        enrollment=OuterRef("enrollment"), to_date__isnull=True,
    ).values("homeroom_class__code")[:1]
    rows = (section.learners.filter(removed_at__isnull=True)
            .select_related("enrollment__learner")
            .annotate(class_code=Subquery(current_class)))
    return in_roster_order(rows, lambda sl: sl.enrollment.learner)


def teaching_assignment_list(*, user,
                             filters: dict[str, Any] | None = None) -> QuerySet[
                                 TeachingAssignment]:
    qs = TeachingAssignment.objects.select_related(
        "staff", "section__module", "section__semester__school_year")
    if rules.can_view_training(user):
        pass
    elif rules.is_teacher(user):
        qs = qs.filter(staff__user=user)
    else:
        return qs.none()
    filters = filters or {}
    qs = filter_given(qs, filters, {
        "semester": "section__semester", "section": "section", "staff": "staff"})
    return qs.order_by("section__semester__starts_on", "section__code", "role")


# =============================================================================
# Program indicators (Decision 2222 criterion b)
# =============================================================================


def program_indicator_facts():
    """Plain facts of every program version in force, for training.indicators."""
    from training.indicators import ProgramFacts

    versions = (Program.objects.filter(status=ProgramStatus.ACTIVE)
                .select_related("occupation")
                .annotate(has_digital=Exists(LearningOutcome.objects.filter(
                    program=OuterRef("pk"), is_digital_capability=True)))
                .order_by("occupation__code", "effective_year", "revision"))
    return [
        ProgramFacts(
            id=v.pk, occupation_code=v.occupation.code, name=v.name_vi,
            version=v.version_label, effective_year=v.effective_year, revision=v.revision,
            has_digital_outcome=v.has_digital,
        )
        for v in versions
    ]


def learner_studies(learner, semester) -> dict:
    """The learner's current class, program versions and sections of `semester`."""
    memberships = list(ClassMembership.objects.filter(
        enrollment__learner=learner, to_date__isnull=True,
    ).select_related("homeroom_class__advisor", "enrollment__occupation"))
    links = list(EnrollmentProgram.objects.filter(enrollment__learner=learner)
                 .select_related("program__occupation"))
    entries = []
    if semester is not None:
        entries = list(SectionLearner.objects.filter(
            enrollment__learner=learner, semester=semester, removed_at__isnull=True,
        ).select_related("section__module").prefetch_related(
            Prefetch("section__assignments",
                     queryset=TeachingAssignment.objects.select_related("staff")),
            "section__meetings",
        ).order_by("section__module__code"))
    return {"memberships": memberships, "links": links, "entries": entries}


# --- Work queues (vetschool.workqueue, registered in training/queues.py) -----------------------
def outdated_it_program_count(*, today: date | None = None) -> int:
    """IT programs in force not updated within TRAINING_PROGRAM_UPDATE_YEARS: the programs the
    program-indicator page lists as outdated (Decision 2222, criterion b)."""
    from django.conf import settings

    from training import indicators

    today = today or timezone.localdate()
    return len(indicators.it_programs_updated(
        program_indicator_facts(), reporting_year=today.year,
        years=settings.TRAINING_PROGRAM_UPDATE_YEARS,
        prefixes=settings.TRAINING_IT_OCCUPATION_PREFIXES).outdated)
