"""Reads of grading, scoped to the asking user (STYLE #2, #13): which gradebook and whose
transcript a user reaches, by the answers of grading.rules.

A section that is not the teacher's, or a learner who is not the user, is answered as not
found (404), so guessing ids reveals nothing; the training office may read every gradebook
but writes none of them (403 on a write).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce, TruncWeek
from django.http import Http404
from django.utils import timezone

from enrollment.models import Enrollment, Learner
from grading.models import (
    Amendment,
    AmendmentStatus,
    AttendanceSession,
    Gradebook,
    GradebookStatus,
    Score,
    ScoreMark,
    Standing,
    TermSummary,
)
from grading.models.assessment import EDITABLE_STATUSES
from grading.rules import can_read_all_transcripts, is_training_office, teaches
from training.models import (
    AssessmentComponent,
    AssessmentKind,
    HomeroomClass,
    Section,
    SectionLearner,
    Semester,
    TeachingAssignment,
)


# --- Whose sections ----------------------------------------------------------------------------
def taught_sections(user):
    """Sections the user teaches (any teaching role)."""
    if not user.is_authenticated:
        return Section.objects.none()
    return Section.objects.filter(
        Exists(TeachingAssignment.objects.filter(section=OuterRef("pk"), staff__user=user))
    )


# --- Gatekeepers -----------------------------------------------------------------------------
def section_for_gradebook(*, user, section_id, write: bool = False) -> Section:
    """The section whose gradebook the user asks for, or 404 / 403.

    Teachers reach only their sections (others are "not found"); the training office reads
    any section and is refused writes.
    """
    try:
        section_id = int(section_id)
    except (TypeError, ValueError) as exc:
        raise Http404 from exc
    section = (Section.objects.select_related("module", "semester__school_year")
               .prefetch_related("module__assessment_plan", "classes")
               .filter(pk=section_id).first())
    if section is None or not user.is_authenticated:
        raise Http404
    if teaches(user, section.pk):
        return section
    if is_training_office(user):
        if write:
            raise PermissionDenied
        return section
    raise Http404


def learner_for_transcript(*, user, learner_id) -> Learner:
    """A learner reads only their own transcript; the training office and QA read any."""
    try:
        learner_id = int(learner_id)
    except (TypeError, ValueError) as exc:
        raise Http404 from exc
    learner = Learner.objects.filter(pk=learner_id).first()
    if learner is None or not user.is_authenticated:
        raise Http404
    if learner.user_id == user.pk or can_read_all_transcripts(user):
        return learner
    raise Http404


def own_learner(user) -> Learner | None:
    return Learner.objects.filter(user=user).first() if user.is_authenticated else None


# --- Lists -------------------------------------------------------------------------------------
def teacher_gradebook_list(*, user):
    """The teacher's sections with their gradebook state, newest semester first."""
    return (
        taught_sections(user)
        .select_related("module", "semester__school_year", "gradebook")
        .annotate(learner_count=Count("learners", filter=Q(learners__removed_at__isnull=True)))
        .order_by("-semester__starts_on", "code")
    )


def office_gradebook_list(*, user, status: str | None = None, semester_id=None):
    if not is_training_office(user):
        raise PermissionDenied
    # The count as a correlated subquery, not a GROUP BY over every learner entry of the
    # college: PostgreSQL computes it for the rows the page shows (after the LIMIT), so the
    # list costs the same with 20,000 learners as with 200 (benchmarks/bench_load.py).
    active = (SectionLearner.objects.filter(section=OuterRef("section"), removed_at__isnull=True)
              .order_by().values("section").annotate(n=Count("pk")).values("n"))
    books = (Gradebook.objects.select_related("section__module", "section__semester__school_year")
             .annotate(learner_count=Coalesce(Subquery(active), 0))
             .order_by("-section__semester__starts_on", "section__code"))
    if status:
        books = books.filter(status=status)
    if semester_id:
        books = books.filter(section__semester_id=semester_id)
    return books


def submitted_count() -> int:
    return Gradebook.objects.filter(status=GradebookStatus.SUBMITTED).count()


def amendment_list(*, user, status: str | None = AmendmentStatus.REQUESTED):
    if not is_training_office(user):
        raise PermissionDenied
    items = (Amendment.objects
             .select_related("gradebook__section__module", "section_learner__enrollment__learner",
                             "requested_by", "decided_by")
             .order_by("-requested_at"))
    return items.filter(status=status) if status else items


def warning_list(*, user, semester: Semester):
    """Learners whose standing after the semester is a warning or a dismissal."""
    if not can_read_all_transcripts(user):
        raise PermissionDenied
    return (TermSummary.objects.filter(semester=semester,
                                       standing__in=[Standing.WARNING, Standing.DISMISSED])
            .select_related("enrollment__learner", "enrollment__occupation")
            .order_by("-standing", "enrollment__learner__code"))


def class_enrollments(homeroom_class: HomeroomClass) -> list[Enrollment]:
    """The enrolments currently in the class, by learner code."""
    return list(Enrollment.objects.filter(class_memberships__homeroom_class=homeroom_class,
                                          class_memberships__to_date__isnull=True)
                .select_related("learner").order_by("learner__code"))


def learner_enrollments(learner: Learner) -> list[Enrollment]:
    return list(learner.enrollments.select_related("occupation").order_by("-admission_year"))


def active_section_learners(section: Section):
    return SectionLearner.objects.filter(section=section, removed_at__isnull=True)


