"""Sections: one-action generation from the programs' plans, uniqueness of module × semester
× class set, individual additions to the lists, and teaching assignments."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from enrollment.models import Enrollment, EnrollmentStatus
from staff.models import EmploymentStatus
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
    Section,
    SectionClass,
    SectionLearner,
    SectionLearnerSource,
    TeachingRole,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def it_program():
    school_year(2025)
    school_year(2026)
    return program()


def test_generation_opens_the_planned_modules_for_each_class_with_its_learners(it_program):
    a = homeroom_class(it_program, code="CD25CNTT1", members=3)
    b = homeroom_class(it_program, code="CD25CNTT2", members=2)
    result = services.semester_sections_generate(semester=semester(2025, 1))
    planned = sorted(it_program.modules.filter(planned_semester=1).values_list("code",
                                                                              flat=True))
    assert result.classes == 2 and result.sections == 2 * len(planned)
    assert result.learners == 5 * len(planned)
    assert sorted(a.sections.values_list("module__code", flat=True)) == planned
    section = a.sections.get(module__code="MĐ07")
    assert section.code == "MĐ07-CD25CNTT1"
    assert section.class_key == str(a.pk)
    assert section.learners.filter(source=SectionLearnerSource.CLASS).count() == 3
    assert b.sections.get(module__code="MĐ07").learners.count() == 2


def test_generation_follows_each_class_through_its_program_semesters(it_program):
    older = homeroom_class(it_program, year=2025, code="CD25CNTT1", members=1)
    newer = homeroom_class(it_program, year=2026, code="CD26CNTT1", members=1)
    # School year 2026-2027, semester 1: the 2025 class is in program semester 3.
    services.semester_sections_generate(semester=semester(2026, 1))
    assert set(older.sections.values_list("module__planned_semester", flat=True)) == {3}
    assert set(newer.sections.values_list("module__planned_semester", flat=True)) == {1}


def test_generation_is_idempotent_and_respects_merged_sections(it_program):
    a = homeroom_class(it_program, code="CD25CNTT1", members=2)
    b = homeroom_class(it_program, code="CD25CNTT2", members=2)
    first = semester(2025, 1)
    law = it_program.modules.get(code="MH02")
    merged = services.section_create(module=law, semester=first, classes=[a, b],
                                     schedule="Thứ 2, tiết 1-5, phòng A203")
    assert merged.code == "MH02-CD25CNTT1+CD25CNTT2"
    assert merged.learners.count() == 4
    result = services.semester_sections_generate(semester=first)
    assert result.already_served == 2
    assert a.sections.filter(module=law).count() == 1
    again = services.semester_sections_generate(semester=first)
    assert (again.sections, again.learners) == (0, 0)
    assert Section.objects.filter(semester=first).count() == result.sections + 1


def test_electives_are_generated_only_when_asked(it_program):
    klass = homeroom_class(it_program, year=2025, members=1)
    fifth = semester(2027, 1)  # program semester 5 of the 2025 class
    services.semester_sections_generate(semester=fifth)
    assert not klass.sections.filter(module__kind="elective").exists()
    services.semester_sections_generate(semester=fifth, include_electives=True)
    assert klass.sections.filter(module__code="MĐ13").exists()


def test_generation_runs_in_a_fixed_number_of_queries(it_program):
    for n in range(4):
        homeroom_class(it_program, code=f"CD25CNTT{n + 1}", members=3)
    with CaptureQueriesContext(connection) as few:
        services.semester_sections_generate(semester=semester(2025, 1))
    Section.objects.all().delete()
    for n in range(4, 12):
        homeroom_class(it_program, code=f"CD25CNTT{n + 1}", members=3)
    with CaptureQueriesContext(connection) as many:
        services.semester_sections_generate(semester=semester(2025, 1))
    assert len(many.captured_queries) == len(few.captured_queries) < 25


def test_summer_terms_have_no_planned_sections(it_program):
    with pytest.raises(ValidationError) as caught:
        services.semester_sections_generate(semester=semester(2025, 3))
    assert codes(caught.value) == {"summer_not_planned"}


def test_one_section_per_module_semester_and_class_set(it_program):
    a = homeroom_class(it_program, code="CD25CNTT1")
    b = homeroom_class(it_program, code="CD25CNTT2")
    first = semester(2025, 1)
    law = it_program.modules.get(code="MH02")
    services.section_create(module=law, semester=first, classes=[b, a])
    with pytest.raises(ValidationError) as caught:
        services.section_create(module=law, semester=first, classes=[a, b], code="OTHER")
    assert codes(caught.value) == {"section_exists"}
    # A section for a different set of classes is another section.
    services.section_create(module=law, semester=first, classes=[a])
    # The database holds the key as well, checked at commit (deferred) or when asked.
    with pytest.raises(IntegrityError), transaction.atomic():
        section = Section.objects.create(module=law, semester=first, code="RAW")
        SectionClass.objects.create(section=section, homeroom_class=a)
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    # Two classless re-study groups of the same module are allowed.
    services.section_create(module=law, semester=first, code="MH02-HL1")
    services.section_create(module=law, semester=first, code="MH02-HL2")


def test_section_codes_are_unique_per_semester(it_program):
    law = it_program.modules.get(code="MH02")
    services.section_create(module=law, semester=semester(2025, 1), code="MH02-HL")
    with pytest.raises(ValidationError) as caught:
        services.section_create(module=law, semester=semester(2025, 1), code="MH02-HL")
    assert codes(caught.value) == {"section_code_taken"}
    services.section_create(module=law, semester=semester(2025, 2), code="MH02-HL")


def test_a_class_cannot_take_a_module_its_program_lacks(it_program):
    accounting = program(occupation("6340301", "Kế toán"), short_code="KT",
                         modules=[("MH02", "Pháp luật", "general", 2, 18, 10, 2, 1),
                                  ("MĐ20", "Kế toán tài chính", "specialized", 30, 200, 800,
                                   20, 2),
                                  ("MĐ21", "Kế toán quản trị", "specialized", 30, 200, 800,
                                   20, 3)],
                         prerequisites=None)
    kt = homeroom_class(accounting, code="CD25KT1")
    cntt = homeroom_class(it_program, code="CD25CNTT1")
    # General modules shared by code and name can be taught to both together...
    services.section_create(module=it_program.modules.get(code="MH02"),
                            semester=semester(2025, 1), classes=[cntt, kt])
    # ...but not a specialised one of another occupation.
    with pytest.raises(ValidationError) as caught:
        services.section_create(module=it_program.modules.get(code="MĐ07"),
                                semester=semester(2025, 1), classes=[kt])
    assert codes(caught.value) == {"module_not_for_class"}


def test_individual_additions_need_a_reason_and_a_module_of_the_learners_program(it_program):
    klass = homeroom_class(it_program, year=2025, members=1)
    enrollment = klass.memberships.get().enrollment
    law = it_program.modules.get(code="MH02")
    group = services.section_create(module=law, semester=semester(2026, 1), code="MH02-HL",
                                    capacity=1)
    with pytest.raises(ValidationError) as caught:
        services.section_learner_add(section=group, enrollment=enrollment,
                                     source=SectionLearnerSource.RESTUDY, reason=" ")
    assert codes(caught.value) == {"reason_required"}
    entry = services.section_learner_add(section=group, enrollment=enrollment,
                                         source=SectionLearnerSource.RESTUDY,
                                         reason="Học lại: điểm F học kỳ 1")
    assert (entry.module, entry.semester) == (law, group.semester)
    with pytest.raises(ValidationError) as caught:
        services.section_learner_add(section=group, enrollment=enrollment,
                                     source=SectionLearnerSource.RESTUDY, reason="Lần nữa")
    assert codes(caught.value) == {"already_on_list"}
    # Full, and a learner of another occupation is refused as well.
    other = homeroom_class(it_program, year=2025, members=1).memberships.get().enrollment
    with pytest.raises(ValidationError) as caught:
        services.section_learner_add(section=group, enrollment=other,
                                     source=SectionLearnerSource.RESTUDY, reason="Học lại")
    assert codes(caught.value) == {"section_full"}
    stranger = enrol(occ=occupation("6340301", "Kế toán"))
    group.capacity = None
    group.save()
    with pytest.raises(ValidationError) as caught:
        services.section_learner_add(section=group, enrollment=stranger,
                                     source=SectionLearnerSource.RESTUDY, reason="Học lại")
    assert codes(caught.value) == {"no_program"}


def test_a_learner_takes_a_module_once_per_semester(it_program):
    klass = homeroom_class(it_program, members=1)
    services.semester_sections_generate(semester=semester(2025, 1))
    enrollment = klass.memberships.get().enrollment
    other_group = services.section_create(module=it_program.modules.get(code="MH02"),
                                          semester=semester(2025, 1), code="MH02-HL")
    with pytest.raises(ValidationError) as caught:
        services.section_learner_add(section=other_group, enrollment=enrollment,
                                     source=SectionLearnerSource.IMPROVEMENT, reason="Cải thiện")
    assert codes(caught.value) == {"already_in_module"}
    entry = SectionLearner.objects.get(enrollment=enrollment, module__code="MH02")
    with pytest.raises(IntegrityError), transaction.atomic():
        SectionLearner.objects.create(section=other_group, enrollment=enrollment,
                                      module=entry.module, semester=entry.semester,
                                      source="other", reason="x", added_at=entry.added_at)


def test_removal_is_recorded_and_the_learner_can_come_back(it_program):
    klass = homeroom_class(it_program, members=1)
    services.semester_sections_generate(semester=semester(2025, 1))
    entry = SectionLearner.objects.filter(enrollment__in=Enrollment.objects.filter(
        class_memberships__homeroom_class=klass)).first()
    with pytest.raises(ValidationError):
        services.section_learner_remove(entry=entry, reason="")
    services.section_learner_remove(entry=entry, reason="Miễn học (đã học ở trường khác)")
    entry.refresh_from_db()
    assert entry.removed_at is not None and not entry.is_active
    again = services.section_learner_add(section=entry.section, enrollment=entry.enrollment,
                                         source=SectionLearnerSource.OTHER,
                                         reason="Hủy quyết định miễn học")
    assert again.pk == entry.pk and again.is_active


def test_learners_who_do_not_study_are_not_listed(it_program):
    klass = homeroom_class(it_program, members=2)
    paused = klass.memberships.first().enrollment
    Enrollment.objects.filter(pk=paused.pk).update(status=EnrollmentStatus.RESERVED)
    services.semester_sections_generate(semester=semester(2025, 1))
    assert not SectionLearner.objects.filter(enrollment=paused).exists()


def test_teaching_assignments(it_program):
    klass = homeroom_class(it_program)
    section = services.section_create(module=it_program.modules.get(code="MĐ07"),
                                      semester=semester(2025, 1), classes=[klass])
    main = staff_member(name="Nguyễn Văn Hùng")
    services.teaching_assign(section=section, staff=main)
    with pytest.raises(ValidationError) as caught:
        services.teaching_assign(section=section, staff=staff_member(name="Hoàng Thị Lan"))
    assert codes(caught.value) == {"main_taken"}
    services.teaching_assign(section=section, staff=staff_member(name="Hoàng Thị Lan"),
                             role=TeachingRole.PRACTICE, hours=56)
    with pytest.raises(ValidationError) as caught:
        services.teaching_assign(section=section, staff=main, role=TeachingRole.CO_TEACHER)
    assert codes(caught.value) == {"already_teaches"}
    with pytest.raises(ValidationError) as caught:
        services.teaching_assign(section=section, staff=staff_member(teacher=False),
                                 role=TeachingRole.CO_TEACHER)
    assert codes(caught.value) == {"not_a_teacher"}
    with pytest.raises(ValidationError) as caught:
        services.teaching_assign(section=section, role=TeachingRole.CO_TEACHER,
                                 staff=staff_member(status=EmploymentStatus.LEFT))
    assert codes(caught.value) == {"teacher_not_active"}
    assert section.assignments.count() == 2


def test_sections_lock_their_program_even_without_classes():
    school_year(2025)
    version = program()
    assert not version.is_locked
    services.section_create(module=version.modules.get(code="MH02"), semester=semester(2025, 1),
                            code="MH02-HL")
    version.refresh_from_db()
    assert version.is_locked


def test_late_placement_joins_the_sections_of_the_semester(it_program):
    klass = homeroom_class(it_program, members=1)
    services.semester_sections_generate(semester=semester(2025, 1))
    late = enrolments(1, occ=it_program.occupation)[0]
    services.class_enroll(homeroom_class=klass, enrollments=[late], on=date(2025, 10, 1))
    assert SectionLearner.objects.filter(enrollment=late).count() == klass.sections.count()
