"""The as-of-date rules of the 2222 staff indicators, as pure functions (no database)."""

from datetime import date
from decimal import Decimal

import pytest

from staff import charts, indicators
from staff.competency import overall_rank
from staff.indicators import (
    A1,
    A2,
    COMPLETED,
    COURSEWARE,
    DIGITAL_SKILLS,
    FAILED,
    OTHER,
    REGISTERED,
    Completion,
    Position,
    StaffFacts,
    compute,
    position_on,
    share,
)

AS_OF = date(2025, 12, 31)


def pos(day, status="active", dept="CNTT", teacher=True, manager=False):
    return Position(day, status, dept, teacher, manager)


def done(day, kind=DIGITAL_SKILLS, result=COMPLETED, evidence=True):
    return Completion(kind, result, day, evidence)


def person(key, positions, completions=(), code=None):
    return StaffFacts(key, code or f"S{key}", f"Person {key}", tuple(positions),
                      tuple(completions))


def a1(report):
    return report.result(A1)


def a2(report):
    return report.result(A2)


# --- Who is employed on the date -------------------------------------------------------


def test_the_record_in_force_is_the_latest_dated_on_or_before_the_day():
    records = [pos(date(2020, 9, 1)), pos(date(2024, 1, 1), "on_leave"),
               pos(date(2026, 1, 1), "left")]
    assert position_on(records, date(2019, 12, 31)) is None
    assert position_on(records, date(2020, 9, 1)).status == "active"
    assert position_on(records, date(2025, 12, 31)).status == "on_leave"
    assert position_on(records, date(2026, 1, 1)).status == "left"


@pytest.mark.parametrize(
    ("records", "counted"),
    [
        ([pos(date(2020, 1, 1))], 1),                                       # active
        ([pos(date(2020, 1, 1)), pos(date(2025, 6, 1), "on_leave")], 1),    # on leave counts
        ([pos(date(2020, 1, 1)), pos(date(2025, 6, 30), "left")], 0),       # left before
        ([pos(date(2020, 1, 1)), pos(AS_OF, "left")], 0),                   # left on the day
        ([pos(date(2020, 1, 1)), pos(date(2026, 1, 1), "left")], 1),        # left after
        ([pos(date(2026, 1, 2))], 0),                                       # hired after
        ([pos(AS_OF)], 1),                                                  # hired on the day
        ([pos(date(2018, 1, 1)), pos(date(2020, 1, 1), "left"),
          pos(date(2023, 1, 1))], 1),                                       # came back
        ([], 0),                                                            # no record
    ],
)
def test_employment_on_the_as_of_date_decides_who_is_counted(records, counted):
    report = compute([person(1, records)], as_of=AS_OF)
    assert a1(report).overall.counted == counted


def test_a1_counts_teachers_and_managers_a2_only_teachers():
    people = [
        person(1, [pos(date(2020, 1, 1), teacher=True, manager=False)]),
        person(2, [pos(date(2020, 1, 1), teacher=False, manager=True)]),
        person(3, [pos(date(2020, 1, 1), teacher=True, manager=True)]),
        person(4, [pos(date(2020, 1, 1), teacher=False, manager=False)]),  # other staff
    ]
    report = compute(people, as_of=AS_OF)
    assert a1(report).overall.counted == 3
    assert a2(report).overall.counted == 2


def test_role_and_department_are_those_in_force_on_the_date():
    # Became a teacher only in 2026, and moved department then: the 2025 figure ignores it.
    records = [pos(date(2020, 1, 1), dept="PDT", teacher=False, manager=True),
               pos(date(2026, 2, 1), dept="CNTT", teacher=True, manager=False)]
    report_2025 = compute([person(1, records)], as_of=AS_OF)
    assert list(a1(report_2025).by_department) == ["PDT"]
    assert a2(report_2025).overall.counted == 0
    report_2026 = compute([person(1, records)], as_of=date(2026, 6, 1))
    assert list(a1(report_2026).by_department) == ["CNTT"]
    assert a2(report_2026).overall.counted == 1


# --- What counts as trained --------------------------------------------------------------


@pytest.mark.parametrize(
    ("completion", "trained"),
    [
        (done(date(2025, 5, 1)), True),
        (done(AS_OF), True),                                    # completed on the day
        (done(date(2026, 1, 1)), False),                        # completed after the date
        (done(date(2025, 5, 1), evidence=False), False),        # no certificate
        (done(date(2025, 5, 1), kind=COURSEWARE), False),       # wrong kind for a1
        (done(date(2025, 5, 1), kind=OTHER), False),
        (done(None, result=FAILED), False),
        (done(None, result=REGISTERED), False),
        (done(None), False),                                    # completed without a date
    ],
)
def test_a1_counts_only_completed_digital_skills_trainings_with_date_and_evidence(
        completion, trained):
    report = compute([person(1, [pos(date(2020, 1, 1))], [completion])], as_of=AS_OF)
    assert a1(report).overall.completed == (1 if trained else 0)
    assert len(a1(report).missing) == (0 if trained else 1)


def test_a2_counts_courseware_trainings_only():
    people = [person(1, [pos(date(2020, 1, 1))], [done(date(2025, 1, 1), kind=COURSEWARE)]),
              person(2, [pos(date(2020, 1, 1))], [done(date(2025, 1, 1))])]
    report = compute(people, as_of=AS_OF)
    assert (a2(report).overall.completed, a1(report).overall.completed) == (1, 1)
    assert [m.key for m in a2(report).missing] == [2]


