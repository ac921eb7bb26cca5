"""Enrolment of admitted applicants: one learner record per person, one enrolment per
occupation and year, and a login for the learner.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enrollment.models import (
    Application,
    ApplicationLog,
    ApplicationStatus,
    Enrollment,
    EnrollmentStatusChange,
    Learner,
    StatusSource,
    StudyMode,
)
from enrollment.services.admission.common import require_transition
from enrollment.services.codes import learner_code_allocate
from enrollment.services.learners.common import (
    ALREADY_ENROLLED,
    DEFAULT_PROGRAM_MONTHS,
    END_BEFORE_START,
    NOT_ADMITTED,
    EnrolmentResult,
    S,
    require_decision,
)
from enrollment.services.learners.logins import create_login
from vetschool.dates import add_months


def application_enroll(*, application: Application, **decision) -> EnrolmentResult:
    """Turn an admitted applicant into a learner with an enrolment and a login; `decision`
    as for `applications_enroll` (decision number and date, start, end, mode)."""
    return applications_enroll(applications=[application], **decision)[0]


def applications_enroll(
    *,
    applications: Sequence[Application],
    by,
    decision_number: str,
    decision_date: date,
    start_date: date | None = None,
    expected_end_date: date | None = None,
    mode: str = StudyMode.FULL_TIME,
) -> list[EnrolmentResult]:
    """Enrol several admitted applicants in one transaction: all of them or none."""
    decision_number = require_decision(decision_number, decision_date)
    if start_date and expected_end_date and expected_end_date <= start_date:
        raise ValidationError({"expected_end_date": ValidationError(END_BEFORE_START)})
    results = []
    with transaction.atomic():
        locked = list(
            Application.objects.select_for_update()
            .filter(pk__in=[a.pk for a in applications])
            .order_by("pk")
        )
        errors = [
            ValidationError(NOT_ADMITTED, code="not_admitted",
                            params={"code": a.tracking_code,
                                    "status": ApplicationStatus(a.status).label.lower()})
            for a in locked if a.status != ApplicationStatus.ADMITTED
        ]
        if errors:
            raise ValidationError(errors)
        for application in locked:
            results.append(_enroll_one(
                application, by=by, decision_number=decision_number,
                decision_date=decision_date, start_date=start_date,
                expected_end_date=expected_end_date, mode=mode,
            ))
    return results


def _enroll_one(application, *, by, decision_number, decision_date, start_date,
                expected_end_date, mode) -> EnrolmentResult:
    require_transition(application, ApplicationStatus.ENROLLED)
    occupation = application.admitted_occupation
    round = application.round
    start = start_date or round.classes_start_on or timezone.localdate()
    end = expected_end_date or add_months(start, DEFAULT_PROGRAM_MONTHS[occupation.level])
    if end <= start:
        raise ValidationError({"expected_end_date": ValidationError(END_BEFORE_START)})

    learner = (
        Learner.objects.select_for_update().filter(national_id=application.national_id).first()
    )
    if learner is None:
        learner = Learner.objects.create(
            code=learner_code_allocate(admission_year=round.year, occupation=occupation),
            full_name=application.full_name, date_of_birth=application.date_of_birth,
            gender=application.gender, national_id=application.national_id,
            ethnic_group_id=application.ethnic_group_id, nationality="VN",
            province_id=application.province_id, address=application.address,
            phone=application.phone, email=application.email,
        )
    elif Enrollment.objects.filter(learner=learner, occupation=occupation,
                                   admission_year=round.year).exists():
        raise ValidationError(ALREADY_ENROLLED, code="already_enrolled",
                              params={"learner": learner, "occupation": occupation,
                                      "year": round.year})
    enrollment = Enrollment.objects.create(
        learner=learner, occupation=occupation, level=occupation.level,
        admission_year=round.year, mode=mode, start_date=start, expected_end_date=end,
        status=S.STUDYING, status_date=start, application=application,
    )
    EnrollmentStatusChange.objects.create(
        enrollment=enrollment, from_status="", to_status=S.STUDYING,
        decision_number=decision_number, decision_date=decision_date, effective_date=start,
        reason=str(_("Admitted in %(round)s") % {"round": round}),
        source=StatusSource.ADMISSION, by=by,
    )
    application.status = ApplicationStatus.ENROLLED
    application.save(update_fields=["status", "updated_at"])
    ApplicationLog.objects.create(
        application=application, action=ApplicationLog.ENROLLED,
        message=f"{learner.code} · {decision_number}", by=by,
    )
    password = None
    if learner.user_id is None:
        password = create_login(learner)
    return EnrolmentResult(learner, enrollment, learner.user.username, password)
