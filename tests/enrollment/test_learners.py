"""Enrolment of admitted applicants, learner codes, logins, personal data and status
history with its guards."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from enrollment import services
from enrollment.models import (
    Enrollment,
    EnrollmentStatusChange,
    Learner,
    LearnerCodeCounter,
    StatusSource,
)
from enrollment.services import learners as learner_services
from tests.enrollment.factories import (
    LearnerFactory,
    application,
    enrol,
    national_id_for,
    occupation,
    open_round,
)
from vetschool.accounts import roles

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def it_college(db):
    return occupation("6480201", "Công nghệ thông tin")


@pytest.fixture
def round_(it_college):
    return open_round(year=2026, quotas={it_college: 50})


def _logs_in(client, username, password) -> bool:
    client.logout()
    response = client.post("/accounts/login/", {"username": username, "password": password})
    return response.status_code == 302


def _admitted(round_, occ, registrar, **person):
    return services.application_admit(application=application(round_, [occ], **person),
                                      by=registrar)


def test_enrolling_an_admitted_applicant_creates_learner_enrolment_history_and_login(
        client, round_, it_college, registrar):
    app = _admitted(round_, it_college, registrar, full_name="Lê Văn Tám", gender="male",
                    national_id=national_id_for(date(2007, 4, 2), "male"),
                    date_of_birth=date(2007, 4, 2))

    result = services.application_enroll(application=app, by=registrar,
                                         decision_number="125/QĐ-CĐSH",
                                         decision_date=TODAY)

    learner = result.learner
    assert learner.code == "2662010001"
    assert (learner.full_name, learner.national_id) == ("Lê Văn Tám", app.national_id)
    enrollment = result.enrollment
    assert (enrollment.occupation, enrollment.level, enrollment.admission_year) == (
        it_college, "college", 2026)
    assert enrollment.start_date == round_.classes_start_on
    assert enrollment.expected_end_date == date(2029, 9, 5)
    assert (enrollment.status, enrollment.mode) == ("studying", "full_time")
    change = enrollment.status_changes.get()
    assert (change.to_status, change.source, change.decision_number) == (
        "studying", "admission", "125/QĐ-CĐSH")
    app.refresh_from_db()
    assert app.status == "enrolled"
    # The learner logs in with the code and the one-time password shown to the registrar.
    assert result.username == learner.code
    assert len(result.password) == 12
    assert roles.has_role(learner.user, roles.LEARNER)
    assert not learner.user.is_staff
    assert _logs_in(client, learner.code, result.password)
    # ... once: the portal waits for a password of their own
    # (tests/accounts/test_one_time_password.py).
    assert learner.user.must_change_password
    assert client.get("/student/").url.startswith("/accounts/password/")


def test_bulk_enrolment_is_all_or_nothing(round_, it_college, registrar):
    ok = _admitted(round_, it_college, registrar)
    not_admitted = application(round_, [it_college])
    with pytest.raises(ValidationError) as excinfo:
        services.applications_enroll(applications=[ok, not_admitted], by=registrar,
                                     decision_number="1/QĐ", decision_date=TODAY)
    assert "Only admitted applicants can be enrolled" in excinfo.value.messages[0]
    assert not_admitted.tracking_code in excinfo.value.messages[0]
    assert Learner.objects.count() == 0
    assert LearnerCodeCounter.objects.filter(last_value__gt=0).count() == 0

    others = [_admitted(round_, it_college, registrar) for _ in range(3)]
    results = services.applications_enroll(applications=[ok, *others], by=registrar,
                                           decision_number="1/QĐ", decision_date=TODAY)
    assert [r.learner.code for r in results] == [f"266201000{i}" for i in range(1, 5)]


def test_enrolment_needs_a_decision_number_and_date(round_, it_college, registrar):
    app = _admitted(round_, it_college, registrar)
    with pytest.raises(ValidationError) as excinfo:
        services.application_enroll(application=app, by=registrar, decision_number=" ",
                                    decision_date=None)
    assert set(excinfo.value.message_dict) == {"decision_number", "decision_date"}
    assert Learner.objects.count() == 0


def test_a_returning_learner_keeps_one_record_and_login(round_, it_college, registrar):
    intermediate = occupation("5480201", "Công nghệ thông tin")
    earlier = open_round(year=2023, quotas={intermediate: 5})
    first = _admitted(earlier, intermediate, registrar, national_id="001306012345",
                      date_of_birth=date(2006, 1, 1))
    r1 = services.application_enroll(application=first, by=registrar,
                                     decision_number="1/QĐ", decision_date=TODAY)
    again = _admitted(round_, it_college, registrar, national_id="001306012345",
                      date_of_birth=date(2006, 1, 1))
    r2 = services.application_enroll(application=again, by=registrar,
                                     decision_number="2/QĐ", decision_date=TODAY)
    assert r2.learner == r1.learner
    assert r2.password is None  # the existing login is kept
    assert r1.learner.enrollments.count() == 2


def test_learner_codes_follow_the_documented_pattern(it_college):
    welding = occupation("5520123", "Hàn")
    assert services.learner_code_allocate(admission_year=2026, occupation=it_college) == (
        "2662010001")
    assert services.learner_code_allocate(admission_year=2026, occupation=it_college) == (
        "2662010002")
    assert services.learner_code_allocate(admission_year=2025, occupation=welding) == (
        "2551230001")


def test_a_code_taken_by_an_imported_learner_is_skipped(it_college):
    LearnerFactory(code="2662010001")
    assert services.learner_code_allocate(admission_year=2026, occupation=it_college) == (
        "2662010002")


def test_personal_data_corrections_are_validated_and_kept_in_history(registrar):
    learner = LearnerFactory(full_name="Trần Văn Bình", date_of_birth=date(2006, 5, 1),
                             gender="male")
    with pytest.raises(ValidationError) as excinfo:
        services.learner_update(learner=learner, by=registrar, national_id="001106000001")
    assert "4th digit" in excinfo.value.message_dict["national_id"][0]

    services.learner_update(learner=learner, by=registrar, full_name=" Trần  Văn Bính ")
    learner.refresh_from_db()
    assert learner.full_name == "Trần Văn Bính"
    from enrollment.selectors import learner_history

    entries = learner_history(learner)
    changed = [e for e in entries if e.kind == "record" and e.changes]
    assert changed[0].changes == (("full name", "Trần Văn Bình", "Trần Văn Bính"),)


@pytest.mark.parametrize("name", ["=HYPERLINK(\"http://x\")", "+1", "@A1", "-2+3"])
def test_a_learner_name_like_a_formula_is_refused(registrar, name):
    """It would run as a formula in every list exported from the record."""
    learner = LearnerFactory(full_name="Trần Văn Bình")
    with pytest.raises(ValidationError) as excinfo:
        services.learner_update(learner=learner, by=registrar, full_name=name)
    assert "formula" in excinfo.value.message_dict["full_name"][0]
    learner.refresh_from_db()
    assert learner.full_name == "Trần Văn Bình"


def test_a_personal_id_belongs_to_one_learner(registrar):
    one = LearnerFactory()
    other = LearnerFactory(date_of_birth=one.date_of_birth, gender=one.gender)
    with pytest.raises(ValidationError) as excinfo:
        services.learner_update(learner=other, by=registrar, national_id=one.national_id)
    assert one.code in excinfo.value.message_dict["national_id"][0]


def test_a_vietnamese_learner_needs_a_personal_id_a_foreigner_may_not(registrar):
    learner = LearnerFactory()
    with pytest.raises(ValidationError) as excinfo:
        services.learner_update(learner=learner, by=registrar, national_id="")
    assert excinfo.value.message_dict["national_id"] == [
        str(learner_services.NATIONAL_ID_REQUIRED)]
    services.learner_update(learner=learner, by=registrar, national_id="", nationality="la")
    learner.refresh_from_db()
    assert (learner.national_id, learner.nationality) == (None, "LA")


# --- status changes ------------------------------------------------------------------------

def _decision():
    return {"decision_number": "45/QĐ-CĐSH", "decision_date": TODAY}


def test_registrar_status_changes_are_recorded_with_decision_and_reason(registrar):
    enrollment = enrol()
    services.enrollment_change_status(enrollment=enrollment, status="reserved",
                                      reason="Nghĩa vụ quân sự", by=registrar, **_decision())
    enrollment.refresh_from_db()
    assert (enrollment.status, enrollment.status_date) == ("reserved", TODAY)
    change = enrollment.status_changes.last()
    assert (change.from_status, change.to_status, change.reason, change.by) == (
        "studying", "reserved", "Nghĩa vụ quân sự", registrar)
    services.enrollment_change_status(enrollment=enrollment, status="studying",
                                      reason="Hết thời hạn bảo lưu", by=registrar,
                                      **_decision())
    assert enrollment.status_changes.count() == 3


@pytest.mark.parametrize(("status", "code"), [("graduated", "graduated_by_degrees"),
                                               ("dismissed", "dismissed_by_standing")])
def test_the_registrar_cannot_graduate_nor_dismiss(registrar, status, code):
    enrollment = enrol()
    with pytest.raises(ValidationError) as excinfo:
        services.enrollment_change_status(enrollment=enrollment, status=status, reason="x",
                                          by=registrar, **_decision())
    assert excinfo.value.error_dict["status"][0].code == code
    enrollment.refresh_from_db()
    assert enrollment.status == "studying"


def test_degrees_graduates_and_grading_dismisses_through_their_services(registrar):
    graduate, dismissed = enrol(), enrol()
    services.enrollment_graduate(enrollment=graduate, by=registrar, **_decision())
    services.enrollment_dismiss_for_results(enrollment=dismissed, by=registrar,
                                            reason="Cảnh báo 2 học kỳ liên tiếp",
                                            **_decision())
    assert Enrollment.objects.get(pk=graduate.pk).status == "graduated"
    assert graduate.status_changes.last().source == StatusSource.DEGREES
    assert Enrollment.objects.get(pk=dismissed.pk).status == "dismissed"
    assert dismissed.status_changes.last().source == StatusSource.STANDING


def test_the_database_refuses_graduation_or_dismissal_from_another_source():
    enrollment = enrol()
    for status in ("graduated", "dismissed"):
        with pytest.raises(IntegrityError), transaction.atomic():
            EnrollmentStatusChange.objects.create(
                enrollment=enrollment, from_status="studying", to_status=status,
                effective_date=TODAY, decision_number="1", source=StatusSource.REGISTRAR,
            )


def test_status_history_is_append_only():
    change = enrol().status_changes.get()
    with pytest.raises(Exception, match="Cannot update or delete"), transaction.atomic():
        EnrollmentStatusChange.objects.filter(pk=change.pk).update(reason="rewritten")
    with pytest.raises(Exception, match="Cannot update or delete"), transaction.atomic():
        EnrollmentStatusChange.objects.filter(pk=change.pk).delete()


def test_final_statuses_do_not_change_and_a_mistake_is_corrected_by_a_new_record(registrar):
    enrollment = enrol()
    services.enrollment_change_status(enrollment=enrollment, status="expelled",
                                      reason="Kỷ luật", by=registrar, **_decision())
    with pytest.raises(ValidationError) as excinfo:
        services.enrollment_change_status(enrollment=enrollment, status="studying",
                                          reason="x", by=registrar, **_decision())
    assert excinfo.value.error_dict["status"][0].code == "transition_refused"

    correction = services.enrollment_status_revert(
        enrollment=enrollment, by=registrar, reason="Quyết định kỷ luật bị hủy",
        decision_number="46/QĐ-CĐSH", decision_date=TODAY)
    enrollment.refresh_from_db()
    assert enrollment.status == "studying"
    assert correction.source == StatusSource.CORRECTION
    assert correction.reverts.to_status == "expelled"
    assert enrollment.status_changes.count() == 3


def test_a_status_change_cannot_take_effect_in_the_future_or_before_the_last(registrar):
    enrollment = enrol(start=TODAY - timedelta(days=30))
    with pytest.raises(ValidationError) as excinfo:
        services.enrollment_change_status(
            enrollment=enrollment, status="reserved", reason="x", by=registrar,
            effective_date=TODAY + timedelta(days=1), **_decision())
    assert "effective_date" in excinfo.value.message_dict
    with pytest.raises(ValidationError) as excinfo:
        services.enrollment_change_status(
            enrollment=enrollment, status="reserved", reason="x", by=registrar,
            effective_date=TODAY - timedelta(days=31), **_decision())
    assert "effective_date" in excinfo.value.message_dict
    assert enrollment.status_changes.count() == 1


def test_lost_password_gets_a_new_one_time_password(client, registrar):
    learner = LearnerFactory()
    username, password = services.learner_login_create(learner=learner, by=registrar)
    assert username == learner.code
    new = services.learner_password_reset(learner=Learner.objects.get(pk=learner.pk),
                                          by=registrar)
    assert new != password
    assert not _logs_in(client, username, password)
    assert _logs_in(client, username, new)


@pytest.mark.parametrize("service", ["change", "dismiss", "revert"])
def test_every_status_decision_needs_its_number_date_and_reason(registrar, service):
    enrollment = enrol()
    if service == "revert":
        services.enrollment_change_status(enrollment=enrollment, status="reserved",
                                          reason="Ốm dài ngày", by=registrar, **_decision())
    call = {
        "change": lambda **kw: services.enrollment_change_status(status="suspended", **kw),
        "dismiss": services.enrollment_dismiss_for_results,
        "revert": services.enrollment_status_revert,
    }[service]
    before = enrollment.status_changes.count()
    with pytest.raises(ValidationError) as excinfo:
        call(enrollment=enrollment, by=registrar, reason="  ", decision_number="",
             decision_date=None)
    errors = excinfo.value.message_dict
    assert errors["reason"] == [str(learner_services.STATUS_REASON_REQUIRED)]
    assert errors["decision_number"] == [str(learner_services.DECISION_REQUIRED)]
    assert errors["decision_date"] == [str(learner_services.DECISION_DATE_REQUIRED)]
    assert enrollment.status_changes.count() == before


def test_a_graduation_without_a_reason_gets_the_decision_as_reason(registrar):
    enrollment = enrol()
    change = services.enrollment_graduate(enrollment=enrollment, by=registrar, **_decision())
    assert change.reason == str(learner_services.GRADUATION_REASON)


def test_the_database_refuses_a_decision_without_a_reason():
    enrollment = enrol()
    with pytest.raises(IntegrityError), transaction.atomic():
        EnrollmentStatusChange.objects.create(
            enrollment=enrollment, from_status="studying", to_status="reserved",
            effective_date=TODAY, decision_number="1/QĐ", source=StatusSource.REGISTRAR,
        )


def test_an_enrolment_failing_half_way_leaves_nothing_written(round_, it_college, registrar):
    """The second applicant fails after the first is fully written (learner, enrolment,
    status change, login) and after the second's own rows: all of it is rolled back."""
    from django.contrib.auth import get_user_model

    from enrollment.models import Application, ApplicationLog, EnrollmentEvent, LearnerEvent

    first, second = (_admitted(round_, it_college, registrar) for _ in range(2))
    get_user_model().objects.create_user("2662010002")  # the second one's future login
    users = get_user_model().objects.count()
    events = (LearnerEvent.objects.count(), EnrollmentEvent.objects.count())
    with pytest.raises(ValidationError) as excinfo:
        services.applications_enroll(applications=[first, second], by=registrar,
                                     decision_number="9/QĐ", decision_date=TODAY)
    assert "2662010002" in excinfo.value.messages[0]
    assert (Learner.objects.count(), Enrollment.objects.count(),
            EnrollmentStatusChange.objects.count()) == (0, 0, 0)
    assert get_user_model().objects.count() == users
    assert (LearnerEvent.objects.count(), EnrollmentEvent.objects.count()) == events
    assert LearnerCodeCounter.objects.filter(last_value__gt=0).count() == 0
    assert set(Application.objects.values_list("status", flat=True)) == {"admitted"}
    assert not ApplicationLog.objects.filter(action=ApplicationLog.ENROLLED).exists()
