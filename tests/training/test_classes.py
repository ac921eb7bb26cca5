"""Classes: opened from the enrolments, learners placed and moved with their history."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, transaction

from enrollment.models import EnrollmentStatus
from tests.enrollment.factories import enrol, occupation
from tests.training.factories import (
    enrolments,
    homeroom_class,
    program,
    school_year,
    semester,
    staff_member,
)
from tests.training.test_programs import codes
from training import services
from training.models import (
    ClassMembership,
    EnrollmentProgram,
    HomeroomClass,
    MembershipEnd,
    MembershipReason,
    SectionLearner,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def it_program():
    school_year(2025)
    return program()


def test_classes_open_places_every_waiting_enrolment_evenly(it_program):
    waiting = enrolments(75, occ=it_program.occupation)
    enrolments(3, occ=it_program.occupation, year=2024)  # another admission year
    advisor = staff_member()
    classes = services.classes_open(program=it_program, admission_year=2025, class_size=35,
                                    on=date(2025, 9, 5), advisor=advisor)
    assert [c.code for c in classes] == ["CD25CNTT1", "CD25CNTT2", "CD25CNTT3"]
    sizes = [c.memberships.filter(to_date__isnull=True).count() for c in classes]
    assert sizes == [25, 25, 25]
    assert all(c.advisor == advisor and c.first_semester == semester(2025, 1) for c in classes)
    assert EnrollmentProgram.objects.filter(program=it_program).count() == len(waiting)
    it_program.refresh_from_db()
    assert it_program.is_locked
    # Nobody is left waiting, so a second run says so.
    with pytest.raises(ValidationError) as caught:
        services.classes_open(program=it_program, admission_year=2025)
    assert codes(caught.value) == {"nothing_to_place"}


def test_class_codes_are_unique_case_insensitively(it_program):
    homeroom_class(it_program, code="cd25cntt9")
    assert HomeroomClass.objects.filter(code="CD25CNTT9").exists()
    with pytest.raises(ValidationError) as caught:
        homeroom_class(it_program, code="CD25CNTT9")
    assert codes(caught.value) == {"class_code_taken"}
    with pytest.raises(IntegrityError), transaction.atomic():
        HomeroomClass.objects.create(code="CD25CNTT9", program=it_program, admission_year=2025)
    with pytest.raises(IntegrityError), transaction.atomic():
        HomeroomClass.objects.create(code="cd25cntt10", program=it_program,
                                     admission_year=2025)


def test_classes_follow_versions_in_force_only():
    draft = program(activate=False)
    with pytest.raises(ValidationError) as caught:
        services.class_create(program=draft, admission_year=2025, code="CD25X1")
    assert codes(caught.value) == {"program_not_active"}


def test_placement_refuses_the_wrong_learners_all_or_nothing(it_program):
    klass = homeroom_class(it_program, capacity=40)
    good = enrol(occ=it_program.occupation)
    other_occupation = enrol(occ=occupation("6340301", "Kế toán"))
    reserved = enrol(occ=it_program.occupation, status=EnrollmentStatus.RESERVED)
    with pytest.raises(ValidationError) as caught:
        services.class_enroll(homeroom_class=klass,
                              enrollments=[good, other_occupation, reserved])
    assert codes(caught.value) == {"other_occupation", "not_studying"}
    assert not ClassMembership.objects.filter(enrollment=good).exists()
    services.class_enroll(homeroom_class=klass, enrollments=[good], on=date(2025, 9, 5))
    with pytest.raises(ValidationError) as caught:
        services.class_enroll(homeroom_class=klass, enrollments=[good])
    assert codes(caught.value) == {"already_placed"}


def test_the_database_refuses_a_member_of_another_occupation(it_program):
    klass = homeroom_class(it_program)
    stranger = enrol(occ=occupation("6340301", "Kế toán"))
    with pytest.raises(IntegrityError), transaction.atomic():
        ClassMembership.objects.create(homeroom_class=klass, enrollment=stranger,
                                       from_date=date(2025, 9, 5),
                                       reason=MembershipReason.PLACEMENT)


def test_capacity_is_kept(it_program):
    klass = homeroom_class(it_program, capacity=2)
    with pytest.raises(ValidationError) as caught:
        services.class_enroll(homeroom_class=klass,
                              enrollments=enrolments(3, occ=it_program.occupation))
    assert codes(caught.value) == {"class_full"}


def test_moving_a_learner_keeps_the_history_and_moves_the_section_lists(it_program):
    a = homeroom_class(it_program, code="CD25CNTT1", members=3)
    b = homeroom_class(it_program, code="CD25CNTT2", members=2)
    services.semester_sections_generate(semester=semester(2025, 1))
    enrollment = a.memberships.first().enrollment
    retake = b.sections.get(module__code="MH02")
    membership = services.learner_move(enrollment=enrollment, to_class=b, on=date(2025, 10, 1),
                                       note="Theo nguyện vọng", decision_number="45/QĐ-CĐSH")
    history = list(ClassMembership.objects.filter(enrollment=enrollment).order_by("from_date"))
    assert [(m.homeroom_class.code, m.from_date, m.to_date, m.end_reason) for m in history] == [
        ("CD25CNTT1", date(2025, 9, 5), date(2025, 10, 1), MembershipEnd.MOVED),
        ("CD25CNTT2", date(2025, 10, 1), None, ""),
    ]
    assert membership.reason == MembershipReason.TRANSFER
    active = set(SectionLearner.objects.filter(enrollment=enrollment, removed_at__isnull=True)
                 .values_list("section__code", flat=True))
    assert active == set(b.sections.values_list("code", flat=True))
    assert retake.code in active
    left = SectionLearner.objects.filter(enrollment=enrollment, removed_at__isnull=False)
    assert left.count() == a.sections.count()
    assert all("CD25CNTT2" in entry.removed_reason for entry in left)


def test_class_history_is_never_rewritten(it_program):
    klass = homeroom_class(it_program, members=1)
    membership = klass.memberships.get()
    with pytest.raises(DatabaseError), transaction.atomic():
        ClassMembership.objects.filter(pk=membership.pk).delete()
    with pytest.raises(DatabaseError), transaction.atomic():
        ClassMembership.objects.filter(pk=membership.pk).update(from_date=date(2025, 1, 1))
    services.class_membership_end(enrollment=membership.enrollment, on=date(2025, 12, 1))
    with pytest.raises(DatabaseError), transaction.atomic():
        ClassMembership.objects.filter(pk=membership.pk).update(to_date=date(2026, 1, 1))


def test_membership_periods_of_one_enrolment_never_overlap(it_program):
    a = homeroom_class(it_program, members=1)
    b = homeroom_class(it_program)
    membership = a.memberships.get()
    services.class_membership_end(enrollment=membership.enrollment, on=date(2025, 12, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        ClassMembership.objects.create(homeroom_class=b, enrollment=membership.enrollment,
                                       from_date=date(2025, 11, 1),
                                       reason=MembershipReason.RETURN)


def test_moving_to_another_version_needs_confirmation(it_program):
    a = homeroom_class(it_program, members=1)
    new_version = services.program_new_version(program=it_program, effective_year=2026)
    services.program_activate(program=new_version)
    school_year(2026)
    later = homeroom_class(new_version, year=2026)
    enrollment = a.memberships.get().enrollment
    with pytest.raises(ValidationError) as caught:
        services.learner_move(enrollment=enrollment, to_class=later, on=date(2026, 9, 1),
                              reason=MembershipReason.RETURN)
    assert codes(caught.value) == {"other_program"}
    services.learner_move(enrollment=enrollment, to_class=later, on=date(2026, 9, 1),
                          reason=MembershipReason.RETURN, change_program=True,
                          decision_number="88/QĐ-CĐSH", note="Trở lại học sau bảo lưu")
    link = EnrollmentProgram.objects.get(enrollment=enrollment)
    assert link.program == new_version and link.since == date(2026, 9, 1)
    assert link.events.count() == 2  # the history of the change is kept


def test_move_errors_are_clear(it_program):
    a = homeroom_class(it_program, members=1)
    enrollment = a.memberships.get().enrollment
    with pytest.raises(ValidationError) as caught:
        services.learner_move(enrollment=enrollment, to_class=a)
    assert codes(caught.value) == {"same_class"}
    b = homeroom_class(it_program)
    with pytest.raises(ValidationError) as caught:
        services.learner_move(enrollment=enrollment, to_class=b, on=date(2025, 1, 1))
    assert codes(caught.value) == {"move_before_placement"}
    with pytest.raises(ValidationError) as caught:
        services.learner_move(enrollment=enrol(occ=it_program.occupation), to_class=b)
    assert codes(caught.value) == {"not_placed"}