# --- Internships -------------------------------------------------------------------------------
def _placements():
    from grading.models import Placement

    return Placement.objects.select_related(
        "enterprise__province", "mentor", "supervisor", "section_learner__section__module",
        "section_learner__section__semester", "section_learner__enrollment__learner",
    ).prefetch_related("evaluation")


def learner_placements(learner) -> list:
    return list(_placements().filter(section_learner__enrollment__learner=learner)
                .order_by("-starts_on"))


def supervised_placements(user) -> list:
    return list(_placements().filter(supervisor__user=user)
                .order_by("-starts_on", "enterprise__name"))


def learner_occupation(learner):
    """The occupation of the learner's latest enrolment (postings are matched on it)."""
    enrolment = (learner.enrollments.select_related("occupation").order_by("-pk").first()
                 if learner else None)
    return enrolment.occupation if enrolment else None


# --- Work queues (vetschool.workqueue, registered in grading/queues.py) ------------------------
def amendment_requested_count() -> int:
    return Amendment.objects.filter(status=AmendmentStatus.REQUESTED).count()


def warning_count(*, semester: Semester) -> int:
    """Learners under academic warning (or dismissed) after `semester`: the rows of the
    warnings page for that semester."""
    return TermSummary.objects.filter(
        semester=semester, standing__in=[Standing.WARNING, Standing.DISMISSED]).count()


@dataclass(frozen=True)
class SectionDue:
    """What a teacher still owes in one section (teacher's home)."""

    section_id: int
    status: str  # the gradebook's status ("draft" when there is none yet)
    return_reason: str
    weeks_without_attendance: int
    checks_missing: int

    @property
    def returned(self) -> bool:
        return self.status == GradebookStatus.RETURNED


def _weeks_before(start: date, end: date, today: date) -> list[date]:
    """The Mondays of the whole weeks of [start, end] that ended before this week."""
    this_week = today - timedelta(days=today.weekday())
    monday = start - timedelta(days=start.weekday())
    weeks = []
    while monday < this_week and monday <= end:
        weeks.append(monday)
        monday += timedelta(days=7)
    return weeks


def teacher_section_dues(*, user, section_ids, today: date | None = None) -> dict[int, SectionDue]:
    """For the user's own sections among `section_ids` (others are left out): the gradebook's
    status, the past weeks of the semester with no class session recorded while the module's
    planned hours are not all recorded, and the check cells (continuous and periodic, not the
    exam) still empty for the active learners. Three queries, whatever the number of sections.

    Attendance and cells are due only while the teacher can still write: a draft or returned
    gradebook at its first sitting (or no gradebook yet)."""
    today = today or timezone.localdate()
    checks_planned = (AssessmentComponent.objects.filter(module=OuterRef("module_id"))
                      .exclude(kind=AssessmentKind.EXAM).order_by()
                      .values("module").annotate(n=Sum("count")).values("n"))
    active = (SectionLearner.objects.filter(section=OuterRef("pk"), removed_at__isnull=True)
              .order_by().values("section").annotate(n=Count("pk")).values("n"))
    filled = (Score.objects.filter(gradebook__section=OuterRef("pk"),
                                   section_learner__removed_at__isnull=True)
              .exclude(kind=AssessmentKind.EXAM)
              .filter(Q(score__isnull=False) | ~Q(mark=ScoreMark.NONE))
              .order_by().values("gradebook").annotate(n=Count("pk")).values("n"))
    recorded = (AttendanceSession.objects.filter(gradebook__section=OuterRef("pk"))
                .order_by().values("gradebook").annotate(h=Sum("hours")).values("h"))
    sections = list(
        taught_sections(user).filter(pk__in=list(section_ids))
        .annotate(checks_planned=Coalesce(Subquery(checks_planned), 0),
                  active_learners=Coalesce(Subquery(active), 0),
                  checks_filled=Coalesce(Subquery(filled), 0),
                  hours_recorded=Subquery(recorded),
                  book_status=F("gradebook__status"), book_sitting=F("gradebook__sitting"),
                  book_reason=F("gradebook__return_reason"))
        .values("pk", "semester__starts_on", "semester__ends_on", "module__theory_hours",
                "module__practice_hours", "checks_planned", "active_learners",
                "checks_filled", "hours_recorded", "book_status", "book_sitting", "book_reason"))
    weeks_with_sessions: dict[int, set[date]] = {}
    for section_id, monday in (
            AttendanceSession.objects.filter(gradebook__section_id__in=[s["pk"] for s in sections])
            .annotate(monday=TruncWeek("date")).values_list("gradebook__section_id", "monday")
            .distinct()):
        weeks_with_sessions.setdefault(section_id, set()).add(
            monday.date() if hasattr(monday, "date") else monday)
    dues = {}
    for s in sections:
        status = s["book_status"] or GradebookStatus.DRAFT
        open_ = status in EDITABLE_STATUSES and (s["book_sitting"] or 1) == 1
        weeks = missing = 0
        if open_:
            planned_hours = s["module__theory_hours"] + s["module__practice_hours"]
            if (s["hours_recorded"] or 0) < planned_hours:
                taken = weeks_with_sessions.get(s["pk"], set())
                weeks = sum(1 for monday in _weeks_before(
                    s["semester__starts_on"], s["semester__ends_on"], today)
                    if monday not in taken)
            missing = max(s["checks_planned"] * s["active_learners"] - s["checks_filled"], 0)
        dues[s["pk"]] = SectionDue(s["pk"], status, s["book_reason"] or "", weeks, missing)
    return dues
