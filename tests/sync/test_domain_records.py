"""The domain apps' national.py: payloads fit the contract, and their tables feed the outbox."""

from datetime import date

import pytest

from enrollment.national import enrollment_record, learner_record
from staff.national import staff_record
from tests.enrollment.factories import LearnerFactory, enrol
from tests.staff import helpers
from vetschool.sync import contract
from vetschool.sync.models import Change

pytestmark = pytest.mark.django_db


def _fits_contract(record_type: str, key: dict, data: dict) -> None:
    schema = contract.schemas()[record_type]
    fields = {**key, **data}
    missing = [name for name in schema["required"] if fields.get(name) in (None, "")
               and name not in ("class_code",)]
    assert missing == []
    assert set(fields) <= set(schema["properties"])
    assert tuple(key) == contract.key_fields(record_type)


def test_learner_and_enrollment_records_fit_the_contract():
    enrollment = enrol()
    key, data = learner_record(enrollment.learner)
    _fits_contract("learner", key, data)
    assert key == {"national_id": enrollment.learner.national_id}
    assert data["province_code"] == "01"
    key, data = enrollment_record(enrollment)
    _fits_contract("enrollment", key, data)
    assert key["occupation_code"] == enrollment.occupation.code
    assert data["status"] == "studying"


def test_a_learner_without_a_personal_id_is_not_pushed():
    assert learner_record(LearnerFactory.build(national_id="")) is None


def test_staff_record_reports_trainings_with_their_dates():
    department = helpers.department("CNTT", "Khoa Công nghệ thông tin")
    member = helpers.staff("GV0001", dept=department, full_name="Nguyễn Văn Hùng")
    key, data = staff_record(member)
    _fits_contract("staff", key, data)
    assert data["digital_skills_trained"] is False
    helpers.complete(member, helpers.course("KN1", kind="digital_skills"), on=date(2025, 3, 2))
    member.refresh_from_db()
    key, data = staff_record(member)
    assert data["digital_skills_trained"] is True
    assert data["digital_skills_trained_on"] == date(2025, 3, 2)
    assert data["courseware_trained"] is False


def test_writes_to_learners_enrolments_and_staff_leave_changes_in_the_same_transaction():
    before = Change.objects.count()
    enrollment = enrol()
    department = helpers.department("CK", "Khoa Cơ khí")
    helpers.staff("GV0002", dept=department)
    tables = set(Change.objects.values_list("table_name", flat=True))
    assert {"enrollment_learner", "enrollment_enrollment", "staff_staffmember"} <= tables
    assert Change.objects.count() > before
    assert Change.objects.filter(table_name="enrollment_enrollment",
                                 row_pk=str(enrollment.pk)).exists()


def test_module_results_and_term_summaries_fit_the_contract(teacher, registrar):
    from grading.models import ModuleResult, TermSummary
    from grading.national import module_result_record, term_summary_record
    from tests.grading.factories import section, world
    from tests.grading.test_gradebook import fill, submit_and_approve

    w = world(2)
    sec = section(w, "MH08", teacher=teacher)
    fill(sec, teacher, {"TX1": ["8.5", "7"], "DK1": ["8", "7"], "THI1": ["9", "3.0"]})
    submit_and_approve(sec, teacher, registrar)

    result = ModuleResult.objects.filter(score_10__isnull=False).first()
    key, data = module_result_record(result)
    _fits_contract("module_result", key, data)
    assert key["module_code"] == "MH08"
    assert data["letter"] in "ABCDF"
    summary = TermSummary.objects.first()
    key, data = term_summary_record(summary)
    _fits_contract("term_summary", key, data)
    assert key["academic_year"] == "2025-2026"
    assert Change.objects.filter(table_name="training_moduleresult").exists()


