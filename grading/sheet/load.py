"""Reading a section's gradebook into a Sheet in a constant number of queries whatever the
number of learners: one query per kind of record, then everything is assembled in memory."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Prefetch

from grading import regulation
from grading.config import grading_rules
from grading.models import (
    Amendment,
    AmendmentStatus,
    AttendanceKind,
    AttendanceMark,
    AttendanceSession,
    AttendanceStatus,
    EligibilityWaiver,
    Gradebook,
    ImprovementSitting,
    Score,
)
from grading.models.assessment import MAX_SITTINGS
from grading.sheet.cells import CellValue, Column, check_counts
from grading.sheet.derive import derive
from grading.sheet.rows import AmendmentInfo, Attendance, Cell, Row, Sheet
from training.models import AssessmentKind, ClassMembership, Section, SectionLearner
from vetschool.collation import in_roster_order


@dataclass
class SheetRecords:
    """Every stored record a sheet is built from, each kind read in one query."""

    learners: list[SectionLearner]
    class_codes: dict[int, str]
    scores: list[Score]
    amendments: list[Amendment]
    sessions: list[AttendanceSession]
    waivers: dict[int, EligibilityWaiver]
    improvements: dict[int, set[int]]


def load_sheet(gradebook: Gradebook, *, section: Section | None = None,
               rules: regulation.GradingRules | None = None, final_only: bool = False,
               extra_sittings: int = 0) -> Sheet:
    """Read a gradebook with everything the grid needs, in a constant number of queries.

    `final_only` derives everything from approved values alone (what results are computed
    from); `extra_sittings` adds that many exam columns after the last one in use.
    """
    rules = rules or grading_rules()
    section = section or _section_of(gradebook)
    records = read_records(gradebook, section)
    columns = sheet_columns(gradebook, section, records, extra_sittings)
    cells = build_cells(records.scores, records.amendments)
    attendance = sum_attendance(records.sessions)
    rows = []
    for sl in in_roster_order(records.learners, lambda sl: sl.enrollment.learner):
        row = Row(sl, records.class_codes.get(sl.enrollment_id, ""),
                  {column.code: cells.get((sl.pk, column.code), Cell(column))
                   for column in columns},
                  attendance[sl.pk], records.waivers.get(sl.pk), final_only=final_only,
                  improvement_sittings=records.improvements.get(sl.pk, set()))
        derive(row, columns, section.module, rules)
        rows.append(row)
    return Sheet(gradebook, section, columns, rows, records.sessions, rules)


def _section_of(gradebook: Gradebook) -> Section:
    return (Section.objects.select_related("module", "semester__school_year")
            .prefetch_related("module__assessment_plan", "classes")
            .get(pk=gradebook.section_id))


def read_records(gradebook: Gradebook, section: Section) -> SheetRecords:
    """One query per kind of record (learners, classes, scores, amendments, attendance,
    waivers, improvement sittings)."""
    learners = list(
        SectionLearner.objects.filter(section=section, removed_at__isnull=True)
        .select_related("enrollment__learner")
    )
    class_codes = dict(
        ClassMembership.objects.filter(enrollment_id__in=[sl.enrollment_id for sl in learners],
                                       to_date__isnull=True)
        .values_list("enrollment_id", "homeroom_class__code")
    )
    scores = list(Score.objects.filter(gradebook=gradebook).select_related("updated_by"))
    amendments = list(
        Amendment.objects.filter(gradebook=gradebook)
        .exclude(status__in=[AmendmentStatus.REJECTED, AmendmentStatus.WITHDRAWN])
        .select_related("requested_by", "decided_by").order_by("decided_at", "id")
    )
    sessions = list(
        AttendanceSession.objects.filter(gradebook=gradebook).prefetch_related(
            Prefetch("marks", queryset=AttendanceMark.objects.exclude(
                status=AttendanceStatus.PRESENT))
        )
    )
    waivers = {w.section_learner_id: w for w in
               EligibilityWaiver.objects.filter(section_learner__in=[sl.pk for sl in learners])}
    improvements = defaultdict(set)
    for sl_id, sitting in ImprovementSitting.objects.filter(
            section_learner__section=section).values_list("section_learner_id", "sitting"):
        improvements[sl_id].add(sitting)
    return SheetRecords(learners, class_codes, scores, amendments, sessions, waivers,
                        improvements)


def sheet_columns(gradebook: Gradebook, section: Section, records: SheetRecords,
                  extra_sittings: int) -> list[Column]:
    """The checks of the assessment plan, then every exam session in use (a stored score, an
    amendment, a granted improvement sitting or the current session) plus `extra_sittings`."""
    module = section.module
    continuous, periodic = check_counts(module, module.assessment_plan.all())
    columns = [Column.of(AssessmentKind.CONTINUOUS, n) for n in range(1, continuous + 1)]
    columns += [Column.of(AssessmentKind.PERIODIC, n) for n in range(1, periodic + 1)]
    last_exam = max([gradebook.sitting]
                    + [s.number for s in records.scores if s.kind == AssessmentKind.EXAM]
                    + [a.number for a in records.amendments if a.kind == AssessmentKind.EXAM]
                    + [n for ns in records.improvements.values() for n in ns])
    last_exam = min(last_exam + extra_sittings, MAX_SITTINGS)
    columns += [Column.of(AssessmentKind.EXAM, n) for n in range(1, last_exam + 1)]
    return columns


def build_cells(scores, amendments) -> dict[tuple[int, str], Cell]:
    """Cells by (section learner, column code): the stored score and its amendments."""
    cells: dict[tuple[int, str], Cell] = {}
    for score in scores:
        column = Column.of(score.kind, score.number)
        cells[(score.section_learner_id, column.code)] = Cell(
            column, CellValue(score.score, score.mark), score.locked, score.version,
            score.updated_by.get_full_name() if score.updated_by else "", score.updated_at,
        )
    for amendment in amendments:
        column = Column.of(amendment.kind, amendment.number)
        cell = cells.setdefault((amendment.section_learner_id, column.code), Cell(column))
        cell.amendments.append(amendment_info(amendment))
    return cells


def amendment_info(amendment: Amendment) -> AmendmentInfo:
    return AmendmentInfo(
        amendment.pk, CellValue(amendment.old_score, amendment.old_mark),
        CellValue(amendment.new_score, amendment.new_mark), amendment.status,
        amendment.reason, amendment.requested_by.get_full_name(),
        amendment.decided_by.get_full_name() if amendment.decided_by else "",
        amendment.decided_at, amendment.requested_at,
    )


def sum_attendance(sessions) -> dict[int, Attendance]:
    """Absent hours per section learner, theory apart from practice (excused or not)."""
    attendance: dict[int, Attendance] = defaultdict(Attendance)
    for session in sessions:
        for mark in session.marks.all():
            figures = attendance[mark.section_learner_id]
            if session.kind == AttendanceKind.THEORY:
                figures.theory_absent += mark.absent_hours
            elif mark.status == AttendanceStatus.UNEXCUSED:
                figures.practice_unexcused += mark.absent_hours
            else:
                figures.practice_excused += mark.absent_hours
                figures.excused_made_up = figures.excused_made_up and mark.made_up
    return attendance
