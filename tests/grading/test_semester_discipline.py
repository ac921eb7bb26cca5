"""§2.4 a: a learner disciplined at warning (cảnh cáo) or higher in a semester is classified
one level lower on the transcript, with the reason shown; a reprimand (khiển trách) alone,
a form of Art. 17(2)–(3) or a revoked decision does not lower it. The table
(tests/examples/semester_discipline.csv, written for issue #20) runs through the pure rules;
the pipeline tests record the decision through the enrolment service and read the summary
grading recomputed in the same transaction."""

import csv
from datetime import date
from pathlib import Path

import pytest
from django.urls import reverse

from enrollment.models import LOWERING_DISCIPLINE, DisciplineLevel
from enrollment.services import discipline_record, discipline_revoke
from grading import regulation
from grading.computation import classification_reasons, term_of_date
from grading.config import grading_rules
from grading.models import TermSummary
from tests.grading.factories import section, semester, world
from tests.grading.test_gradebook import fill, submit_and_approve

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
with (EXAMPLES / "semester_discipline.csv").open(encoding="utf-8") as handle:
    ROWS = list(csv.DictReader(handle))


@pytest.mark.parametrize("row", ROWS, ids=lambda r: r["id"])
def test_semester_classification_with_discipline(row):
    level = row["discipline_in_semester"]
    disciplined = (level in LOWERING_DISCIPLINE and row["art17_excluded"] == "false"
                   and row["revoked"] == "false")
    rules = grading_rules()
    result = regulation.semester_classification(
        row["cumulative_gpa_4"], retaken_modules=int(row["retaken_modules"]),
        disciplined_warning_or_higher=disciplined, rules=rules)
    assert result.level == row["expected_classification"], row["why"]
    assert result.downgraded is (row["expected_downgraded"] == "true")
    expected = row["expected_reasons"].split(";") if row["expected_reasons"] else []
    assert classification_reasons(result, disciplined, int(row["retaken_modules"]),
                                  rules) == expected


def test_a_decision_counts_in_the_semester_its_date_falls_in():
    starts = [(date(2025, 9, 1), 1), (date(2026, 1, 19), 2), (date(2026, 7, 6), 2)]
    assert term_of_date(date(2025, 8, 31), starts) is None
    assert term_of_date(date(2025, 11, 3), starts) == 1
    assert term_of_date(date(2026, 1, 19), starts) == 2
    assert term_of_date(date(2026, 7, 20), starts) == 2  # summer term: with semester 2


MODULE = [("MX", "Mô-đun ví dụ", 3, 30, 30, True, (1, 1))]


@pytest.fixture
def excellent(db, teacher, registrar, learner):
    """One learner with an A in the first semester of 2025: cumulative 4.00, excellent."""
    w = world(1, modules=MODULE, users=[learner])
    sec = section(w, "MX", sem=semester(2025, 1), teacher=teacher)
    fill(sec, teacher, {"TX1": ["9.0"], "DK1": ["9.0"], "THI1": ["9.0"]})
    submit_and_approve(sec, teacher, registrar)
    summary = TermSummary.objects.get(enrollment=w.enrollments[0])
    assert summary.classification == "excellent"
    return w.enrollments[0]


def _record(enrollment, registrar, level, **extra):
    return discipline_record(enrollment=enrollment, level=level, decision_number="15/QĐ-CĐSH",
                             decision_date=date(2025, 11, 10), reason="Vi phạm quy chế thi",
                             by=registrar, **extra)


def test_a_warning_lowers_the_semester_and_the_transcript_says_why(
        excellent, registrar, client, learner):
    record = _record(excellent, registrar, DisciplineLevel.WARNING)
    summary = TermSummary.objects.get(enrollment=excellent)
    assert (summary.classification, summary.classification_downgraded,
            summary.classification_reasons) == ("very_good", True, ["DISCIPLINE"])
    client.force_login(learner)
    with_reason = client.get(reverse("grading:my-transcript")).content.decode()
    assert "disciplined at warning or higher in the semester" in with_reason

    discipline_revoke(record=record, decision_number="20/QĐ-CĐSH",
                      decision_date=date(2025, 12, 1), reason="Khiếu nại được chấp nhận",
                      by=registrar)
    summary.refresh_from_db()
    assert (summary.classification, summary.classification_reasons) == ("excellent", [])


@pytest.mark.parametrize(("level", "extra"), [
    (DisciplineLevel.REPRIMAND, {}),
    (DisciplineLevel.WARNING, {"art17_excluded": True}),
])
def test_a_reprimand_or_an_art17_form_does_not_lower(excellent, registrar, level, extra):
    _record(excellent, registrar, level, **extra)
    summary = TermSummary.objects.get(enrollment=excellent)
    assert (summary.classification, summary.classification_downgraded) == ("excellent", False)


def test_a_warning_in_another_semester_does_not_lower_this_one(excellent, registrar):
    semester(2026, 1)
    discipline_record(enrollment=excellent, level=DisciplineLevel.WARNING,
                      decision_number="15/QĐ", decision_date=date(2026, 10, 5),
                      reason="Vi phạm nội quy", by=registrar)
    summary = TermSummary.objects.get(enrollment=excellent)
    assert summary.classification == "excellent"
