"""The pure rules of the self-assessment (quality/accreditation.py), table-driven for both
circulars (REGULATIONS §8)."""

from decimal import Decimal as D

import pytest

from quality import accreditation as rules

TT15 = rules.Thresholds(points_per_standard=D(1), pass_total=D(80),
                        min_criterion_ratio=D("0.6"), key_criteria=frozenset({2, 3, 4, 5}),
                        key_criterion_ratio=D("0.8"))
TT15_BENCHMARKS = {1: 12, 2: 17, 3: 15, 4: 15, 5: 15, 6: 5, 7: 6, 8: 9, 9: 6}
# 14/2024: 2 points a standard; benchmarks and pass thresholds unknown (Appendix 01 not found).
TT14_UNKNOWN = rules.Thresholds(points_per_standard=D(2))
TT14_AS_15 = rules.Thresholds(points_per_standard=D(2), pass_total=D(80),
                              min_criterion_ratio=D("0.6"), key_criteria=frozenset({2, 3, 4, 5}),
                              key_criterion_ratio=D("0.8"))


def tt15(met: dict[int, int], unrated: dict[int, int] | None = None):
    """Criteria of 15/2017 with `met[n]` standards met (default all), the rest not met."""
    unrated = unrated or {}
    return [rules.CriterionInput(n, D(b), tuple(
        [True] * met.get(n, b) + [None] * unrated.get(n, 0)
        + [False] * (b - met.get(n, b) - unrated.get(n, 0))))
        for n, b in TT15_BENCHMARKS.items()]


@pytest.mark.parametrize("met, passed, total, missing", [
    ({}, True, 100, []),
    # exactly at every threshold: 80 total; criterion 2: ceil(13.6)=14; 3–5: 12; 1: ceil(7.2)=8
    ({1: 8, 2: 14, 3: 12, 4: 12, 5: 12, 6: 5, 7: 6, 8: 6, 9: 5}, True, 80, []),
    # one point short of the total
    ({1: 8, 2: 14, 3: 12, 4: 12, 5: 12, 6: 5, 7: 6, 8: 6, 9: 4}, False, 79,
     [(None, 79, 80)]),
    # total fine but key criterion 2 at 13/17 (< 80 %)
    ({2: 13}, False, 96, [(2, 13, 14)]),
    # ordinary criterion 6 at 2/5 (< 60 % = 3)
    ({6: 2}, False, 97, [(6, 2, 3)]),
    # criterion 1 at 7/12: 60 % of 12 is 7.2, so 8 are needed
    ({1: 7}, False, 95, [(1, 7, 8)]),
    # several shortfalls, total first
    ({2: 10, 3: 10, 4: 10, 5: 10}, False, 78,
     [(None, 78, 80), (2, 10, 14), (3, 10, 12), (4, 10, 12), (5, 10, 12)]),
])
def test_circular_15_2017(met, passed, total, missing):
    result = rules.evaluate(TT15, tt15(met))
    assert result.passed is passed
    assert result.total == total
    assert result.maximum == 100
    assert [(m.criterion, m.points, m.required) for m in result.missing] == missing


def test_unrated_standards_leave_the_verdict_open_until_a_shortfall_is_certain():
    assert rules.evaluate(TT15, tt15({9: 5}, unrated={9: 1})).passed is None
    still_possible = rules.evaluate(TT15, tt15({2: 10}, unrated={2: 7}))
    assert still_possible.passed is None
    assert [(m.criterion, m.needed) for m in still_possible.missing] == [(2, 4)]
    certain = rules.evaluate(TT15, tt15({2: 10}, unrated={2: 3}))
    assert certain.passed is False and certain.missing[0].criterion == 2


@pytest.mark.parametrize("thresholds, benchmarks, met, passed", [
    # thresholds unknown: never a verdict, even with every standard met
    (TT14_UNKNOWN, {1: None, 2: None}, {1: (True,) * 5, 2: (True,) * 5}, None),
    # benchmark known but pass thresholds unknown
    (TT14_UNKNOWN, {1: D(10)}, {1: (True,) * 5}, None),
    # thresholds entered as data (same as 15/2017) and benchmarks known
    (TT14_AS_15, {1: D(50), 2: D(50)}, {1: (True,) * 25, 2: (True,) * 25}, True),
    (TT14_AS_15, {1: D(50), 2: D(50)}, {1: (True,) * 25, 2: (True,) * 19 + (False,) * 6},
     False),
])
def test_circular_14_2024(thresholds, benchmarks, met, passed):
    result = rules.evaluate(thresholds, [rules.CriterionInput(n, benchmarks[n], met[n])
                                         for n in benchmarks])
    assert result.passed is passed
    assert result.total == 2 * sum(sum(1 for m in v if m) for v in met.values())


def test_criterion_two_of_14_2024_short_by_whole_standards():
    # 80 % of 50 = 40 points = 20 standards; 19 met = 38 points
    result = rules.evaluate(TT14_AS_15, [rules.CriterionInput(2, D(50), (True,) * 19)])
    assert [(m.criterion, m.points, m.required, m.needed) for m in result.missing][-1] == (
        2, 38, 40, 2)


@pytest.mark.parametrize("ratings, window, met", [
    ({2024: True, 2025: True, 2026: True}, [2024, 2025, 2026], True),   # college, 3 years
    ({2024: False, 2025: True, 2026: True}, [2024, 2025, 2026], False),
    ({2025: True, 2026: True}, [2024, 2025, 2026], None),               # a year unrated
    ({2025: False}, [2024, 2025, 2026], False),                         # already failed
    ({2025: True, 2026: True}, [2025, 2026], True),                     # intermediate, 2 years
    ({2020: True, 2026: True}, [2026], True),                           # years outside ignored
])
def test_standard_met_over_the_compliance_window(ratings, window, met):
    assert rules.standard_met(ratings, window) is met


def test_window_and_codes():
    assert rules.window_years(2026, 3) == [2024, 2025, 2026]
    assert rules.window_years(2026, 2) == [2025, 2026]
    assert rules.evidence_code(2, 3, 7) == "2.03.07"
    assert rules.evidence_code(10, 12, 105) == "10.12.105"


@pytest.mark.parametrize("members, warnings", [
    ([("chair", False), ("member", True), ("member", True)], []),
    ([("chair", False), ("member", True)], ["few_enterprise_representatives"]),
    ([("member", True), ("member", True)], ["no_chair"]),
    ([], ["few_enterprise_representatives", "no_chair"]),
])
def test_council_warnings(members, warnings):
    assert rules.council_warnings(members) == warnings
