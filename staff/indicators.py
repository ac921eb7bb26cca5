"""The two Decision 2222 staff indicators (REGULATIONS.md §9, a1 and a2) as pure functions.

Plain values in, plain values out: no ORM, no Django, so the as-of-date rules can be
tested exhaustively. `staff/selectors.py::indicator_facts` loads the plain values.

As-of rules (docs/staff.md, "Indicators"):

* A person's position on a date is the employment record in force that day: the latest
  record whose effective date is on or before it. A record takes effect on its date, so
  someone whose "left" record is dated on or before the as-of date is not counted, and
  someone whose first record is dated after it is not counted either.
* Active and on-leave staff are counted (§9: "on-leave counted as active").
* Role and department are those of the record in force, so a past figure does not move
  when someone changes department or role later.
* A training counts only when it is a *completed* participation in a course of the right
  kind, with a completion date on or before the as-of date and evidence (the uploaded
  certificate). Completion is a fact with a date and evidence,
  not a checkbox: a later training never changes a past figure.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from vetschool import indicators as platform

# Employment status values (shared with staff.models.EmploymentStatus).
ACTIVE = "active"
ON_LEAVE = "on_leave"
LEFT = "left"
EMPLOYED_STATUSES = frozenset({ACTIVE, ON_LEAVE})

# Training course kinds (shared with staff.models.TrainingKind).
DIGITAL_SKILLS = "digital_skills"
COURSEWARE = "courseware"
OTHER = "other"

# Participation results (shared with staff.models.ParticipationResult).
REGISTERED = "registered"
COMPLETED = "completed"
FAILED = "failed"

A1 = "a1"
A2 = "a2"


@dataclass(frozen=True)
class Target:
    year: int
    share: Decimal  # 0.50 means 50 %


# Decision 2222/QĐ-TTg Art. 1(2)(a): at least 50 % by 2025 and 100 % by 2030, for both.
TARGETS: tuple[Target, ...] = (Target(2025, Decimal("0.50")), Target(2030, Decimal("1.00")))


@dataclass(frozen=True)
class Indicator:
    code: str
    # Who is in the denominator: "teacher or manager" (a1) or "teacher" (a2).
    counts_managers: bool
    # Which course kinds count as the training of this indicator.
    kinds: frozenset[str]


INDICATORS: tuple[Indicator, ...] = (
    # a1: teaching staff and managers trained to improve digital capabilities.
    Indicator(A1, counts_managers=True, kinds=frozenset({DIGITAL_SKILLS})),
    # a2: teaching staff trained to develop digital courseware.
    Indicator(A2, counts_managers=False, kinds=frozenset({COURSEWARE})),
)


@dataclass(frozen=True)
class Position:
    """One dated employment record: from `effective_date`, this status, department, roles."""

    effective_date: date
    status: str
    department: str
    is_teacher: bool
    is_manager: bool


@dataclass(frozen=True)
class Completion:
    """One participation in a training course, as far as the indicators care."""

    kind: str
    result: str
    completed_on: date | None
    has_evidence: bool


@dataclass(frozen=True)
class StaffFacts:
    key: object  # the staff member's id
    code: str
    name: str
    positions: tuple[Position, ...]
    completions: tuple[Completion, ...] = ()


@dataclass(frozen=True)
class TargetStatus:
    year: int
    share: Decimal
    met: bool
    # How many more people must complete the training to reach the target.
    gap: int


@dataclass(frozen=True)
class Share(platform.Share):
    """How many counted staff completed the training (ratio, percent), against targets."""

    targets: tuple[TargetStatus, ...]

    @property
    def missing(self) -> int:
        return self.counted - self.completed


@dataclass(frozen=True)
class MissingPerson:
    key: object
    code: str
    name: str
    department: str
    is_teacher: bool
    is_manager: bool
    status: str


@dataclass(frozen=True)
class IndicatorResult:
    indicator: Indicator
    overall: Share
    by_department: dict[str, Share]
    missing: tuple[MissingPerson, ...]


@dataclass(frozen=True)
class IndicatorReport:
    as_of: date
    department: str | None
    results: tuple[IndicatorResult, ...] = field(default=())

    def result(self, code: str) -> IndicatorResult:
        for result in self.results:
            if result.indicator.code == code:
                return result
        raise KeyError(code)


def position_on(positions: Iterable[Position], as_of: date) -> Position | None:
    """The record in force on `as_of`: the latest one dated on or before it."""
    in_force = None
    for position in positions:
        if position.effective_date <= as_of and (
            in_force is None or position.effective_date > in_force.effective_date
        ):
            in_force = position
    return in_force


def is_employed(position: Position | None) -> bool:
    return position is not None and position.status in EMPLOYED_STATUSES


def is_counted(indicator: Indicator, position: Position | None) -> bool:
    """Whether someone in this position is in the indicator's denominator."""
    if not is_employed(position):
        return False
    return position.is_teacher or (indicator.counts_managers and position.is_manager)


