"""Writes of the accreditation self-assessment (docs/quality.md, "Accreditation
self-assessment"): loading the frameworks, the cycle's life (draft → under review →
approved, then frozen), ratings, and the evidence library.

An approved cycle is refused here (`CycleFrozen`) and, below the services, by database
triggers (migration 0002): corrections are a new cycle (`cycle_revise`).
"""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from quality import accreditation as rules
from quality.models import (
    CouncilMember,
    Criterion,
    Cycle,
    CycleState,
    EvidenceItem,
    Framework,
    SchoolLevel,
    Standard,
    StandardAssessment,
    WorkingGroup,
    YearRating,
)
from vetschool.uploads import validate_document

DATA = Path(__file__).resolve().parent / "data"

# The frameworks' thresholds as known (REGULATIONS §8); None = unknown, kept editable.
FRAMEWORKS = {
    "TT15/2017": {
        "name": "Thông tư 15/2017/TT-BLĐTBXH (sửa đổi bởi Thông tư 28/2021/TT-BLĐTBXH)",
        "points_per_standard": Decimal(1), "pass_total": Decimal(80),
        "min_criterion_percent": 60, "key_criteria": "2,3,4,5", "key_criterion_percent": 80,
        "years_college": 1, "years_intermediate": 1,
        "note": "9 tiêu chí, 100 tiêu chuẩn (12/17/15/15/15/5/6/9/6), 1 điểm/tiêu chuẩn. "
                "Đạt: tổng ≥ 80, mỗi tiêu chí ≥ 60 %, tiêu chí 2–5 ≥ 80 % điểm chuẩn.",
        "standards_file": "accreditation_standards_15_2017.csv",
    },
    "TT14/2024": {
        "name": "Thông tư 14/2024/TT-BLĐTBXH",
        "points_per_standard": Decimal(2), "pass_total": None,
        "min_criterion_percent": None, "key_criteria": "", "key_criterion_percent": None,
        "years_college": 3, "years_intermediate": 2,
        "note": "8 tiêu chí; tiêu chuẩn đạt = 2 điểm. Số tiêu chuẩn, điểm chuẩn và ngưỡng đạt "
                "(Phụ lục 01) chưa xác minh: để trống = chưa biết.",
        "standards_file": "accreditation_standards_14_2024_partial.csv",
    },
}


