"""The self-assessment cycle and the evidence library against the database: frameworks
loaded as data, totals, approval freezing (service and trigger), evidence codes and checks."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, InternalError, transaction

from quality import selectors_accreditation as selectors
from quality import services_accreditation as services
from quality.models import (
    CouncilMember,
    Criterion,
    Cycle,
    CycleState,
    EvidenceItem,
    Framework,
    SchoolLevel,
    Standard,
    WorkingGroup,
    YearRating,
)
from tests.enterprises.helpers import agreement, enterprise
from tests.files import PDF, PNG

pytestmark = pytest.mark.django_db


def tt15():
    return Framework.objects.get(code="TT15/2017")


def tt14():
    return Framework.objects.get(code="TT14/2024")


def test_frameworks_are_loaded_as_data():
    assert tt15().criteria.count() == 9
    assert Standard.objects.filter(criterion__framework=tt15()).count() == 100
    benchmarks = dict(tt15().criteria.values_list("number", "benchmark_points"))
    assert benchmarks == {1: 12, 2: 17, 3: 15, 4: 15, 5: 15, 6: 5, 7: 6, 8: 9, 9: 6}
    assert tt14().criteria.count() == 8
    assert tt14().points_per_standard == 2 and tt14().pass_total is None
    assert (tt14().years_college, tt14().years_intermediate) == (3, 2)
    assert tt15().key_criteria_numbers == {2, 3, 4, 5}


def test_loading_again_creates_nothing_and_keeps_admin_edits():
    Standard.objects.filter(criterion__framework=tt15(), criterion__number=1,
                            number=1).update(text="Đã sửa")
    Framework.objects.filter(code="TT14/2024").update(pass_total=80)
    assert services.load_frameworks() == 0
    assert Standard.objects.get(criterion__framework=tt15(), criterion__number=1,
                                number=1).text == "Đã sửa"
    assert tt14().pass_total == 80


def rate_all(cycle, *, except_criterion=None, failing=0):
    failed = 0
    for assessment in cycle.assessments.select_related("standard__criterion"):
        for year in cycle.years:
            met = True
            if assessment.standard.criterion.number == except_criterion and failed < failing:
                met = False
            services.rate(assessment, year=year, met=met)
        if assessment.standard.criterion.number == except_criterion:
            failed += 1


def test_cycle_window_and_totals_of_15_2017():
    cycle = services.cycle_create(framework=tt15(), title="Tự đánh giá 2026",
                                  assessment_year=2026)
    assert cycle.assessments.count() == 100 and cycle.years == [2026]
    assert selectors.cycle_result(cycle).passed is None
    rate_all(cycle, except_criterion=3, failing=4)   # 11/15 < 80 % → 12 needed
    result = selectors.cycle_result(cycle)
    assert result.total == 96 and result.passed is False
    assert [(m.criterion, m.needed) for m in result.missing] == [(3, 1)]


def test_cycle_of_14_2024_college_window_and_unknown_verdict(django_assert_max_num_queries):
    cycle = services.cycle_create(framework=tt14(), title="TĐG 2026", assessment_year=2026)
    assert cycle.years == [2024, 2025, 2026]
    intermediate = services.cycle_create(framework=tt14(), title="TĐG", assessment_year=2026,
                                         level=SchoolLevel.INTERMEDIATE)
    assert intermediate.years == [2025, 2026]
    rate_all(cycle)
    assessment = cycle.assessments.first()
    services.rate(assessment, year=2024, met=False)
    with django_assert_max_num_queries(5):
        result = selectors.cycle_result(cycle)
    assert result.total == 2 * (cycle.assessments.count() - 1)
    assert result.passed is None      # thresholds of 14/2024 unknown
    with pytest.raises(ValidationError):
        services.rate(assessment, year=2023, met=True)


def test_approved_cycle_is_frozen_by_services_and_database():
    cycle = services.cycle_create(framework=tt15(), title="TĐG", assessment_year=2026)
    CouncilMember.objects.create(cycle=cycle, name="Nguyễn Văn An", role="chair")
    with pytest.raises(ValidationError):
        services.cycle_advance(cycle, to=CycleState.APPROVED)   # draft cannot skip review
    services.cycle_advance(cycle, to=CycleState.REVIEW)
    services.cycle_advance(cycle, to=CycleState.APPROVED)
    cycle.refresh_from_db()
    assessment = cycle.assessments.first()
    with pytest.raises(ValidationError):
        services.rate(assessment, year=2026, met=True)
    with pytest.raises(ValidationError):
        services.cycle_advance(cycle, to=CycleState.DRAFT)
    for write in (
        lambda: YearRating.objects.create(assessment=assessment, year=2026, met=True),
        lambda: Cycle.objects.filter(pk=cycle.pk).update(title="Sửa"),
        lambda: Cycle.objects.filter(pk=cycle.pk).update(state=CycleState.DRAFT),
        lambda: cycle.council.update(name="Khác"),
        lambda: cycle.assessments.filter(pk=assessment.pk).update(strengths="Sửa"),
        lambda: assessment.evidence.add(services.evidence_create(
            standard=assessment.standard, title="Quyết định")),
        lambda: WorkingGroup.objects.create(cycle=cycle, name="Nhóm 1"),
    ):
        with pytest.raises((IntegrityError, InternalError)), transaction.atomic():
            write()
    revision = services.cycle_revise(cycle)
    assert revision.revises == cycle and revision.state == CycleState.DRAFT
    assert revision.council.get().name == "Nguyễn Văn An"
    assert revision.assessments.count() == 100
    services.rate(revision.assessments.first(), year=2026, met=True)


def test_council_warns_below_two_enterprise_representatives():
    cycle = services.cycle_create(framework=tt15(), title="TĐG", assessment_year=2026)
    partner = enterprise()
    CouncilMember.objects.create(cycle=cycle, name="A", role="chair")
    CouncilMember.objects.create(cycle=cycle, name="B", enterprise_representative=True,
                                 enterprise=partner)
    assert selectors.council_warnings(cycle) == ["few_enterprise_representatives"]
    CouncilMember.objects.create(cycle=cycle, name="C", enterprise_representative=True)
    assert selectors.council_warnings(cycle) == []


def test_evidence_codes_reuse_and_library_checks():
    cycle = services.cycle_create(framework=tt15(), title="TĐG", assessment_year=2026)
    s203 = Standard.objects.get(criterion__framework=tt15(), criterion__number=2, number=3)
    s101 = Standard.objects.get(criterion__framework=tt15(), criterion__number=1, number=1)
    first = services.evidence_create(
        standard=s203, title="Quy chế đào tạo", issuer="Hiệu trưởng",
        upload=SimpleUploadedFile("quy-che.pdf", PDF, content_type="application/pdf"))
    second = services.evidence_create(standard=s203, title="Kế hoạch đào tạo",
                                      valid_until=date.today() - timedelta(days=1))
    other = services.evidence_create(standard=s101, title="Sứ mạng",
                                     upload=SimpleUploadedFile("a.png", PNG))
    assert [first.code, second.code, other.code] == ["2.03.01", "2.03.02", "1.01.01"]
    assert first.file.name.startswith("quality/evidence/")
    a203 = cycle.assessments.get(standard=s203)
    a101 = cycle.assessments.get(standard=s101)
    services.evidence_link(a203, first, second)
    services.evidence_link(a101, first)      # reused: keeps its first code
    assert EvidenceItem.objects.get(pk=first.pk).code == "2.03.01"
    assert set(first.assessments.all()) == {a203, a101}
    assert list(selectors.evidence_unused()) == [other]
    assert list(selectors.evidence_expired()) == [second]
    missing = selectors.standards_without_evidence(cycle)
    assert missing.count() == 98 and a203 not in missing
    with pytest.raises(ValidationError):
        services.evidence_create(standard=s203, title="Giả",
                                 upload=SimpleUploadedFile("x.pdf", b"%PDF-1.4 not really"))
    assert EvidenceItem.objects.count() == 3


def test_an_agreement_is_evidence_once():
    s = Standard.objects.get(criterion__framework=tt15(), criterion__number=2, number=10)
    deal = agreement(enterprise(), council=True)
    item = services.evidence_from_agreement(agreement=deal, standard=s)
    assert item.code == "2.10.01" and item.valid_until == deal.ends_on
    assert deal.number in item.title
    assert services.evidence_from_agreement(agreement=deal, standard=s) == item


def test_criteria_without_standards_still_count():
    framework = Framework.objects.create(code="X", name="X", points_per_standard=1,
                                         pass_total=1, min_criterion_percent=50)
    Criterion.objects.create(framework=framework, number=1, name="Một", benchmark_points=2)
    cycle = services.cycle_create(framework=framework, title="X", assessment_year=2026)
    result = selectors.cycle_result(cycle)
    assert result.passed is False and result.missing[0].criterion is None


def test_a_previous_cycles_evidence_is_copied_reused_or_recoded():
    old = services.cycle_create(framework=tt15(), title="TĐG 2022", assessment_year=2022)
    s21 = Standard.objects.get(criterion__framework=tt15(), criterion__number=2, number=1)
    item = services.evidence_create(
        standard=s21, title="Quy chế tuyển sinh",
        upload=SimpleUploadedFile("quy-che.pdf", PDF, content_type="application/pdf"))
    services.evidence_link(old.assessments.get(standard=s21), item)
    # the same framework: the item itself is linked, its code unchanged
    again = services.cycle_create(framework=tt15(), title="TĐG 2025", assessment_year=2025)
    assert services.evidence_copy(source=old, target=again) == 1
    assert list(again.assessments.get(standard=s21).evidence.all()) == [item]
    assert services.evidence_copy(source=old, target=again) == 0  # nothing twice
    # another framework: a new item coded under the new standard 2.1, the same file
    new = services.cycle_create(framework=tt14(), title="TĐG 2026", assessment_year=2026)
    assert services.evidence_copy(source=old, target=new) == 1
    copied = new.assessments.get(standard__criterion__number=2, standard__number=1) \
        .evidence.get()
    assert copied.pk != item.pk and copied.first_standard.criterion.framework == tt14()
    assert copied.code.startswith("2.01.") and item.code in copied.title
    assert copied.file.name == item.file.name
    services.cycle_advance(new, to=CycleState.REVIEW)
    services.cycle_advance(new, to=CycleState.APPROVED)
    with pytest.raises(ValidationError):  # an approved cycle takes nothing more
        services.evidence_copy(source=old, target=new)


def test_the_system_files_its_own_figures_as_frozen_evidence():
    import io

    from openpyxl import load_workbook

    s11 = Standard.objects.get(criterion__framework=tt15(), criterion__number=1, number=1)
    item = services.evidence_from_snapshot(
        standard=s11, title="Chỉ tiêu QĐ 2222 ngày 01/12/2026",
        snapshot=services.dashboard_snapshot(date(2026, 12, 1)))
    with item.file.open("rb") as stored:
        rows = list(load_workbook(io.BytesIO(stored.read())).active.iter_rows(values_only=True))
    assert rows[0][1] == "01/12/2026" and any(str(r[0]).startswith("d2 — ") for r in rows)
    assert item.code == "1.01.01" and item.issued_on is not None
