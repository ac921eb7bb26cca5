"""What the regulation derives for a row: checks average, exam eligibility and its inputs,
the sittings, the provisional module score and which exam sessions the learner needs."""

from __future__ import annotations

from decimal import Decimal

from grading import regulation
from grading.models import ScoreMark
from grading.sheet.cells import Column
from grading.sheet.rows import Attendance, Row, Sheet
from training.models import AssessmentKind


def rederive(sheet: Sheet, rows, *, final_only: bool | None = None) -> None:
    """Derive `rows` again after their cells changed in memory (a save, an approval's lock),
    so a write does not read the gradebook a second time; `final_only` switches the view."""
    for row in rows:
        if final_only is not None:
            row.final_only = final_only
        derive(row, sheet.columns, sheet.module, sheet.rules)


def attendance_figures(attendance: Attendance, module) -> dict:
    """The inputs of exam eligibility (REGULATIONS §1.6) from a learner's absences, capped at
    the module's planned hours so that a surplus of sessions never breaks the rule."""
    theory_planned = Decimal(module.theory_hours)
    practice_planned = Decimal(module.practice_hours)
    unexcused = min(attendance.practice_unexcused, practice_planned)
    excused = min(attendance.practice_excused, practice_planned - unexcused)
    return {
        "theory_planned_hours": theory_planned,
        "theory_attended_hours": max(theory_planned - attendance.theory_absent, Decimal(0)),
        "practice_planned_hours": practice_planned,
        "practice_unexcused_absent_hours": unexcused,
        "practice_excused_absent_hours": excused,
        "excused_hours_made_up": attendance.excused_made_up,
    }


def derive(row: Row, columns: list[Column], module, rules: regulation.GradingRules) -> None:
    """Fill the row's checks average, eligibility, sittings, preview and needed sessions."""
    continuous, periodic, missing = [], [], 0
    for column in columns:
        if column.is_exam:
            continue
        value = row.value(column.code)
        if value.is_empty:
            missing += 1
        elif value.mark == ScoreMark.UNEXCUSED:
            # A check missed without permission scores 0.0 (docs/grading.md); one missed
            # with permission is left out of the average until made up.
            (continuous if column.kind == AssessmentKind.CONTINUOUS else periodic).append(
                rules.score_min)
        elif value.score is not None:
            (continuous if column.kind == AssessmentKind.CONTINUOUS else periodic).append(
                value.score)
    row.checks_missing = missing
    row.checks_average = (regulation.checks_average(continuous, periodic, rules=rules)
                          if continuous or periodic else None)
    row.attendance_figures = attendance_figures(row.attendance, module)
    row.eligibility = row.preview = None  # a row derived again starts from nothing
    if row.checks_average is not None:
        row.eligibility = regulation.exam_eligibility(
            **row.attendance_figures, checks_average=row.checks_average,
            attendance_waived=row.waiver is not None, rules=rules,
        )
    exams = [c for c in columns if c.is_exam]
    row.sittings = []
    row.needs = {}
    for column in exams:
        row.needs[column.number] = needs_sitting(row, column.number, rules)
        sitting = row.value(column.code).as_sitting()
        if sitting is not None:
            row.sittings.append(sitting)
    if row.eligibility is not None:
        row.preview = _round_result(row.checks_average, row.eligible, row.sittings, rules)


def _round_result(average, eligible, sittings, rules) -> regulation.ModuleResult | None:
    try:
        return regulation.module_result(
            [regulation.StudyRound(average, eligible, tuple(sittings))], rules=rules)
    except regulation.GradingError:
        return None  # e.g. an exam entered for an ineligible learner: submission says so


def needs_sitting(row: Row, sitting: int, rules) -> bool:
    """Does the learner sit the exam at this session? The main session is for every eligible
    learner; a later one for a failed sitting (retake) or a postponed (excused) exam."""
    if not row.eligible:
        return False
    if sitting == 1:
        return True
    before = [v for v in (row.value(f"THI{n}").as_sitting() for n in range(1, sitting))
              if v is not None]
    result = _round_result(row.checks_average, True, before, rules)
    if result is None:
        return False
    if sitting in row.improvement_sittings and result.passed:
        return True  # an improvement sitting granted by the principal
    if row.is_improvement:
        return result.status == regulation.STATUS_PENDING
    return result.status in (regulation.STATUS_RETAKE_DUE, regulation.STATUS_PENDING)