def _read(name: str) -> list[dict]:
    with open(DATA / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load_frameworks(framework_model=Framework, criterion_model=Criterion,
                    standard_model=Standard) -> int:
    """Create the frameworks, criteria and standards of quality/data that are missing;
    never overwrite one (its texts and thresholds may have been edited in the admin).
    The models are parameters so migration 0002 can pass its historical ones.
    Returns the number of rows created."""
    created = 0
    criteria_rows = _read("accreditation_standards.csv")
    for code, spec in FRAMEWORKS.items():
        defaults = {k: v for k, v in spec.items() if k != "standards_file"}
        framework, new = framework_model.objects.get_or_create(code=code, defaults=defaults)
        created += new
        criteria = {}
        for row in criteria_rows:
            if row["framework"] != code:
                continue
            benchmark = Decimal(row["benchmark_points"]) if row["benchmark_points"] else None
            criteria[int(row["criterion_no"])], new = criterion_model.objects.get_or_create(
                framework=framework, number=int(row["criterion_no"]),
                defaults={"name": row["criterion_vi"], "name_en": row["criterion_en"],
                          "benchmark_points": benchmark})
            created += new
        for row in _read(spec["standards_file"]):
            criterion = criteria[int(row["criterion_no"])]
            _standard, new = standard_model.objects.get_or_create(
                criterion=criterion, number=int(row["standard_no"]),
                defaults={"text": row["text_vi"], "text_en": row["text_en"],
                          "source": row["source"]})
            created += new
    return created


class CycleFrozen(ValidationError):
    def __init__(self):
        super().__init__(_("An approved self-assessment cycle cannot be changed; "
                           "start a revision instead."), code="frozen")


def check_editable(cycle: Cycle) -> None:
    if Cycle.objects.filter(pk=cycle.pk, state=CycleState.APPROVED).exists():
        raise CycleFrozen()


def _window(framework: Framework, level: str) -> int:
    return (framework.years_intermediate if level == SchoolLevel.INTERMEDIATE
            else framework.years_college)


@transaction.atomic
def cycle_create(*, framework: Framework, title: str, assessment_year: int,
                 level: str = SchoolLevel.COLLEGE, **extra) -> Cycle:
    """A draft cycle with one (empty) assessment per standard of the framework."""
    cycle = Cycle.objects.create(framework=framework, title=title, level=level,
                                 assessment_year=assessment_year,
                                 window_years=_window(framework, level), **extra)
    standards = Standard.objects.filter(criterion__framework=framework)
    StandardAssessment.objects.bulk_create(
        StandardAssessment(cycle=cycle, standard=standard) for standard in standards)
    return cycle


_NEXT = {CycleState.DRAFT: CycleState.REVIEW, CycleState.REVIEW: CycleState.APPROVED}


@transaction.atomic
def cycle_advance(cycle: Cycle, *, to: str) -> Cycle:
    """draft → review → approved; review → draft sends it back. Approved is final."""
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    allowed = _NEXT.get(cycle.state) == to or (cycle.state == CycleState.REVIEW
                                              and to == CycleState.DRAFT)
    if cycle.state == CycleState.APPROVED:
        raise CycleFrozen()
    if not allowed:
        raise ValidationError(_("This change of state is not allowed."), code="bad_state")
    cycle.state = to
    if to == CycleState.APPROVED:
        cycle.approved_at = timezone.now()
    cycle.save(update_fields=["state", "approved_at"])
    return cycle


@transaction.atomic
def cycle_revise(cycle: Cycle, *, title: str | None = None) -> Cycle:
    """A new draft copying an approved cycle (council, groups, texts, ratings, evidence
    links); the approved one stays as it was."""
    revision = Cycle.objects.create(
        framework=cycle.framework, title=title or cycle.title, level=cycle.level,
        assessment_year=cycle.assessment_year, window_years=cycle.window_years,
        starts_on=cycle.starts_on, report_due=cycle.report_due, ends_on=cycle.ends_on,
        revises=cycle)
    CouncilMember.objects.bulk_create(
        CouncilMember(cycle=revision, name=m.name, role=m.role, enterprise=m.enterprise,
                      enterprise_representative=m.enterprise_representative)
        for m in cycle.council.all())
    for group in cycle.working_groups.prefetch_related("standards"):
        copy = WorkingGroup.objects.create(cycle=revision, name=group.name, leader=group.leader)
        copy.standards.set(group.standards.all())
    for old in cycle.assessments.prefetch_related("ratings", "evidence"):
        new = StandardAssessment.objects.create(
            cycle=revision, standard_id=old.standard_id, current_state=old.current_state,
            strengths=old.strengths, weaknesses=old.weaknesses,
            improvement_plan=old.improvement_plan)
        new.evidence.set(old.evidence.all())
        YearRating.objects.bulk_create(YearRating(assessment=new, year=r.year, met=r.met)
                                       for r in old.ratings.all())
    missing = Standard.objects.filter(criterion__framework=cycle.framework).exclude(
        assessments__cycle=revision)
    StandardAssessment.objects.bulk_create(StandardAssessment(cycle=revision, standard=s)
                                           for s in missing)
    return revision


def rate(assessment: StandardAssessment, *, year: int, met: bool) -> YearRating:
    check_editable(assessment.cycle)
    if year not in assessment.cycle.years:
        raise ValidationError(_("The year %(year)s is outside the compliance window."),
                              code="year", params={"year": year})
    rating, _created = YearRating.objects.update_or_create(
        assessment=assessment, year=year, defaults={"met": met})
    return rating


def next_evidence_code(standard: Standard) -> str:
    prefix = rules.evidence_code(standard.criterion.number, standard.number, 0)[:-2]
    codes = EvidenceItem.objects.filter(code__startswith=prefix).values_list("code", flat=True)
    seq = max((int(code.rsplit(".", 1)[1]) for code in codes), default=0) + 1
    return rules.evidence_code(standard.criterion.number, standard.number, seq)


@transaction.atomic
def evidence_create(*, standard: Standard, title: str, upload=None, **fields) -> EvidenceItem:
    """A new evidence item coded under `standard` ([criterion.standard.seq]); the file, if
    any, is checked by validate_document."""
    if upload is not None:
        validate_document(upload)
        upload.seek(0)
    # Serialise code allocation per standard.
    Standard.objects.select_for_update().get(pk=standard.pk)
    item = EvidenceItem(code=next_evidence_code(standard), first_standard=standard, title=title,
                        **fields)
    if upload is not None:
        item.file.save(upload.name, upload, save=False)
    item.save()
    return item


def evidence_from_agreement(*, agreement, standard: Standard) -> EvidenceItem:
    """An enterprise agreement filed as evidence (its number, enterprise, dates)."""
    existing = EvidenceItem.objects.filter(agreement=agreement).first()
    if existing:
        return existing
    return evidence_create(
        standard=standard, agreement=agreement,
        title=f"{_('Agreement')} {agreement.number} – {agreement.enterprise}",
        issuer=str(agreement.enterprise), issued_on=agreement.signed_on,
        valid_until=agreement.ends_on)


def placements_snapshot(enterprise):
    """A frozen XLSX copy of the internship placements at an enterprise as they are today
    (later placements do not change it), as a file to store on an evidence item."""
    from django.core.files.base import ContentFile

    from grading.internships_export import placements_xlsx
    from grading.models import Placement

    return ContentFile(placements_xlsx(Placement.objects.filter(enterprise=enterprise)),
                       name="thuc-tap.xlsx")


def evidence_from_placements(*, enterprise, standard: Standard) -> EvidenceItem:
    """The internship placements at an enterprise filed as evidence (a frozen list)."""
    today = timezone.localdate()
    item = evidence_create(
        standard=standard, issuer=str(enterprise), issued_on=today,
        title=_("Internship placements at %(enterprise)s (list of %(date)s)")
        % {"enterprise": enterprise.name, "date": today.strftime("%d/%m/%Y")})
    snapshot = placements_snapshot(enterprise)
    item.file.save(snapshot.name, snapshot, save=True)
    return item


def evidence_link(assessment: StandardAssessment, *items: EvidenceItem) -> None:
    check_editable(assessment.cycle)
    assessment.evidence.add(*items)


def evidence_unlink(assessment: StandardAssessment, *items: EvidenceItem) -> None:
    check_editable(assessment.cycle)
    assessment.evidence.remove(*items)



# --- evidence the system itself holds, filed as a frozen snapshot ---------------------------

def dashboard_snapshot(as_of):
    """The 2222 dashboard as of a date, frozen as an XLSX (later records do not change it)."""
    from django.core.files.base import ContentFile
    from openpyxl import Workbook

    from quality import indicators
    from vetschool.spreadsheets import safe_row, xlsx_bytes

    book = Workbook()
    sheet = book.active
    sheet.title = "Chỉ tiêu QĐ 2222"
    sheet.append(safe_row([str(_("Decision 2222 indicators")), as_of.strftime("%d/%m/%Y")]))
    sheet.append(safe_row([str(_("Indicator")), str(_("Numerator")), str(_("Denominator")),
                           str(_("Value (%)")), str(_("Target 2025")), str(_("Target 2030"))]))
    for tile in indicators.dashboard(as_of):
        sheet.append(safe_row([f"{tile.code} — {tile.label}", tile.numerator, tile.denominator,
                               "" if tile.percent is None else str(tile.percent),
                               "" if tile.target_2025 is None else str(tile.target_2025),
                               "" if tile.target_2030 is None else str(tile.target_2030)]))
    return ContentFile(xlsx_bytes(book), name=f"chi-tieu-2222-{as_of:%Y-%m-%d}.xlsx")


def survey_snapshot(survey):
    from django.core.files.base import ContentFile

    from quality.surveys import results_xlsx

    return ContentFile(results_xlsx(survey), name=f"ket-qua-khao-sat-{survey.pk}.xlsx")


def report_snapshot(report):
    """A copy of a frozen statistical report's XLSX (the report stays where it is)."""
    from django.core.files.base import ContentFile

    with report.file.open("rb") as stored:
        return ContentFile(stored.read(), name=f"bao-cao-thong-ke-{report.period_end}.xlsx")


def evidence_from_snapshot(*, standard: Standard, title: str, snapshot,
                           issuer: str = "") -> EvidenceItem:
    """File a snapshot made by the system (dashboard, survey results, statistical report)
    as a new evidence item under `standard`."""
    item = evidence_create(standard=standard, title=title, issuer=issuer,
                           issued_on=timezone.localdate())
    item.file.save(snapshot.name, snapshot, save=True)
    return item


# --- copying a previous cycle's evidence -------------------------------------------------------

@transaction.atomic
def evidence_copy(*, source: Cycle, target: Cycle) -> int:
    """Link the evidence of `source`'s standards to the standards of `target` with the same
    criterion and standard numbers. Under the same framework the items are reused (their
    codes stay right); under another framework each is copied as a new item coded in the
    target's numbering, naming the code it came from. Returns the links made."""
    check_editable(target)
    targets = {(a.standard.criterion.number, a.standard.number): a for a in
               target.assessments.select_related("standard__criterion")}
    same_framework = source.framework_id == target.framework_id
    made = 0
    for assessment in source.assessments.select_related("standard__criterion").prefetch_related(
            "evidence"):
        into = targets.get((assessment.standard.criterion.number, assessment.standard.number))
        if into is None:
            continue
        for item in assessment.evidence.all():
            if not same_framework:
                item = _recoded(item, into.standard)
            if not into.evidence.filter(pk=item.pk).exists():
                into.evidence.add(item)
                made += 1
    return made


def _recoded(item: EvidenceItem, standard: Standard) -> EvidenceItem:
    copied_from = _("(from %(code)s)") % {"code": item.code}
    existing = EvidenceItem.objects.filter(first_standard=standard,
                                           title__endswith=str(copied_from)).first()
    if existing is not None:
        return existing
    copy = evidence_create(standard=standard, title=f"{item.title} {copied_from}",
                           issuer=item.issuer, issued_on=item.issued_on,
                           valid_until=item.valid_until, agreement=None)
    if item.file:
        copy.file.name = item.file.name  # the same stored document, not a second file
        copy.save(update_fields=["file"])
    return copy
