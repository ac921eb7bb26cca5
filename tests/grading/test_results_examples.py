"""The worked examples of module results and GPA (tests/examples, from ../shared/domain),
pushed through the whole pipeline: scores typed into gradebooks, submitted, approved,
results computed in the database — and compared with the expected values."""

import json
from decimal import Decimal as D
from pathlib import Path

import pytest

from grading import regulation
from grading.models import ModuleExemption, ModuleResult, TermSummary
from grading.services.gradebook import improvement_sitting_grant
from tests.grading.factories import section, semester, world
from tests.grading.test_gradebook import fill, submit_and_approve
from training.models import SectionLearnerSource

pytestmark = pytest.mark.django_db

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
MARKS = {regulation.ABSENT_UNEXCUSED: "KP", regulation.ABSENT_EXCUSED: "V"}
SEMESTERS = [(2025, 1), (2025, 2), (2026, 1), (2026, 2)]


def cases(name):
    return json.loads((EXAMPLES / name).read_text(encoding="utf-8"))["cases"]


def study(w, module_code, rounds, teacher, registrar):
    """Each round is a section in the next semester; checks TX1 = ĐK1 = the round's average."""
    enrollment = w.enrollments[0]
    for index, round_ in enumerate(rounds):
        if index == 0:
            source = SectionLearnerSource.CLASS
        elif round_.get("improvement"):
            source = SectionLearnerSource.IMPROVEMENT
        else:
            source = SectionLearnerSource.RESTUDY
        sec = section(w, module_code, sem=semester(*SEMESTERS[index]), teacher=teacher,
                      enrollments=[enrollment], source=source)
        average = round_["checks_average"]
        exams = [MARKS.get(e, e) for e in round_["exams"]]
        fill(sec, teacher, {"TX1": [average], "DK1": [average],
                            **({"THI1": [exams[0]]} if round_["eligible"] else {})})
        submit_and_approve(sec, teacher, registrar)
        for sitting, exam in enumerate(exams[1:], start=2):
            sec.gradebook.refresh_from_db()
            if sec.gradebook.status == "approved":  # passed: a sitting to improve the score
                improvement_sitting_grant(section_learner=sec.learners.get(),
                                          by=registrar, decision_number="21/QĐ-CĐSH")
            fill(sec, teacher, {f"THI{sitting}": [exam]})
            submit_and_approve(sec, teacher, registrar)
    return ModuleResult.objects.get(enrollment=enrollment, module=w.module(module_code))


@pytest.mark.parametrize("case", cases("module_result.json"), ids=lambda c: c["id"])
def test_module_result_example_through_the_gradebook(case, teacher, registrar):
    w = world(1, modules=[("MX", "Mô-đun ví dụ", 3, 30, 30, True, (1, 1))])
    result = study(w, "MX", case["input"]["rounds"], teacher, registrar)
    expected = case["expected"]
    dec = lambda v: None if v is None else D(v)  # noqa: E731
    assert result.score_10 == dec(expected["score_10"])
    assert (result.letter or None) == expected["letter"]
    assert result.score_4 == dec(expected["score_4"])
    assert result.passed == expected["passed"]
    assert result.attempts == expected["attempts"]
    assert result.had_to_retake == expected["had_to_retake"]
    assert result.status == expected["status"]


def solve(score: D) -> tuple[str, str]:
    """Checks average and exam score (both ≥ 5.0 for the checks) giving this module score."""
    for tenths in range(50, 101):
        checks = D(tenths) / 10
        for exam_tenths in range(0, 101):
            exam = D(exam_tenths) / 10
            if regulation.module_score(checks, exam) == score:
                return str(checks), str(exam)
    raise AssertionError(f"no checks/exam pair for {score}")


@pytest.mark.parametrize("case", cases("gpa.json"), ids=lambda c: c["id"])
def test_gpa_example_through_the_gradebook(case, teacher, registrar):
    modules = case["input"]["modules"]
    w = world(1, modules=[(m["module"], f"Mô-đun {m['module']}", m["credits"], 30, 30,
                           m["counts_in_gpa"], (1, 1)) for m in modules])
    enrollment = w.enrollments[0]
    for m in modules:
        if m.get("exempted"):
            ModuleExemption.objects.create(enrollment=enrollment, module=w.module(m["module"]),
                                           decision_number="15/QĐ", reason="Miễn",
                                           granted_by=registrar)
            continue
        sec = section(w, m["module"], teacher=teacher)
        score = D(m["score_10"])
        if score < D("2.0"):
            # Below any eligible score: the learner could not sit (an F counted as 0.0 in the
            # semester GPA, docs/grading.md) — only 0.0 occurs in the examples.
            assert score == 0
            fill(sec, teacher, {"TX1": ["4.0"], "DK1": ["4.0"]})
        else:
            checks, exam = solve(score)
            fill(sec, teacher, {"TX1": [checks], "DK1": [checks], "THI1": [exam]})
        submit_and_approve(sec, teacher, registrar)
    from grading.services.results import results_recompute

    results_recompute(enrollment_ids=[enrollment.pk])  # exemptions written directly above
    summary = TermSummary.objects.get(enrollment=enrollment)
    expected = case["expected"]
    dec = lambda v: None if v is None else D(v)  # noqa: E731
    if case["input"]["scope"] == "semester":
        got = (summary.gpa_4, summary.gpa_10, summary.credits_in_gpa, summary.credits_earned)
    else:
        got = (summary.cumulative_gpa_4, summary.cumulative_gpa_10,
               summary.cumulative_credits_in_gpa, summary.cumulative_credits_earned)
    assert got == (dec(expected["gpa_4"]), dec(expected["gpa_10"]), expected["credits_in_gpa"],
                   expected["credits_earned"])
