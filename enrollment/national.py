"""How learners and enrolments are pushed to the national database (national-api contract)."""

from enrollment.models import Enrollment, EnrollmentStatus, Learner
from vetschool.sync.registry import ids_whose_value_changed, record


def _province_code(learner: Learner) -> str | None:
    # The contract wants the 2-digit administrative code of the province of residence.
    return learner.province.code if learner.province_id else None


@record("learner", model=Learner,
        queryset=lambda qs: qs.select_related("ethnic_group", "province"))
def learner_record(learner: Learner):
    if not learner.national_id:
        return None  # the contract pushes no one without a personal ID
    return {"national_id": learner.national_id}, {
        "learner_code": learner.code,
        "full_name": learner.full_name,
        "date_of_birth": learner.date_of_birth,
        "gender": learner.gender,
        "ethnicity_code": learner.ethnic_group.code if learner.ethnic_group_id else "01",
        "nationality": learner.nationality or "VN",
        "province_code": _province_code(learner),
    }


@record("enrollment", model=Enrollment,
        # Of the learner, the record holds only the personal ID (in its key).
        sources={Learner: lambda rows: Enrollment.objects.filter(
            learner_id__in=ids_whose_value_changed(rows, "national_id")).values_list(
                "pk", flat=True)},
        queryset=lambda qs: qs.select_related("learner", "occupation"))
def enrollment_record(enrollment: Enrollment):
    learner = enrollment.learner
    if not learner.national_id:
        return None
    return {
        "national_id": learner.national_id,
        "occupation_code": enrollment.occupation.code,
        "level": enrollment.level,
        "admission_year": enrollment.admission_year,
    }, {
        "mode": enrollment.mode,
        "class_code": None,
        "start_date": enrollment.start_date,
        "expected_end_date": enrollment.expected_end_date,
        "status": enrollment.status or EnrollmentStatus.STUDYING,
        "status_date": enrollment.status_date,
    }
