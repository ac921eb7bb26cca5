"""Statistical reports: learners enrolled, studying, graduated and dropped out by
occupation, level, gender, ethnic group and province (the 34 current units); staff by
qualification and role. Computed by a worker (vetschool.jobs) and frozen on the
StatisticalReport row with its parameters; the XLSX is stored, the PDF rendered from the
frozen figures.

Definitions over the period [from, to]:
* enrolled — enrolments whose start date falls in the period;
* studying — enrolments started by `to` whose status on `to` is "studying": the status of
  the latest change in force (effective on or before `to`, neither a correction nor
  reverted by one), or the enrolment's status when it has no change by then but its status
  date is not after `to` (otherwise "studying");
* graduated / dropped out — a change in force to that status effective within the period;
* admissions — per admission round whose applications close within the period, per
  occupation: places of the quota, applicants admitted or enrolled (`enrollment.selectors.
  round_quota_usage`, the round page's own figures) and first wishes;
* graduate employment — per occupation, level, graduation year and checkpoint (6 and 12
  months) for the graduates of the years the period touches and of the year before, from
  the tracking records recorded by `to` (quality.employment: each graduate counts once per
  checkpoint; employed ÷ graduates who answered);
* staff — people whose employment record in force on `to` is active or on leave, by their
  highest qualification (as recorded today: the field keeps no history) and by role of the
  record in force (teacher, manager, both, other).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import override
from openpyxl import Workbook

from enrollment import selectors as enrollment_selectors
from enrollment.models import AdmissionRound, Enrollment, EnrollmentStatusChange
from enrollment.models.enrolments import EnrollmentStatus, StatusSource
from quality import selectors as quality_selectors
from quality.employment import Answer, employment_figures
from quality.models import StatisticalReport, TracerRecord
from staff import indicators as staff_indicators
from staff.models import EmploymentRecord, Qualification, StaffMember
from vetschool.jobs import job_run, queue_after_commit
from vetschool.reference.models import Level
from vetschool.spreadsheets import safe_row, xlsx_bytes

MEASURES = ("enrolled", "studying", "graduated", "dropped_out")
DIMENSIONS = ("occupation", "level", "gender", "ethnic_group", "province")


@dataclass(frozen=True)
class LearnerFact:
    occupation: str
    level: str
    gender: str
    ethnic_group: str
    province: str
    start_date: date
    status_on_end: str
    graduated_on: date | None
    dropped_out_on: date | None


def _in(day: date | None, start: date, end: date) -> bool:
    return day is not None and start <= day <= end


def learner_figures(facts, start: date, end: date) -> dict:
    """{dimension: [[label, enrolled, studying, graduated, dropped_out], ...]} plus a total."""
    tally = {dim: defaultdict(Counter) for dim in DIMENSIONS}
    total = Counter()
    for fact in facts:
        counts = Counter(
            enrolled=_in(fact.start_date, start, end),
            studying=fact.start_date <= end and fact.status_on_end == EnrollmentStatus.STUDYING,
            graduated=_in(fact.graduated_on, start, end),
            dropped_out=_in(fact.dropped_out_on, start, end))
        if not any(counts.values()):
            continue
        total.update(counts)
        for dim in DIMENSIONS:
            tally[dim][getattr(fact, dim)].update(counts)
    figures = {dim: [[label, *(rows[label][m] for m in MEASURES)]
                     for label in sorted(rows)] for dim, rows in tally.items()}
    figures["total"] = [total[m] for m in MEASURES]
    return figures


def learner_facts(*, end: date) -> list[LearnerFact]:
    """Plain facts of every enrolment started by `end`: two queries."""
    changes = Prefetch("status_changes", to_attr="changes_until", queryset=(
        EnrollmentStatusChange.objects.filter(effective_date__lte=end, reverted_by__isnull=True)
        .exclude(source=StatusSource.CORRECTION)
        .only("enrollment_id", "to_status", "effective_date", "at")
        .order_by("effective_date", "at", "id")))
    enrollments = (Enrollment.objects.filter(start_date__lte=end)
                   .select_related("occupation", "learner__ethnic_group", "learner__province")
                   .prefetch_related(changes).order_by("pk"))
    facts = []
    for e in enrollments.iterator(chunk_size=2000):
        history = e.changes_until
        if history:
            status = history[-1].to_status
        else:
            status = e.status if e.status_date <= end else EnrollmentStatus.STUDYING
        first = {}
        for change in history:
            first.setdefault(change.to_status, change.effective_date)
        learner = e.learner
        facts.append(LearnerFact(
            occupation=f"{e.occupation.code} {e.occupation.name_vi}",
            level=e.get_level_display(), gender=learner.get_gender_display(),
            ethnic_group=learner.ethnic_group.name_vi if learner.ethnic_group_id else "",
            province=learner.province.name_vi if learner.province_id else "—",
            start_date=e.start_date, status_on_end=status,
            graduated_on=first.get(EnrollmentStatus.GRADUATED),
            dropped_out_on=first.get(EnrollmentStatus.DROPPED_OUT)))
    return facts


def staff_figures(*, end: date) -> dict:
    records = Prefetch("employment_records", to_attr="records_until",
                       queryset=EmploymentRecord.objects.filter(effective_date__lte=end)
                       .only("staff_id", "effective_date", "status", "is_teacher",
                             "is_manager"))
    people = (StaffMember.objects.filter(employment_records__effective_date__lte=end)
              .distinct().only("pk", "highest_qualification").prefetch_related(records))
    labels = dict(Qualification.choices)
    by_qualification, by_role = Counter(), Counter()
    for person in people:
        position = staff_indicators.position_on(
            [staff_indicators.Position(r.effective_date, r.status, "", r.is_teacher,
                                       r.is_manager) for r in person.records_until], end)
        if not staff_indicators.is_employed(position):
            continue
        by_qualification[str(labels.get(person.highest_qualification, _("Not recorded")))] += 1
        role = (_("Teacher and manager") if position.is_teacher and position.is_manager
                else _("Teacher") if position.is_teacher
                else _("Manager") if position.is_manager else _("Other staff"))
        by_role[str(role)] += 1
    return {"qualification": sorted(map(list, by_qualification.items())),
            "role": sorted(map(list, by_role.items()))}


def admission_figures(*, start: date, end: date) -> list:
    """[[round, occupation, places, admitted or enrolled, first wishes], ...]."""
    rows = []
    for round_ in AdmissionRound.objects.filter(closes_on__range=(start, end)).order_by(
            "closes_on", "number"):
        for quota in enrollment_selectors.round_quota_usage(round_):
            rows.append([round_.name, f"{quota.occupation.code} {quota.occupation.name_vi}",
                         quota.places, quota.taken, quota.first_wishes])
    return rows


def employment_rows(*, start: date, end: date) -> list:
    """[[graduation year, occupation, level, checkpoint, graduates, answered, response rate,
    employed, employment rate, in the occupation, further study], ...]; a rate is text
    ("82.5") or "" when nobody answered, so the frozen figures stay plain JSON."""
    years = range(start.year - 1, end.year + 1)
    cohort = [g for g in quality_selectors.graduates() if g.graduation_year in years]
    answers = [Answer(*row) for row in TracerRecord.objects.filter(
        recorded_at__date__lte=end).values_list("enrollment_id", "checkpoint", "status")]
    levels = dict(Level.choices)
    return [[f.graduation_year, f"{f.occupation_code} {f.occupation_name}",
             str(levels.get(f.level, f.level)), f.checkpoint, f.graduates, f.answered,
             _rate(f.response_rate), f.employed, _rate(f.employment_rate), f.in_occupation,
             f.further_study]
            for f in employment_figures(cohort, answers)]


def _rate(value) -> str:
    return "" if value is None else str(value)


def compute(start: date, end: date) -> dict:
    with override("vi"):  # the report is an official document: labels in Vietnamese
        return {"learners": learner_figures(learner_facts(end=end), start, end),
                "staff": staff_figures(end=end),
                "admissions": admission_figures(start=start, end=end),
                "employment": employment_rows(start=start, end=end)}


def admission_labels() -> list:
    return [_("Admission round"), _("Occupation"), _("Places"), _("Admitted or enrolled"),
            _("First wishes")]


def employment_labels() -> list:
    return [_("Graduation year"), _("Occupation"), _("Level"), _("Checkpoint (months)"),
            _("Graduates"), _("Answered"), _("Response rate (%)"), _("Employed"),
            _("Employment rate (%)"), _("In the occupation"), _("Further study")]


def dimension_labels() -> dict:
    return {"occupation": _("Occupation"), "level": _("Level"), "gender": _("Gender"),
            "ethnic_group": _("Ethnic group"), "province": _("Province")}


def measure_labels() -> list:
    return [_("Enrolled"), _("Studying"), _("Graduated"), _("Dropped out")]


def report_xlsx(report: StatisticalReport) -> bytes:
    with override("vi"):
        book = Workbook()
        sheet = book.active
        sheet.title = _("Learners")
        sheet.append(safe_row([_("Statistical report"), f"{report.period_start:%d/%m/%Y}",
                               f"{report.period_end:%d/%m/%Y}"]))
        learners = report.figures["learners"]
        for dim, label in dimension_labels().items():
            sheet.append([])
            sheet.append(safe_row([str(label), *map(str, measure_labels())]))
            for row in learners[dim]:
                sheet.append(safe_row(row))
        sheet.append([])
        sheet.append(safe_row([_("Total"), *learners["total"]]))
        staff = book.create_sheet(_("Staff"))
        for key, label in (("qualification", _("Highest qualification")), ("role", _("Role"))):
            staff.append(safe_row([str(label), _("Staff")]))
            for row in report.figures["staff"][key]:
                staff.append(safe_row(row))
            staff.append([])
        admissions = book.create_sheet(_("Admissions"))
        admissions.append(safe_row([str(label) for label in admission_labels()]))
        for row in report.figures.get("admissions", []):
            admissions.append(safe_row(row))
        employment = book.create_sheet(_("Graduate employment"))
        employment.append(safe_row([str(label) for label in employment_labels()]))
        for row in report.figures.get("employment", []):
            employment.append(safe_row(row))
        return xlsx_bytes(book)


@transaction.atomic
def report_start(*, start: date, end: date, by) -> StatisticalReport:
    from quality.tasks import statistical_report_run

    report = StatisticalReport.objects.create(period_start=start, period_end=end, total=2,
                                              created_by=by)
    queue_after_commit(statistical_report_run, report.pk)
    return report


def report_make_now(*, start: date, end: date, by=None) -> StatisticalReport:
    """A report computed in this process, not queued (the demo data, a scheduled run that
    is already in a worker): the same row and the same work as report_start + report_run."""
    report = StatisticalReport.objects.create(period_start=start, period_end=end, total=2,
                                              created_by=by)
    report_run(report_id=report.pk)
    report.refresh_from_db()
    return report


def report_run(*, report_id: int):
    def work(report: StatisticalReport) -> None:
        report.figures = compute(report.period_start, report.period_end)
        report.set_progress(1)
        report.file.save(f"bao-cao-thong-ke-{report.period_end:%Y-%m-%d}.xlsx",
                         ContentFile(report_xlsx(report)), save=False)
        report.done = 2

    return job_run(StatisticalReport, report_id, work)
