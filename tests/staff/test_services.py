"""Write use cases: staff records, dated history, trainings with evidence, assessments."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone
from pghistory.models import Events

from staff import services
from staff.models import (
    AssessmentPeriod,
    AssessmentStatus,
    CompetencyFramework,
    EmploymentRecord,
    Participation,
    StaffMember,
    TrainingCourse,
)
from staff.services import trainings as training_services
from tests.staff import helpers
from vetschool.accounts.models import PersonalDataAccess

pytestmark = pytest.mark.django_db


# --- Staff records and employment history ----------------------------------------------------


def test_creating_a_staff_member_records_the_first_employment_record(cntt):
    member = helpers.staff("GV0100", dept=cntt, hired=date(2016, 9, 1), manager=True)
    record = EmploymentRecord.objects.get(staff=member)
    assert (record.effective_date, record.status, record.department, record.is_manager) == (
        date(2016, 9, 1), "active", cntt, True)
    assert member.position_since == date(2016, 9, 1)


def test_a_position_change_adds_a_dated_record_and_updates_the_current_position(cntt, ck):
    member = helpers.staff(dept=cntt, hired=date(2016, 9, 1))
    helpers.move(member, date(2024, 2, 1), dept=ck, manager=True)
    member.refresh_from_db()
    assert (member.department, member.is_manager, member.position_since) == (
        ck, True, date(2024, 2, 1))
    assert EmploymentRecord.objects.filter(staff=member).count() == 2


def test_a_back_dated_change_enters_the_timeline_without_changing_the_current_position(cntt):
    member = helpers.staff(dept=cntt, hired=date(2016, 9, 1))
    helpers.move(member, date(2024, 2, 1), status="on_leave")
    helpers.move(member, date(2020, 1, 1), manager=True, status="active")
    member.refresh_from_db()
    assert member.employment_status == "on_leave"
    assert member.position_since == date(2024, 2, 1)
    assert list(EmploymentRecord.objects.filter(staff=member).values_list(
        "effective_date", flat=True)) == [date(2016, 9, 1), date(2020, 1, 1), date(2024, 2, 1)]


def test_a_change_on_a_date_that_has_a_record_corrects_that_record(cntt, ck):
    member = helpers.staff(dept=cntt, hired=date(2016, 9, 1))
    helpers.move(member, date(2016, 9, 1), dept=ck)
    assert EmploymentRecord.objects.get(staff=member).department == ck


def test_a_future_dated_change_is_refused(cntt):
    member = helpers.staff(dept=cntt)
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError) as excinfo:
        helpers.move(member, tomorrow, status="left")
    assert "effective_date" in excinfo.value.message_dict
    assert EmploymentRecord.objects.filter(staff=member).count() == 1


def test_the_only_employment_record_cannot_be_deleted_but_a_mistaken_one_can(cntt):
    member = helpers.staff(dept=cntt, hired=date(2016, 9, 1))
    with pytest.raises(ValidationError, match="only employment record"):
        services.employment_record_delete(record=member.employment_records.get())
    mistake = helpers.move(member, date(2024, 1, 1), status="left")
    services.employment_record_delete(record=mistake)
    member.refresh_from_db()
    assert (member.employment_status, member.position_since) == ("active", date(2016, 9, 1))


@pytest.mark.parametrize(
    ("number", "gender", "fragment"),
    [
        ("00108500123", "male", "exactly 12 digits"),
        ("０01085001234", "male", "exactly 12 digits"),          # full-width digit
        ("999085001234", "male", "not a valid province code"),
        ("001185001234", "male", "recorded gender"),
        ("001090001234", "male", "birth year 1985"),
    ],
)
def test_the_personal_id_is_validated_like_at_enrolment(cntt, number, gender, fragment):
    with pytest.raises(ValidationError) as excinfo:
        services.staff_create(
            department=cntt, is_teacher=True, is_manager=False, employment_status="active",
            effective_date=date(2015, 9, 1), staff_code="GV0200", full_name="Thử Nghiệm",
            national_id=number, date_of_birth=date(1985, 3, 15), gender=gender)
    assert any(fragment in message for message in excinfo.value.message_dict["national_id"])
    assert not StaffMember.objects.filter(staff_code="GV0200").exists()


def test_a_personal_id_belongs_to_one_staff_member(cntt):
    first = helpers.staff(dept=cntt)
    with pytest.raises(ValidationError) as excinfo:
        helpers.staff(dept=cntt, national_id=first.national_id)
    assert "national_id" in excinfo.value.message_dict


def test_revealing_the_full_personal_id_is_logged(hr_officer, cntt):
    member = helpers.staff(dept=cntt)
    number = services.staff_national_id_reveal(staff=member, user=hr_officer, path="/x/")
    assert number == member.national_id
    log = PersonalDataAccess.objects.get()
    assert (log.user, log.subject_type, log.subject_id, log.field) == (
        hr_officer, "staff.staffmember", str(member.pk), "national_id")


def test_every_change_is_in_history(cntt):
    member = helpers.staff(dept=cntt)
    services.staff_update(staff=member, phone="0912 345 678")
    labels = list(Events.objects.tracks(member).values_list("pgh_label", flat=True))
    assert labels.count("insert") == 1 and "update" in labels
    training = helpers.course()
    participation = services.participant_register(course=training, staff=member)
    services.participation_withdraw(participation=participation)
    assert Events.objects.references(member).filter(
        pgh_model="staff.ParticipationEvent", pgh_label="delete").exists()


# --- Trainings -------------------------------------------------------------------------------


def test_completion_needs_a_date_and_evidence(cntt):
    member, training = helpers.staff(dept=cntt), helpers.course()
    participation = services.participant_register(course=training, staff=member)
    with pytest.raises(ValidationError) as excinfo:
        services.participation_record_result(participation=participation, result="completed")
    assert set(excinfo.value.message_dict) == {"completed_on", "certificate"}
    # A typed certificate number is not evidence: the certificate must be uploaded.
    with pytest.raises(ValidationError) as excinfo:
        services.participation_record_result(participation=participation, result="completed",
                                             completed_on=date(2024, 3, 31),
                                             certificate_number="CC-2024/15")
    assert set(excinfo.value.message_dict) == {"certificate"}
    participation.refresh_from_db()
    assert participation.result == "registered"


def test_completion_date_cannot_be_in_the_future_or_before_the_course(cntt):
    member, training = helpers.staff(dept=cntt), helpers.course()
    participation = services.participant_register(course=training, staff=member)
    for day in (timezone.localdate() + timedelta(days=1), training.starts_on - timedelta(days=1)):
        with pytest.raises(ValidationError) as excinfo:
            services.participation_record_result(
                participation=participation, result="completed", completed_on=day,
                certificate=helpers.pdf())
        assert set(excinfo.value.message_dict) == {"completed_on"}


def test_the_database_refuses_a_completion_without_evidence(cntt):
    member, training = helpers.staff(dept=cntt), helpers.course()
    with pytest.raises(IntegrityError), transaction.atomic():
        Participation.objects.create(course=training, staff=member, result="completed",
                                     completed_on=date(2024, 3, 31))
    with pytest.raises(IntegrityError), transaction.atomic():
        Participation.objects.create(course=training, staff=member, result="completed",
                                     completed_on=date(2024, 3, 31), certificate_number="CC-9")


def test_a_certificate_upload_is_checked_from_its_content(cntt):
    member, training = helpers.staff(dept=cntt), helpers.course()
    participation = services.participant_register(course=training, staff=member)
    fake = SimpleUploadedFile("chung-chi.pdf", b"MZ\x90\x00 not a pdf")
    with pytest.raises(ValidationError) as excinfo:
        services.participation_record_result(participation=participation, result="completed",
                                             completed_on=date(2024, 3, 31), certificate=fake)
    assert "certificate" in excinfo.value.message_dict
    done = services.participation_record_result(
        participation=participation, result="completed", completed_on=date(2024, 3, 31),
        certificate=helpers.pdf())
    assert done.certificate.name.startswith("staff/certificates/")
    assert "chung-chi" not in done.certificate.name  # stored under a random name
    assert done.certificate.read().startswith(b"%PDF")


def test_a_failed_result_has_no_completion_date(cntt):
    member, training = helpers.staff(dept=cntt), helpers.course()
    participation = helpers.complete(member, training)
    failed = services.participation_record_result(participation=participation, result="failed")
    assert (failed.result, failed.completed_on) == ("failed", None)
    with pytest.raises(ValidationError):
        services.participation_record_result(participation=participation, result="failed",
                                             completed_on=date(2024, 3, 31))


def test_deleting_a_course_with_results_is_refused_with_a_clear_message(cntt):
    member, training = helpers.staff(dept=cntt), helpers.course("DS-2024")
    helpers.complete(member, training)
    with pytest.raises(ValidationError) as excinfo:
        services.course_delete(course=training)
    assert excinfo.value.code == "course_has_results"
    assert "DS-2024" in excinfo.value.messages[0]
    assert TrainingCourse.objects.filter(pk=training.pk).exists()


def test_the_database_refuses_deleting_a_course_with_participants(cntt):
    training = helpers.course()
    services.participant_register(course=training, staff=helpers.staff(dept=cntt))
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError), transaction.atomic():
        training.delete()


def test_a_course_with_registrations_only_is_deleted_with_them(cntt):
    training = helpers.course()
    services.participant_register(course=training, staff=helpers.staff(dept=cntt))
    services.course_delete(course=training)
    assert not TrainingCourse.objects.exists()
    assert not Participation.objects.exists()


def test_the_kind_of_a_course_is_fixed_once_completions_exist(cntt):
    training = helpers.course(kind="digital_skills")
    helpers.complete(helpers.staff(dept=cntt), training)
    training.kind = "courseware"
    with pytest.raises(ValidationError) as excinfo:
        services.course_save(course=training)
    assert "kind" in excinfo.value.message_dict
    assert TrainingCourse.objects.get(pk=training.pk).kind == "digital_skills"


def test_bulk_registration_of_a_department(cntt, ck):
    teacher = helpers.staff(dept=cntt)
    manager = helpers.staff(dept=cntt, teacher=False, manager=True)
    helpers.staff(dept=cntt, teacher=False, manager=False)  # other staff: not registered
    gone = helpers.staff(dept=cntt, hired=date(2015, 1, 1))
    helpers.move(gone, date(2023, 1, 1), status="left")
    helpers.staff(dept=ck)  # another department
    training = helpers.course()
    already = services.participant_register(course=training, staff=teacher)
    created = services.course_register_department(course=training, department=cntt)
    assert {p.staff for p in created} == {manager}
    assert set(Participation.objects.filter(course=training).values_list(
        "staff", flat=True)) == {teacher.pk, manager.pk}
    assert Participation.objects.get(course=training, staff=teacher) == already  # kept, once
    courseware = helpers.course(kind="courseware")
    created = services.course_register_department(course=courseware, department=cntt,
                                                  teachers_only=True)
    assert [p.staff for p in created] == [teacher]


def test_bulk_registration_for_a_past_course_skips_people_hired_after_it(cntt):
    veteran = helpers.staff(dept=cntt, hired=date(2015, 9, 1))
    newcomer = helpers.staff(dept=cntt, hired=date(2025, 9, 1))
    during = helpers.staff(dept=cntt, hired=date(2024, 3, 15))  # hired before it ended
    past = helpers.course(starts=date(2024, 3, 1), ends=date(2024, 3, 31))
    created = services.course_register_department(course=past, department=cntt)
    assert {p.staff for p in created} == {veteran, during}
    assert not Participation.objects.filter(staff=newcomer).exists()


def test_the_database_keeps_results_even_against_raw_sql(cntt):
    """DB level: no path deletes a result, so a course with results cannot go either."""
    member, training = helpers.staff(dept=cntt), helpers.course()
    done = helpers.complete(member, training)
    with pytest.raises(DatabaseError, match="Cannot delete"), transaction.atomic(), \
            connection.cursor() as cursor:
        cursor.execute("DELETE FROM staff_participation WHERE id = %s", [done.pk])
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("DELETE FROM staff_trainingcourse WHERE id = %s", [training.pk])
    assert Participation.objects.filter(pk=done.pk, result="completed").exists()
    # A registration without a result can still be withdrawn.
    other = services.participant_register(course=training, staff=helpers.staff(dept=cntt))
    services.participation_withdraw(participation=other)
    assert not Participation.objects.filter(pk=other.pk).exists()


def test_someone_not_employed_during_the_course_cannot_be_registered(cntt):
    gone = helpers.staff(dept=cntt, hired=date(2015, 1, 1))
    helpers.move(gone, date(2023, 1, 1), status="left")
    old = helpers.course(starts=date(2022, 3, 1), ends=date(2022, 3, 31))
    assert services.participant_register(course=old, staff=gone).pk  # history can be entered
    with pytest.raises(ValidationError, match="not employed"):
        services.participant_register(course=helpers.course(), staff=gone)
    newcomer = helpers.staff(dept=cntt, hired=date(2025, 1, 1))
    with pytest.raises(ValidationError):
        services.participant_register(course=old, staff=newcomer)


def test_a_registration_with_a_result_cannot_be_withdrawn(cntt):
    participation = helpers.complete(helpers.staff(dept=cntt), helpers.course())
    with pytest.raises(ValidationError) as excinfo:
        services.participation_withdraw(participation=participation)
    assert excinfo.value.code == "has_result"
    assert excinfo.value.messages == [
        str(training_services.HAS_RESULT % {"staff": participation.staff})]


# --- Competency --------------------------------------------------------------------------------


@pytest.fixture
def framework(db):
    return CompetencyFramework.objects.get(code="DigCompEdu")


@pytest.fixture
def period(framework):
    today = timezone.localdate()
    return services.period_save(period=AssessmentPeriod(
        framework=framework, name="Năm nay", starts_on=today.replace(month=1, day=1),
        ends_on=today.replace(month=12, day=31)))


def levels_for(framework, code):
    level = framework.levels.get(code=code)
    return {area.pk: level for area in framework.areas.all()}


def test_the_default_framework_is_digcompedu_with_six_areas_and_levels_a1_to_c2(framework):
    assert framework.is_active
    assert framework.areas.count() == 6
    assert list(framework.levels.values_list("code", flat=True)) == [
        "A1", "A2", "B1", "B2", "C1", "C2"]


def test_a_teacher_self_assesses_and_the_assessor_confirms_or_adjusts(
        teacher_staff, teacher, hr_officer, framework, period):
    assessment = services.self_assessment_submit(
        staff=teacher_staff, period=period, levels=levels_for(framework, "B1"), by=teacher)
    assert assessment.status == AssessmentStatus.SELF_ASSESSED
    adjusted = levels_for(framework, "B1")
    first_area = framework.areas.order_by("number").first()
    adjusted[first_area.pk] = framework.levels.get(code="A2")
    confirmed = services.assessment_confirm(assessment=assessment, levels=adjusted,
                                            by=hr_officer, note="Theo dự giờ")
    assert (confirmed.status, confirmed.assessor) == (AssessmentStatus.CONFIRMED, hr_officer)
    rating = confirmed.ratings.get(area=first_area)
    assert (rating.self_level.code, rating.level.code) == ("B1", "A2")
    with pytest.raises(ValidationError, match="confirmed"):
        services.self_assessment_submit(staff=teacher_staff, period=period,
                                        levels=levels_for(framework, "C2"), by=teacher)


def test_nobody_self_assesses_for_someone_else(teacher_staff, other_teacher, framework, period):
    with pytest.raises(ValidationError) as excinfo:
        services.self_assessment_submit(staff=teacher_staff, period=period,
                                        levels=levels_for(framework, "B1"), by=other_teacher)
    assert excinfo.value.code == "self_only"


def test_self_assessment_needs_an_open_current_period_and_every_area(
        teacher_staff, teacher, framework, period):
    partial = dict(list(levels_for(framework, "B1").items())[:5])
    with pytest.raises(ValidationError):
        services.self_assessment_submit(staff=teacher_staff, period=period, levels=partial,
                                        by=teacher)
    period.self_assessment_open = False
    period.save()
    with pytest.raises(ValidationError) as excinfo:
        services.self_assessment_submit(staff=teacher_staff, period=period,
                                        levels=levels_for(framework, "B1"), by=teacher)
    assert excinfo.value.code == "period_closed"
    past = services.period_save(period=AssessmentPeriod(
        framework=framework, name="2020", starts_on=date(2020, 1, 1), ends_on=date(2020, 12, 31)))
    with pytest.raises(ValidationError) as excinfo:
        services.self_assessment_submit(staff=teacher_staff, period=past,
                                        levels=levels_for(framework, "B1"), by=teacher)
    assert excinfo.value.code == "period_not_current"


# --- Indicators from the database ---------------------------------------------------------------


def test_a_past_figure_is_fixed_by_the_records_whatever_happens_later(cntt, ck):
    """From the database: a training completed later, a failed or only registered one, a
    course of another kind and someone leaving later do not move a past figure."""
    from staff import indicators, selectors

    def a1_a2(as_of):
        report = indicators.compute(selectors.indicator_facts(as_of=as_of), as_of=as_of)
        return tuple((r.overall.completed, r.overall.counted) for r in report.results)

    past = date(2024, 12, 31)
    ds_2024 = helpers.course("DS-24", starts=date(2024, 3, 1), ends=date(2024, 3, 31))
    trained, later, failed = (helpers.staff(dept=cntt) for _ in range(3))
    registered = helpers.staff(dept=ck, teacher=False, manager=True)
    leaves_later = helpers.staff(dept=ck)
    helpers.complete(trained, ds_2024)
    helpers.complete(leaves_later, ds_2024)
    helpers.complete(later, helpers.course("OT-24", kind="other"))  # wrong kind
    services.participation_record_result(
        participation=services.participant_register(course=ds_2024, staff=failed),
        result="failed")
    services.participant_register(course=ds_2024, staff=registered)
    gone = helpers.staff(dept=ck, hired=date(2015, 1, 1))
    helpers.complete(gone, ds_2024)
    helpers.move(gone, date(2024, 6, 30), status="left")  # left before the date

    before = a1_a2(past)
    assert before == ((2, 5), (0, 4))
    today = timezone.localdate()
    this_year = helpers.course("DS-NOW", starts=today.replace(month=1, day=1), ends=today)
    helpers.complete(later, this_year, on=today)
    helpers.complete(failed, helpers.course(
        "CW-NOW", kind="courseware", starts=today.replace(month=1, day=1), ends=today), on=today)
    helpers.move(leaves_later, today, status="left")
    assert a1_a2(past) == before
    assert a1_a2(today)[0] == (2, 4)  # later now trained; leaves_later no longer counted
