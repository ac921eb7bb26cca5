"""The integer GPA of the recompute's inner loop (grading.computation.integer_gpa) gives
exactly grading.regulation's Decimal GPA: on every worked example of tests/examples/gpa.json
and on many random sets of sittings (repeated modules, condition modules, failures)."""

import json
import random
from decimal import Decimal as D
from pathlib import Path

import pytest

from grading import regulation
from grading.computation import _IntEntry, integer_gpa, integer_gpa_applies

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
RULES = regulation.GradingRules()


def both(modules: list[tuple[str, int, D, bool]], scope: str):
    """(Decimal GPA, integer GPA) of (module, credits, score, counts_in_gpa) entries."""
    decimal_entries, int_entries = [], []
    for module, credits, score, counts in modules:
        grade = regulation.letter_grade(score, rules=RULES)
        decimal_entries.append(regulation.GpaModule(credits, score, counts, module=module,
                                                    letter=grade.letter))
        int_entries.append(_IntEntry(hash(module), credits, int(score * 10),
                                     int(grade.score_4 * 10), grade.passed, counts))
    expected = regulation.gpa(decimal_entries, scope, rules=RULES)
    includes_failed = (RULES.semester_gpa_includes_failed if scope == regulation.SCOPE_SEMESTER
                       else RULES.cumulative_gpa_includes_failed)
    return expected, integer_gpa(int_entries, includes_failed)


def test_the_rules_in_force_take_the_integer_path():
    assert integer_gpa_applies(RULES)


@pytest.mark.parametrize("case", json.loads((EXAMPLES / "gpa.json").read_text())["cases"],
                         ids=lambda c: c["id"])
def test_integer_gpa_equals_the_worked_example(case):
    modules = [(m["module"], m["credits"], D(m["score_10"]), m["counts_in_gpa"])
               for m in case["input"]["modules"] if not m.get("exempted")]
    expected, got = both(modules, case["input"]["scope"])
    assert got == expected
    want = case["expected"]
    assert (got.gpa_4, got.gpa_10) == tuple(None if want[k] is None else D(want[k])
                                            for k in ("gpa_4", "gpa_10"))


@pytest.mark.parametrize("seed", range(40))
@pytest.mark.parametrize("scope", [regulation.SCOPE_SEMESTER, regulation.SCOPE_CUMULATIVE])
def test_integer_gpa_equals_the_decimal_gpa_on_random_sittings(seed, scope):
    rng = random.Random(seed)
    for _ in range(50):
        modules = [(f"M{rng.randrange(12)}", rng.choice([1, 2, 3, 4, 5]),
                    D(rng.randrange(0, 101)) / 10, rng.random() > 0.1)
                   for _ in range(rng.randrange(0, 25))]
        expected, got = both(modules, scope)
        assert got == expected, modules