def is_valid_completion(completion: Completion, kinds: frozenset[str], as_of: date) -> bool:
    return (
        completion.result == COMPLETED
        and completion.kind in kinds
        and completion.completed_on is not None
        and completion.completed_on <= as_of
        and completion.has_evidence
    )


def first_completion(completions: Iterable[Completion], kinds: frozenset[str],
                     as_of: date) -> date | None:
    """The earliest date a qualifying training was completed by `as_of`, or None."""
    dates = [c.completed_on for c in completions if is_valid_completion(c, kinds, as_of)]
    return min(dates) if dates else None


def target_statuses(counted: int, completed: int,
                    targets: Sequence[Target] = TARGETS) -> tuple[TargetStatus, ...]:
    statuses = []
    for target in targets:
        needed = platform.needed_for(target.share, counted)
        statuses.append(TargetStatus(
            year=target.year,
            share=target.share,
            met=counted > 0 and completed >= needed,
            gap=max(0, needed - completed),
        ))
    return tuple(statuses)


def share(counted: int, completed: int, targets: Sequence[Target] = TARGETS) -> Share:
    if not 0 <= completed <= counted:
        raise ValueError(f"completed ({completed}) must be within 0..counted ({counted})")
    return Share(counted, completed, target_statuses(counted, completed, targets))


def compute(staff: Iterable[StaffFacts], *, as_of: date, department: str | None = None,
            indicators: Sequence[Indicator] = INDICATORS,
            targets: Sequence[Target] = TARGETS) -> IndicatorReport:
    """Both indicators on `as_of`, overall and per department, with who is missing.

    With `department`, only people whose record in force on `as_of` is in that
    department are considered (the overall figure is then the department's).
    """
    people = []
    for person in staff:
        position = position_on(person.positions, as_of)
        if not is_employed(position):
            continue
        if department is not None and position.department != department:
            continue
        people.append((person, position))

    results = []
    for indicator in indicators:
        counted: dict[str, int] = defaultdict(int)
        completed: dict[str, int] = defaultdict(int)
        missing = []
        for person, position in people:
            if not is_counted(indicator, position):
                continue
            counted[position.department] += 1
            if first_completion(person.completions, indicator.kinds, as_of) is not None:
                completed[position.department] += 1
            else:
                missing.append(MissingPerson(
                    key=person.key, code=person.code, name=person.name,
                    department=position.department, is_teacher=position.is_teacher,
                    is_manager=position.is_manager, status=position.status,
                ))
        by_department = {
            dept: share(counted[dept], completed[dept], targets) for dept in sorted(counted)
        }
        overall = share(sum(counted.values()), sum(completed.values()), targets)
        missing.sort(key=lambda m: (m.department, m.name, m.code))
        results.append(IndicatorResult(indicator, overall, by_department, tuple(missing)))
    return IndicatorReport(as_of=as_of, department=department, results=tuple(results))
