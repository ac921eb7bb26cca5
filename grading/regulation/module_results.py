"""A module's result over its study rounds and exam sittings (§1.7–1.8)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from grading.regulation.codes import (
    ABSENT_EXCUSED,
    ABSENT_UNEXCUSED,
    INVALID_ROUNDS,
    STATUS_MUST_RESTUDY,
    STATUS_PASSED,
    STATUS_PENDING,
    STATUS_RETAKE_DUE,
    GradingError,
    ScoreInput,
)
from grading.regulation.results import ModuleGrade, ModuleResult, StudyRound
from grading.regulation.rules import DEFAULT_RULES, GradingRules
from grading.regulation.scores import grade_sitting, validate_score


def _better(candidate: ModuleGrade, best: ModuleGrade | None) -> bool:
    # §1.7: the highest score counts; a pass outranks a fail only matters when
    # min_exam_score fails a sitting whose score is otherwise a pass.
    if best is None:
        return True
    return (candidate.passed, candidate.score_10) > (best.passed, best.score_10)


def _sitting_exam_score(exam: ScoreInput, rules: GradingRules) -> Decimal:
    # §1.8: an unexcused absence is a sitting scored 0.0.
    if exam == ABSENT_UNEXCUSED:
        return rules.score_min
    return validate_score(exam, rules=rules)


def _status_when_not_passed(
    last_round: StudyRound | None, sittings_in_last: int, rules: GradingRules
) -> str:
    if last_round is None:
        return STATUS_PENDING
    if not last_round.eligible or sittings_in_last >= rules.sittings_per_round:
        return STATUS_MUST_RESTUDY
    if sittings_in_last == 0:
        return STATUS_PENDING  # nothing sat yet, or only excused absences (§1.8)
    return STATUS_RETAKE_DUE


def module_result(
    rounds: Sequence[StudyRound], *, rules: GradingRules = DEFAULT_RULES
) -> ModuleResult:
    """Counted score, attempts, retake/restudy flags and status of a module (§1.7–1.8).

    Sittings taken after the first pass are improvement sittings (§1.7) whether or
    not their round is flagged ``improvement``; they never set the retake flags.
    """
    best: ModuleGrade | None = None
    attempts = 0
    passed = False
    had_to_retake = False
    restudy_started = False
    sittings_in_round = 0
    for index, study_round in enumerate(rounds):
        if study_round.improvement and not passed:
            raise GradingError(INVALID_ROUNDS, "an improvement round needs an earlier pass (§1.7)")
        if index > 0 and not passed:
            restudy_started = True
        average = validate_score(study_round.checks_average, rules=rules)
        sittings = [exam for exam in study_round.exams if exam != ABSENT_EXCUSED]
        if not study_round.eligible and sittings:
            raise GradingError(INVALID_ROUNDS, "an ineligible learner cannot sit the exam (§1.6)")
        if len(sittings) > rules.sittings_per_round:
            raise GradingError(INVALID_ROUNDS, "more sittings than allowed in one round (§1.7)")
        if not study_round.eligible and not passed:
            had_to_retake = True  # §1.7: ineligibility counts as having to retake
        sittings_in_round = len(sittings)
        for exam in sittings:
            grade = grade_sitting(average, _sitting_exam_score(exam, rules), rules=rules)
            attempts += 1
            if _better(grade, best):
                best = grade
            if grade.passed:
                passed = True
            elif not passed:
                had_to_retake = True

    if passed:
        status = STATUS_PASSED
    else:
        last_round = rounds[-1] if rounds else None
        status = _status_when_not_passed(last_round, sittings_in_round, rules)
    return ModuleResult(
        score_10=best.score_10 if best else None,
        letter=best.letter if best else None,
        score_4=best.score_4 if best else None,
        passed=passed,
        attempts=attempts,
        had_to_retake=had_to_retake,
        # A module not yet passed that must be re-studied already "had to re-study".
        had_to_restudy=restudy_started or status == STATUS_MUST_RESTUDY,
        status=status,
    )
