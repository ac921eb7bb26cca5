"""How staff members are pushed to the national database (the contract's `staff` type)."""

from django.db.models import Prefetch
from django.utils import timezone

from staff import indicators, selectors
from staff.models import (
    CompetencyAssessment,
    CompetencyRating,
    Participation,
    Qualification,
    StaffMember,
)
from vetschool.sync.registry import record

# The contract knows "bachelor" where the college records a university degree.
_QUALIFICATION = {Qualification.UNIVERSITY: "bachelor"}


def _staff_of_ratings(rows):
    assessment_ids = [row["assessment_id"] for row in rows]
    return CompetencyAssessment.objects.filter(pk__in=assessment_ids).values_list(
        "staff_id", flat=True)


def _first_completion(staff: StaffMember, kind: str):
    completions = [
        indicators.Completion(
            kind=p.course.kind, result=p.result, completed_on=p.completed_on,
            has_evidence=p.has_evidence,
        )
        for p in staff.participations.all()
    ]
    return indicators.first_completion(completions, frozenset({kind}), timezone.localdate())


@record("staff", model=StaffMember,
        sources={Participation: "staff_id", CompetencyAssessment: "staff_id",
                 CompetencyRating: _staff_of_ratings},
        # Everything build reads, a few queries per chunk of staff (not per person).
        queryset=lambda qs: qs.prefetch_related(
            "participations__course",
            Prefetch("assessments", queryset=selectors.assessments_with_levels())))
def staff_record(staff: StaffMember):
    roles = [role for role, held in (("teacher", staff.is_teacher),
                                      ("manager", staff.is_manager)) if held]
    if not staff.national_id or not roles:
        return None  # the contract covers teaching staff and managers with a personal ID
    digital_on = _first_completion(staff, indicators.DIGITAL_SKILLS)
    courseware_on = _first_completion(staff, indicators.COURSEWARE)
    current = selectors.current_competency(selectors.assessment_views(staff.assessments.all()))
    return {"national_id": staff.national_id}, {
        "staff_code": staff.staff_code,
        "full_name": staff.full_name,
        "date_of_birth": staff.date_of_birth,
        "gender": staff.gender,
        "roles": roles,
        "highest_qualification": (
            _QUALIFICATION.get(staff.highest_qualification, staff.highest_qualification) or None
        ),
        "pedagogy_certified": bool(staff.pedagogical_certificate_type),
        "employment_status": staff.employment_status,
        "digital_skills_trained": digital_on is not None,
        "digital_skills_trained_on": digital_on,
        "courseware_trained": courseware_on is not None,
        "digital_competency_level": current.overall.code if current and current.overall else None,
    }