def test_a_past_figure_does_not_change_when_someone_is_trained_later():
    before = [person(1, [pos(date(2020, 1, 1))]), person(2, [pos(date(2020, 1, 1))],
                                                          [done(date(2025, 3, 1))])]
    after = [person(1, [pos(date(2020, 1, 1))], [done(date(2026, 3, 1))]), before[1]]
    assert compute(before, as_of=AS_OF) == compute(after, as_of=AS_OF)
    assert a1(compute(after, as_of=date(2026, 3, 1))).overall.completed == 2


def test_a_training_completed_before_leaving_does_not_count_after_leaving():
    records = [pos(date(2020, 1, 1)), pos(date(2025, 6, 1), "left")]
    report = compute([person(1, records, [done(date(2024, 1, 1))])], as_of=AS_OF)
    assert a1(report).overall.counted == 0
    assert a1(report).overall.completed == 0


# --- Shares and targets --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("counted", "completed", "percent", "met_2025", "gap_2025", "met_2030", "gap_2030"),
    [
        (10, 5, Decimal("50.0"), True, 0, False, 5),      # exactly 50 % meets the 2025 target
        (9, 4, Decimal("44.4"), False, 1, False, 5),      # 4.5 needed → 5
        (3, 2, Decimal("66.7"), True, 0, False, 1),       # rounded half up for display
        (8, 1, Decimal("12.5"), False, 3, False, 7),
        (200, 1, Decimal("0.5"), False, 99, False, 199),
        (4, 4, Decimal("100.0"), True, 0, True, 0),
        (0, 0, None, False, 0, False, 0),                 # nobody counted: no share, not met
    ],
)
def test_share_against_the_2025_and_2030_targets(counted, completed, percent, met_2025,
                                                 gap_2025, met_2030, gap_2030):
    result = share(counted, completed)
    assert result.percent == percent
    (t2025, t2030) = result.targets
    assert (t2025.year, t2025.met, t2025.gap) == (2025, met_2025, gap_2025)
    assert (t2030.year, t2030.met, t2030.gap) == (2030, met_2030, gap_2030)


def test_share_is_an_exact_decimal_never_a_float():
    result = share(3, 1)
    assert isinstance(result.ratio, Decimal)
    assert result.ratio == Decimal(1) / Decimal(3)


def test_share_refuses_impossible_counts():
    with pytest.raises(ValueError):
        share(2, 3)


def test_per_department_figures_sum_to_the_overall_and_filter_narrows_to_one():
    people = [
        person(1, [pos(date(2020, 1, 1), dept="CK")], [done(date(2024, 1, 1))]),
        person(2, [pos(date(2020, 1, 1), dept="CK")]),
        person(3, [pos(date(2020, 1, 1), dept="CNTT")], [done(date(2024, 1, 1))]),
    ]
    report = compute(people, as_of=AS_OF)
    by_dept = a1(report).by_department
    assert {k: (v.completed, v.counted) for k, v in by_dept.items()} == {
        "CK": (1, 2), "CNTT": (1, 1)}
    assert (a1(report).overall.completed, a1(report).overall.counted) == (2, 3)
    only_ck = compute(people, as_of=AS_OF, department="CK")
    assert (a1(only_ck).overall.completed, a1(only_ck).overall.counted) == (1, 2)
    assert [m.key for m in a1(only_ck).missing] == [2]


def test_missing_list_is_sorted_by_department_then_name():
    people = [person(k, [pos(date(2020, 1, 1), dept=d)], code=f"S{k}")
              for k, d in [(3, "CNTT"), (1, "CNTT"), (2, "CK")]]
    assert [m.key for m in a1(compute(people, as_of=AS_OF)).missing] == [2, 1, 3]


# --- Overall competency level and the chart ---------------------------------------------------


@pytest.mark.parametrize(
    ("ranks", "expected"),
    [
        ({1: 3, 2: 3, 3: 3}, 3),
        ({1: 3, 2: 4, 3: 4}, 3),      # mean 3.67 → never rounded up
        ({1: 1, 2: 6}, 3),            # mean 3.5 → 3
        ({1: 6, 2: 6}, 6),
        ({1: 4, 2: None}, None),      # an area without a level: no overall level
    ],
)
def test_overall_level_is_the_floor_of_the_mean_rank(ranks, expected):
    assert overall_rank(ranks, list(ranks)) == expected


def test_overall_level_needs_areas_and_positive_ranks():
    assert overall_rank({}, []) is None
    with pytest.raises(ValueError):
        overall_rank({1: 0}, [1])


def test_chart_places_bars_and_targets_on_the_percent_scale():
    chart = charts.bar_chart(
        [("Whole college", [(Decimal("50.0"), "50%"), (None, "nobody")])],
        [(Decimal(50), "2025: 50%"), (Decimal(100), "2030: 100%")],
    )
    first, second = chart.rows[0].bars
    assert first.width == Decimal(charts.PLOT_WIDTH) / 2
    assert second.width == 0
    assert [line.x for line in chart.targets] == [
        charts.LABEL_WIDTH + charts.PLOT_WIDTH / 2, charts.LABEL_WIDTH + charts.PLOT_WIDTH]
    assert charts.x_of(Decimal(150)) == charts.LABEL_WIDTH + charts.PLOT_WIDTH  # clamped


def test_targets_are_those_of_decision_2222():
    assert [(t.year, t.share) for t in indicators.TARGETS] == [
        (2025, Decimal("0.50")), (2030, Decimal("1.00"))]
