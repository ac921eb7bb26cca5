"""Reads of the staff app, scoped to the asking user (STYLE #2) with their joins.

The only place that decides what a teacher may see: their own records, nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404

from staff import competency, indicators, rules
from staff.models import (
    AssessmentStatus,
    CompetencyArea,
    CompetencyAssessment,
    CompetencyLevel,
    CompetencyRating,
    Courseware,
    Department,
    EmploymentRecord,
    EmploymentStatus,
    Participation,
    ParticipationResult,
    StaffMember,
    TrainingCourse,
)
from vetschool.queries import filter_given


def _scope(qs: QuerySet, user, *, own: Q) -> QuerySet:
    if rules.can_read_all_staff(user):
        return qs
    if rules.is_teacher(user):
        return qs.filter(own)
    return qs.none()


# --- Staff ------------------------------------------------------------------------------


def staff_list(*, user, filters: dict | None = None) -> QuerySet[StaffMember]:
    filters = filters or {}
    qs = _scope(StaffMember.objects.select_related("department", "user"), user,
                own=Q(user=user) if user.is_authenticated else Q(pk__in=[]))
    qs = filter_given(qs, filters, {
        "department": "department__code", "status": "employment_status"})
    if filters.get("is_teacher") is not None:
        qs = qs.filter(is_teacher=filters["is_teacher"])
    if filters.get("is_manager") is not None:
        qs = qs.filter(is_manager=filters["is_manager"])
    if filters.get("q"):
        term = filters["q"].strip()
        qs = qs.filter(Q(staff_code__iexact=term) | Q(full_name__unaccent__icontains=term))
    return qs.order_by("staff_code")


def staff_get(*, user, pk) -> StaffMember:
    try:
        return staff_list(user=user).get(pk=pk)
    except (StaffMember.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def department_list(*, user) -> QuerySet[Department]:
    if rules.can_read_all_staff(user):
        return Department.objects.all()
    if rules.is_teacher(user):
        return Department.objects.filter(staff__user=user)
    return Department.objects.none()


def employment_history(*, staff: StaffMember) -> QuerySet[EmploymentRecord]:
    return (EmploymentRecord.objects.filter(staff=staff).select_related("department")
            .order_by("-effective_date"))


# --- Trainings ------------------------------------------------------------------------------


def course_list(*, user, filters: dict | None = None) -> QuerySet[TrainingCourse]:
    filters = filters or {}
    qs = TrainingCourse.objects.annotate(
        participant_count=Count("participations", distinct=True),
        completed_count=Count("participations", distinct=True,
                              filter=Q(participations__result=ParticipationResult.COMPLETED)),
    )
    qs = _scope(qs, user, own=Q(participations__staff__user=user)
                if user.is_authenticated else Q(pk__in=[]))
    qs = filter_given(qs, filters, {"kind": "kind", "year": "starts_on__year"})
    return qs.order_by("-starts_on", "code")


def participation_list(*, user, filters: dict | None = None) -> QuerySet[Participation]:
    filters = filters or {}
    qs = Participation.objects.select_related("course", "staff__department")
    qs = _scope(qs, user, own=Q(staff__user=user) if user.is_authenticated else Q(pk__in=[]))
    qs = filter_given(qs, filters, {
        "course": "course_id", "staff": "staff_id", "result": "result", "kind": "course__kind"})
    return qs.order_by("-course__starts_on", "course__code", "staff__staff_code")


def participation_get(*, user, pk) -> Participation:
    try:
        return participation_list(user=user).get(pk=pk)
    except (Participation.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


# --- Courseware ------------------------------------------------------------------------------


def courseware_list(*, user, filters: dict | None = None) -> QuerySet[Courseware]:
    filters = filters or {}
    qs = Courseware.objects.select_related("author__department")
    qs = _scope(qs, user, own=Q(author__user=user) if user.is_authenticated else Q(pk__in=[]))
    qs = filter_given(qs, filters, {"author": "author_id", "kind": "kind", "status": "status"})
    if filters.get("module"):
        term = filters["module"]
        qs = qs.filter(Q(module_code__iexact=term) | Q(module_name__unaccent__icontains=term))
    return qs.order_by("author__staff_code", "title")


def courseware_get(*, user, pk) -> Courseware:
    try:
        return courseware_list(user=user).get(pk=pk)
    except (Courseware.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


# --- Competency ------------------------------------------------------------------------------


@dataclass(frozen=True)
class AreaLevel:
    area: CompetencyArea
    self_level: CompetencyLevel | None
    level: CompetencyLevel | None


@dataclass(frozen=True)
class AssessmentView:
    assessment: CompetencyAssessment
    rows: tuple[AreaLevel, ...]
    overall: CompetencyLevel | None  # from the confirmed levels
    self_overall: CompetencyLevel | None

    @property
    def confirmed(self) -> bool:
        return self.assessment.status == AssessmentStatus.CONFIRMED


def _overall(rows, levels_by_rank, attr: str):
    ranks = {row.area.pk: getattr(row, attr).rank if getattr(row, attr) else None for row in rows}
    rank = competency.overall_rank(ranks, [row.area.pk for row in rows])
    return levels_by_rank.get(rank) if rank is not None else None


def assessments_with_levels() -> QuerySet[CompetencyAssessment]:
    """Assessments with what `assessment_views` reads, newest period first (also usable as
    a Prefetch queryset of many people's assessments at once)."""
    return (
        CompetencyAssessment.objects
        .select_related("period__framework", "assessor")
        .prefetch_related(
            Prefetch("ratings", queryset=CompetencyRating.objects.select_related(
                "area", "self_level", "level")),
            Prefetch("period__framework__areas"),
            Prefetch("period__framework__levels"),
        )
        .order_by("-period__ends_on")
    )


def assessment_history(*, staff: StaffMember) -> list[AssessmentView]:
    """Every assessment of one person, newest period first, with per-area and overall levels."""
    return assessment_views(assessments_with_levels().filter(staff=staff))


def assessment_views(assessments) -> list[AssessmentView]:
    """Views of assessments loaded by `assessments_with_levels` (no query of its own)."""
    views = []
    for assessment in assessments:
        framework = assessment.period.framework
        by_area = {rating.area_id: rating for rating in assessment.ratings.all()}
        rows = tuple(
            AreaLevel(area, getattr(by_area.get(area.pk), "self_level", None),
                      getattr(by_area.get(area.pk), "level", None))
            for area in sorted(framework.areas.all(), key=lambda a: a.number)
        )
        levels_by_rank = {level.rank: level for level in framework.levels.all()}
        views.append(AssessmentView(
            assessment=assessment, rows=rows,
            overall=_overall(rows, levels_by_rank, "level"),
            self_overall=_overall(rows, levels_by_rank, "self_level"),
        ))
    return views


def current_competency(history: list[AssessmentView]) -> AssessmentView | None:
    """The latest confirmed assessment: the person's current level per area and overall."""
    return next((view for view in history if view.confirmed), None)


# --- Indicators ------------------------------------------------------------------------------


INDICATOR_KINDS = frozenset().union(*(i.kinds for i in indicators.INDICATORS))


def indicator_facts(*, as_of: date) -> list[indicators.StaffFacts]:
    """Plain values for staff.indicators.compute: three queries whatever the staff count.

    Only records and completions dated on or before `as_of` are loaded; the pure
    module applies the same rules again, so this is an optimisation, not the rule.
    """
    records = Prefetch(
        "employment_records",
        queryset=EmploymentRecord.objects.filter(effective_date__lte=as_of)
        .select_related("department").only(
            "staff_id", "effective_date", "status", "is_teacher", "is_manager",
            "department__code"),
        to_attr="records_until",
    )
    completions = Prefetch(
        "participations",
        queryset=Participation.objects.filter(
            result=ParticipationResult.COMPLETED, completed_on__lte=as_of,
            course__kind__in=INDICATOR_KINDS,
        ).select_related("course").only(
            "staff_id", "result", "completed_on", "certificate", "certificate_number",
            "course__kind"),
        to_attr="completions_until",
    )
    people = (StaffMember.objects.filter(employment_records__effective_date__lte=as_of)
              .distinct().only("pk", "staff_code", "full_name")
              .prefetch_related(records, completions))
    return [
        indicators.StaffFacts(
            key=person.pk, code=person.staff_code, name=person.full_name,
            positions=tuple(
                indicators.Position(r.effective_date, r.status, r.department.code,
                                    r.is_teacher, r.is_manager)
                for r in person.records_until
            ),
            completions=tuple(
                indicators.Completion(p.course.kind, p.result, p.completed_on, p.has_evidence)
                for p in person.completions_until
            ),
        )
        for person in people
    ]


def department_names() -> dict[str, str]:
    return dict(Department.objects.values_list("code", "name"))


# --- Work queues (vetschool.workqueue, registered in staff/queues.py) --------------------------
def without_confirmed_competency(qs: QuerySet[StaffMember]) -> QuerySet[StaffMember]:
    """The staff members of `qs` with no confirmed digital-competency assessment."""
    return qs.exclude(Exists(CompetencyAssessment.objects.filter(
        staff=OuterRef("pk"), status=AssessmentStatus.CONFIRMED)))


def teachers_without_competency_count() -> int:
    """Active teachers never confirmed in a digital-competency assessment."""
    return without_confirmed_competency(StaffMember.objects.filter(
        is_teacher=True, employment_status=EmploymentStatus.ACTIVE)).count()


def assessments_awaiting_confirmation_count() -> int:
    return CompetencyAssessment.objects.filter(status=AssessmentStatus.SELF_ASSESSED).count()


def participations_without_result_count() -> int:
    return Participation.objects.filter(result=ParticipationResult.REGISTERED).count()
