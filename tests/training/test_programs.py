"""Program versions: creation, modules and plans, activation, and the freeze of versions in
use — refused by the services and, behind them, by the database."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, transaction

from tests.enrollment.factories import enrol, occupation
from tests.training.factories import IT_MODULES, homeroom_class, program, school_year
from training import services
from training.models import (
    AssessmentComponent,
    AssessmentKind,
    EnrollmentProgram,
    LearningOutcome,
    Module,
    ModuleKind,
    ModulePrerequisite,
    OutcomeDomain,
    Program,
    ProgramStatus,
)
from training.services.programs import PlanLine

pytestmark = pytest.mark.django_db


def codes(exc: ValidationError) -> set[str]:
    found = set()
    for error in exc.error_list if not hasattr(exc, "error_dict") else [
            e for errors in exc.error_dict.values() for e in errors]:
        found.add(error.code)
    return found


def test_a_program_sums_its_modules_and_plans_default_checks_by_credits():
    version = program(activate=False)
    assert version.total_credits == sum(m[3] for m in IT_MODULES)
    assert version.total_hours == sum(m[4] + m[5] + m[6] for m in IT_MODULES)
    module = services.module_save(program=version, code="md 17", name_vi="Kiểm thử phần mềm",
                                  kind=ModuleKind.SPECIALIZED, credits=4, theory_hours=30,
                                  practice_hours=56, exam_hours=4, planned_semester=5)
    assert module.code == "MD17"
    plan = {line.kind: line.count for line in module.assessment_plan.all()}
    assert plan == {AssessmentKind.CONTINUOUS: 2, AssessmentKind.PERIODIC: 2,
                    AssessmentKind.EXAM: 1}
    small = services.module_save(program=version, code="MH18", name_vi="Kỹ năng mềm",
                                 kind=ModuleKind.GENERAL, credits=2, theory_hours=20,
                                 practice_hours=8, exam_hours=2, planned_semester=2)
    assert {line.kind: line.count for line in small.assessment_plan.all()}[
        AssessmentKind.CONTINUOUS] == 1


def test_physical_education_and_defence_do_not_count_in_gpa():
    version = program(activate=False)
    flags = dict(version.modules.values_list("name_vi", "counts_in_gpa"))
    assert flags["Giáo dục thể chất"] is False
    assert flags["Giáo dục quốc phòng và an ninh"] is False
    assert flags["Cơ sở dữ liệu"] is True


def test_module_codes_are_unique_within_a_version_in_the_service_and_the_database():
    version = program(activate=False)
    with pytest.raises(ValidationError) as caught:
        services.module_save(program=version, code="mh 01", name_vi="Chính trị",
                             kind=ModuleKind.GENERAL, credits=2, theory_hours=20,
                             planned_semester=1)
    assert codes(caught.value) == {"module_code_taken"}
    with pytest.raises(IntegrityError), transaction.atomic():
        Module.objects.create(program=version, code="MH01", name_vi="x", kind="general",
                              credits=1, theory_hours=1, planned_semester=1)
    # The same code in another version is fine.
    other = program(occupation("5480201", "Công nghệ thông tin"), activate=False,
                    modules=IT_MODULES[:8], prerequisites=None)
    assert other.modules.filter(code="MH01").exists()


def test_prerequisites_must_come_earlier_and_exist():
    version = program(activate=False)
    web = version.modules.get(code="MĐ10")
    with pytest.raises(ValidationError) as caught:
        services.module_save(program=version, module=web, code=web.code, name_vi=web.name_vi,
                             kind=web.kind, credits=web.credits, theory_hours=30,
                             practice_hours=86, exam_hours=4, planned_semester=3,
                             prerequisites=["MĐ11"])
    assert codes(caught.value) == {"prerequisite_not_earlier"}
    with pytest.raises(ValidationError) as caught:
        services.module_save(program=version, module=web, code=web.code, name_vi=web.name_vi,
                             kind=web.kind, credits=web.credits, theory_hours=30,
                             practice_hours=86, exam_hours=4, planned_semester=3,
                             prerequisites=["XX99"])
    assert codes(caught.value) == {"prerequisite_unknown"}
    # Moving a prerequisite after its dependant is refused as well.
    basics = version.modules.get(code="MĐ07")
    with pytest.raises(ValidationError) as caught:
        services.module_save(program=version, module=basics, code=basics.code,
                             name_vi=basics.name_vi, kind=basics.kind, credits=4,
                             theory_hours=30, practice_hours=56, exam_hours=4,
                             planned_semester=3)
    assert codes(caught.value) == {"prerequisite_of_later"}


def test_a_prerequisite_of_another_version_is_refused_by_the_database():
    a = program(activate=False)
    b = program(occupation("5480201", "Công nghệ thông tin"), activate=False,
                modules=IT_MODULES[:8], prerequisites=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        ModulePrerequisite.objects.create(module=a.modules.get(code="MĐ09"),
                                          requires=b.modules.get(code="MĐ07"))


def test_activation_lists_what_is_missing():
    version = services.program_create(occupation=occupation(), effective_year=2025)
    services.module_save(program=version, code="MH01", name_vi="Giáo dục chính trị",
                         kind=ModuleKind.GENERAL, credits=4, theory_hours=41,
                         practice_hours=29, exam_hours=5, planned_semester=1,
                         assessment_plan=[PlanLine(AssessmentKind.EXAM, 1, "written")])
    with pytest.raises(ValidationError) as caught:
        services.program_activate(program=version)
    messages = " ".join(caught.value.messages)
    assert "no learning outcomes" in messages
    assert "below the minimum of 60" in messages
    assert "MH01 has no continuous or periodic check" in messages
    version.refresh_from_db()
    assert version.status == ProgramStatus.DRAFT


def test_the_level_given_must_be_the_occupations():
    with pytest.raises(ValidationError) as caught:
        services.program_create(occupation=occupation(), effective_year=2025,
                                level="intermediate")
    assert codes(caught.value) == {"level_mismatch"}


def test_one_version_per_occupation_and_year():
    program(activate=False)
    with pytest.raises(ValidationError) as caught:
        services.program_create(occupation=occupation(), effective_year=2025)
    assert codes(caught.value) == {"version_exists"}


# --- Versions in use are frozen ---------------------------------------------------------------


@pytest.fixture
def in_use():
    version = program()
    homeroom_class(version, members=2)
    version.refresh_from_db()
    return version


def test_a_class_puts_a_version_in_use(in_use):
    assert in_use.is_locked


def test_services_refuse_to_edit_a_version_in_use(in_use):
    module = in_use.modules.get(code="MĐ10")
    attempts = [
        lambda: services.program_update(program=in_use, name_vi="Tên mới"),
        lambda: services.module_save(program=in_use, module=module, code=module.code,
                                     name_vi="Thiết kế web nâng cao", kind=module.kind,
                                     credits=5, theory_hours=30, practice_hours=86,
                                     exam_hours=4, planned_semester=3),
        lambda: services.module_delete(module=module),
        lambda: services.outcome_save(program=in_use, code="S9", domain=OutcomeDomain.SKILLS,
                                      text_vi="Mới"),
        lambda: services.program_delete(program=in_use),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError) as caught:
            attempt()
        assert codes(caught.value) & {"program_in_use", "delete_not_draft"}
    assert in_use.modules.get(code="MĐ10").name_vi == "Thiết kế web"


@pytest.mark.parametrize("write", [
    "program_name", "program_unlock", "program_delete", "module_update", "module_insert",
    "module_delete", "outcome_update", "plan_update", "prerequisite_delete",
])
def test_the_database_refuses_edits_of_a_version_in_use(in_use, write):
    module = in_use.modules.get(code="MĐ09")
    actions = {
        "program_name": lambda: Program.objects.filter(pk=in_use.pk).update(name_vi="Khác"),
        "program_unlock": lambda: Program.objects.filter(pk=in_use.pk).update(is_locked=False),
        "program_delete": lambda: Program.objects.filter(pk=in_use.pk).delete(),
        "module_update": lambda: Module.objects.filter(pk=module.pk).update(credits=9),
        "module_insert": lambda: Module.objects.create(
            program=in_use, code="MĐ99", name_vi="Mới", kind="core", credits=1,
            theory_hours=10, planned_semester=1),
        "module_delete": lambda: Module.objects.filter(pk=module.pk).delete(),
        "outcome_update": lambda: LearningOutcome.objects.filter(program=in_use).update(
            is_digital_capability=False),
        "plan_update": lambda: AssessmentComponent.objects.filter(module=module).update(
            count=3),
        "prerequisite_delete": lambda: ModulePrerequisite.objects.filter(
            module=module).delete(),
    }
    # Triggers raise SQLSTATE 23001 (IntegrityError) or pgtrigger's P0001.
    with pytest.raises(DatabaseError), transaction.atomic():
        actions[write]()


def test_a_version_in_use_can_still_be_retired(in_use):
    services.program_retire(program=in_use)
    in_use.refresh_from_db()
    assert in_use.status == ProgramStatus.RETIRED and in_use.is_locked


def test_a_draft_cannot_be_put_in_use_even_by_raw_writes():
    draft = program(activate=False)
    enrollment = enrol()
    with pytest.raises(IntegrityError), transaction.atomic():
        EnrollmentProgram.objects.create(enrollment=enrollment, program=draft,
                                         since=date(2025, 9, 5))


def test_a_new_version_copies_everything_and_the_learners_keep_theirs(in_use):
    learners_before = set(EnrollmentProgram.objects.filter(program=in_use)
                          .values_list("enrollment_id", flat=True))
    copy = services.program_new_version(program=in_use, effective_year=2026)
    assert copy.status == ProgramStatus.DRAFT and not copy.is_locked
    assert copy.previous_version == in_use
    assert copy.total_credits == in_use.total_credits
    assert sorted(copy.modules.values_list("code", flat=True)) == sorted(
        in_use.modules.values_list("code", flat=True))
    assert copy.outcomes.filter(is_digital_capability=True).count() == 1
    assert AssessmentComponent.objects.filter(module__program=copy).count() == \
        AssessmentComponent.objects.filter(module__program=in_use).count()
    assert set(ModulePrerequisite.objects.filter(module__program=copy).values_list(
        "module__code", "requires__code")) == {("MĐ09", "MĐ07"), ("MĐ11", "MĐ10"),
                                               ("MĐ11", "MH08")}
    # The copy is editable; the original is not touched.
    module = copy.modules.get(code="MĐ10")
    services.module_save(program=copy, module=module, code="MĐ10",
                         name_vi="Thiết kế web và trải nghiệm người dùng", kind=module.kind,
                         credits=5, theory_hours=30, practice_hours=86, exam_hours=4,
                         planned_semester=3)
    assert in_use.modules.get(code="MĐ10").name_vi == "Thiết kế web"
    assert set(EnrollmentProgram.objects.filter(program=in_use)
               .values_list("enrollment_id", flat=True)) == learners_before
    # A second version in the same year gets the next revision.
    again = services.program_new_version(program=in_use, effective_year=2026)
    assert (again.effective_year, again.revision, again.version_label) == (2026, 2, "2026.2")


def test_a_new_version_cannot_predate_the_old_one(in_use):
    with pytest.raises(ValidationError) as caught:
        services.program_new_version(program=in_use, effective_year=2024)
    assert codes(caught.value) == {"new_version_year"}


def test_calendar_school_year_name_and_semester_overlap():
    year = school_year(2025)
    assert str(year) == "2025-2026"
    with pytest.raises(ValidationError) as caught:
        services.semester_save(school_year=year, number=3, starts_on=date(2026, 6, 1),
                               ends_on=date(2026, 8, 1))
    assert codes(caught.value) == {"semester_exists"}
