"""results_recompute skips the enrolments whose inputs and stored results are as at their
last recompute (grading.services.stamps, issue #17), and computes again every enrolment
any input of the computation changed for — or whose stored results something else
changed. A skip must never hide a change: each test changes one input and checks that the
result follows it, as a recompute without fingerprints would."""

import dataclasses
from datetime import date

import pgtrigger
import pytest

from enrollment.models import (
    DisciplineLevel,
    DisciplineRecord,
    EnrollmentStatus,
    EnrollmentStatusChange,
)
from grading.config import grading_rules
from grading.models import LearnerRound, ModuleResult, ResultsStamp, TermSummary
from grading.services.results import results_recompute
from grading.services.stamps import fingerprints
from tests.grading.factories import section, world
from tests.grading.test_gradebook import fill, submit_and_approve
from training.models import Module, Semester

pytestmark = pytest.mark.django_db


@pytest.fixture
def graded(teacher, registrar):
    """Four learners with an approved module: results (and fingerprints) written by the
    approval."""
    w = world(4)
    sec = section(w, "MH08", teacher=teacher)
    fill(sec, teacher, {"TX1": ["7.0", "6.0", "8.0", "5.5"], "DK1": ["7.0", "6.5", "8.0", "6.0"],
                        "THI1": ["6.0", "7.0", "9.0", "5.0"]})
    submit_and_approve(sec, teacher, registrar)
    return w


def _ids(w):
    return [e.pk for e in w.enrollments]


def _results(ids):
    return (list(ModuleResult.objects.filter(enrollment_id__in=ids).order_by("pk")
                 .values("enrollment_id", "module_id", "score_10", "letter", "score_4",
                         "passed", "status", "credits", "counts_in_gpa", "term_id")),
            list(TermSummary.objects.filter(enrollment_id__in=ids).order_by("pk")
                 .values("enrollment_id", "semester_id", "gpa_4", "gpa_10", "credits_in_gpa",
                         "credits_earned", "standing", "exceeded_max_duration",
                         "classification", "classification_downgraded")))


def _from_scratch(ids):
    """What a recompute without fingerprints computes: the stamps deleted first. Returns
    the rows it wrote (0 when the stored results were already right)."""
    ResultsStamp.objects.filter(enrollment_id__in=ids).delete()
    stats = results_recompute(enrollment_ids=ids)
    assert stats.skipped == 0
    return stats.module_results_written + stats.term_summaries_written


def test_the_approval_stamps_and_an_unchanged_recompute_skips_everyone(graded):
    ids = _ids(graded)
    assert ResultsStamp.objects.filter(enrollment_id__in=ids).count() == 4
    before = _results(ids)

    stats = results_recompute(enrollment_ids=ids)

    assert stats.skipped == 4
    assert (stats.module_results_written, stats.term_summaries_written) == (0, 0)
    assert _results(ids) == before
    # skipping was right: computing them all again finds nothing to write
    assert _from_scratch(ids) == 0


def _one_changed(graded, change) -> tuple[int, object]:
    """Apply `change` to the first learner; recompute all four; return (skipped, stats)."""
    ids = _ids(graded)
    change(graded.enrollments[0])
    stats = results_recompute(enrollment_ids=ids)
    # whatever was skipped, the results are those of a computation from scratch
    assert _from_scratch(ids) == 0
    return stats.skipped, stats


def test_a_changed_round_is_recomputed(graded):
    def change(e):
        LearnerRound.objects.filter(enrollment=e).update(sittings=["9.5"])

    skipped, stats = _one_changed(graded, change)
    assert skipped == 3 and stats.module_results_written == 1
    assert ModuleResult.objects.get(enrollment=graded.enrollments[0]).letter == "A"


def test_a_module_whose_credits_change_is_recomputed_for_everyone(graded):
    module_id = LearnerRound.objects.get(enrollment=graded.enrollments[0]).module_id

    def change(e):
        # a program in use is frozen; a correction by hand is what the fingerprint must see
        with pgtrigger.ignore("training.Module:module_program_not_in_use"):
            Module.objects.filter(pk=module_id).update(credits=5)

    skipped, stats = _one_changed(graded, change)
    assert skipped == 0 and stats.module_results_written == 4
    assert set(ModuleResult.objects.filter(module_id=module_id)
               .values_list("credits", flat=True)) == {5}


def test_a_result_changed_or_deleted_behind_the_services_back_is_put_right(graded):
    first, second = graded.enrollments[:2]
    right = _results(_ids(graded))
    ModuleResult.objects.filter(enrollment=first).update(score_10="0.5", letter="F",
                                                         score_4="0.0")
    TermSummary.objects.filter(enrollment=second).delete()

    stats = results_recompute(enrollment_ids=_ids(graded))

    assert stats.skipped == 2
    assert _results(_ids(graded))[0] == right[0]
    assert len(_results(_ids(graded))[1]) == len(right[1])


def test_a_lowering_disciplinary_decision_is_recomputed(graded, registrar):
    term = LearnerRound.objects.get(enrollment=graded.enrollments[0]).term

    def change(e):
        DisciplineRecord.objects.create(
            enrollment=e, level=DisciplineLevel.WARNING, decision_number="KL-1",
            decision_date=term.starts_on, reason="x", recorded_by=registrar)

    skipped, _stats = _one_changed(graded, change)
    assert skipped == 3


def test_a_reservation_and_the_semester_end_are_inputs(graded, registrar):
    first = graded.enrollments[0]
    before = fingerprints(_ids(graded), grading_rules())
    EnrollmentStatusChange.objects.create(
        enrollment=first, from_status=EnrollmentStatus.STUDYING,
        to_status=EnrollmentStatus.RESERVED, decision_number="BL-1",
        decision_date=date(2026, 2, 1), effective_date=date(2026, 2, 1), reason="x",
        source="registrar",
        by=registrar)
    after = fingerprints(_ids(graded), grading_rules())
    assert after[first.pk] != before[first.pk]
    assert [after[e.pk] for e in graded.enrollments[1:]] == [
        before[e.pk] for e in graded.enrollments[1:]]

    Semester.objects.filter(pk=LearnerRound.objects.get(enrollment=first).term_id).update(
        ends_on=date(2026, 1, 10))
    moved = fingerprints(_ids(graded), grading_rules())
    assert all(moved[pk] != after[pk] for pk in _ids(graded))


def test_other_rules_recompute_everyone(graded):
    rules = dataclasses.replace(grading_rules(), pass_mark=grading_rules().pass_mark + 1)
    stats = results_recompute(enrollment_ids=_ids(graded), rules=rules)
    assert stats.skipped == 0
    stats = results_recompute(enrollment_ids=_ids(graded), rules=rules)
    assert stats.skipped == 4