def _build_queries(record_type: str, pks) -> tuple[int, object]:
    """Queries to build and queue these objects' records (as a push does, one chunk)."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from vetschool.sync import outbox, registry

    tally = outbox.Tally()
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        outbox.lock()
        outbox.process_roots(registry.get_type(record_type), pks, force=True, tally=tally)
        transaction.set_rollback(True)
    return len(queries.captured_queries), tally


def test_a_chunk_of_module_results_or_staff_is_built_in_a_fixed_number_of_queries(
        teacher, registrar, hr_officer):
    """The registered querysets load everything build reads (no query per record): a full
    push builds ~800,000 module results."""
    from grading.models import ModuleResult
    from tests.grading.factories import section, world
    from tests.grading.test_gradebook import fill, submit_and_approve
    from tests.staff.test_services import levels_for

    w = world(3)
    sec = section(w, "MH08", teacher=teacher)
    fill(sec, teacher, {"TX1": ["8.5", "7", "6"], "DK1": ["8", "7", "6"],
                        "THI1": ["9", "3.0", "7"]})
    submit_and_approve(sec, teacher, registrar)
    results = list(ModuleResult.objects.filter(score_10__isnull=False).values_list("pk",
                                                                                   flat=True))
    assert len(results) == 3
    one, _tally = _build_queries("module_result", results[:1])
    three, tally = _build_queries("module_result", results)
    assert one == three
    assert tally.queued[("module_result", "upsert")] == 3

    from staff import services
    from staff.models import AssessmentPeriod, CompetencyFramework
    from staff.national import staff_record
    from vetschool.sync import registry

    framework = CompetencyFramework.objects.get(code="DigCompEdu")
    period = services.period_save(period=AssessmentPeriod(
        framework=framework, name="2025", starts_on=date(2025, 1, 1),
        ends_on=date(2025, 12, 31)))
    department = helpers.department("CK", "Khoa Cơ khí")
    members = [helpers.staff(f"GV1{n:03d}", dept=department) for n in range(3)]
    for member in members:
        helpers.complete(member, helpers.course(f"KN{member.pk}"), on=date(2025, 3, 2))
    for member, code in ((members[0], "B1"), (members[1], "C1")):
        services.assessment_confirm(
            assessment=services.assessment_start(staff=member, period=period),
            levels=levels_for(framework, code), by=hr_officer)
    one, _tally = _build_queries("staff", [members[0].pk])
    three, tally = _build_queries("staff", [m.pk for m in members])
    assert one == three
    assert tally.queued[("staff", "upsert")] == 3
    built = {m.pk: staff_record(m)[1] for m in registry.get_type("staff").get_queryset()
             .filter(pk__in=[m.pk for m in members])}
    assert [built[m.pk]["digital_competency_level"] for m in members] == ["B1", "C1", None]
    assert all(built[m.pk]["digital_skills_trained"] for m in members)


def test_only_a_changed_personal_id_re_keys_the_learners_enrolments_and_results():
    from enrollment.models import Learner
    from tests.enrollment.factories import national_id_for
    from vetschool.sync import outbox, registry

    enrollment = enrol()
    learner = enrollment.learner
    outbox.resolve_all()
    old_id = learner.national_id
    new_id = national_id_for(learner.date_of_birth, learner.gender, province="079")
    assert new_id != old_id
    renamed = [{"id": learner.pk, "national_id": old_id, "full_name": "Nguyễn Văn An"},
               {"id": learner.pk, "national_id": old_id, "full_name": "Nguyễn Văn Ân"}]
    rekeyed = [{"id": learner.pk, "national_id": old_id},
               {"id": learner.pk, "national_id": new_id}]
    for name in ("enrollment", "module_result", "term_summary"):
        assert list(registry.get_type(name).sources[Learner](renamed)) == []
    assert list(registry.get_type("enrollment").sources[Learner](rekeyed)) == [enrollment.pk]

    Learner.objects.filter(pk=learner.pk).update(full_name="Nguyễn Văn Ân")
    assert outbox.resolve_all().queued[("enrollment", "upsert")] == 0
    Learner.objects.filter(pk=learner.pk).update(national_id=new_id)
    queued = outbox.resolve_all().queued
    assert queued[("enrollment", "delete")] == 1
    assert queued[("enrollment", "upsert")] == 1
