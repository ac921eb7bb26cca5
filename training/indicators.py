"""Decision 2222/QĐ-TTg, criterion b, for this college's programs (REGULATIONS.md §9).

b1: share of program versions in force whose learning outcomes contain a digital
capability — targets 70 % by 2025 and 100 % by 2030.
b2: share of IT / digital-technology programs whose current version took effect within the
last N years — standing target 100 %.

Pure functions over plain values (no ORM): `training.selectors.program_indicator_facts`
loads the facts. Definitions:
* "in force" = status active; every such version counts in b1, also an older version still
  followed by earlier cohorts.
* A *program* in b2 is an occupation with at least one version in force; its *current*
  version is the one in force with the latest effective year (then revision).
* IT programs: occupation codes whose digits after the level digit start with one of the
  configured prefixes (default "48", the field "computing and information technology").
* Updated within the last N years in reporting year Y: effective year > Y − N (N = 3 in
  2026 counts versions of 2024, 2025 and 2026).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from vetschool import indicators as platform


@dataclass(frozen=True)
class ProgramFacts:
    id: int
    occupation_code: str
    name: str
    version: str
    effective_year: int
    revision: int = 1
    has_digital_outcome: bool = False


@dataclass(frozen=True)
class Target:
    year: int | None  # None: a standing target
    share: Decimal  # 0.70 is 70 %


DIGITAL_OUTCOME_TARGETS = (Target(2025, Decimal("0.70")), Target(2030, Decimal("1.00")))
IT_UPDATED_TARGETS = (Target(None, Decimal("1.00")),)


@dataclass(frozen=True)
class TargetCheck:
    target: Target
    met: bool | None  # None when nothing is counted
    gap: int  # how many more programs would meet it

    @property
    def percent(self) -> Decimal:
        return (self.target.share * 100).quantize(Decimal("1"))


@dataclass(frozen=True)
class Share(platform.Share):
    """How many counted versions or programs meet the criterion, against targets."""

    targets: tuple[TargetCheck, ...]


def share_of(counted: int, completed: int, targets: Sequence[Target]) -> Share:
    checks = []
    for target in targets:
        if not counted:
            checks.append(TargetCheck(target, None, 0))
            continue
        needed = platform.needed_for(target.share, counted)
        checks.append(TargetCheck(target, completed >= needed, max(0, needed - completed)))
    return Share(counted, completed, tuple(checks))


@dataclass(frozen=True)
class DigitalOutcomes:
    share: Share
    missing: tuple[ProgramFacts, ...]  # versions in force without a digital outcome


def digital_outcomes(versions: Iterable[ProgramFacts],
                     targets: Sequence[Target] = DIGITAL_OUTCOME_TARGETS) -> DigitalOutcomes:
    versions = list(versions)
    missing = tuple(v for v in versions if not v.has_digital_outcome)
    return DigitalOutcomes(share_of(len(versions), len(versions) - len(missing), targets),
                           missing)


def is_it_occupation(code: str, prefixes: Iterable[str]) -> bool:
    """True when the occupation's field (the digits after the level digit) is an IT one."""
    field = code[1:]
    return any(field.startswith(prefix) for prefix in prefixes if prefix)


def current_versions(versions: Iterable[ProgramFacts]) -> list[ProgramFacts]:
    """Per occupation, the version in force with the latest effective year and revision."""
    latest: dict[str, ProgramFacts] = {}
    for version in versions:
        best = latest.get(version.occupation_code)
        if best is None or (version.effective_year, version.revision) > (
                best.effective_year, best.revision):
            latest[version.occupation_code] = version
    return sorted(latest.values(), key=lambda v: v.occupation_code)


@dataclass(frozen=True)
class ItProgramsUpdated:
    share: Share
    years: int
    reporting_year: int
    programs: tuple[ProgramFacts, ...]  # current versions of the IT programs
    outdated: tuple[ProgramFacts, ...]  # of them, those not updated within the period

    @property
    def since_year(self) -> int:
        """The earliest effective year that counts as updated."""
        return self.reporting_year - self.years + 1


def it_programs_updated(versions: Iterable[ProgramFacts], *, reporting_year: int, years: int,
                        prefixes: Iterable[str],
                        targets: Sequence[Target] = IT_UPDATED_TARGETS) -> ItProgramsUpdated:
    if years < 1:
        raise ValueError("years must be at least 1")
    prefixes = tuple(prefixes)
    programs = tuple(v for v in current_versions(versions)
                     if is_it_occupation(v.occupation_code, prefixes))
    outdated = tuple(v for v in programs if v.effective_year <= reporting_year - years)
    return ItProgramsUpdated(
        share=share_of(len(programs), len(programs) - len(outdated), targets),
        years=years, reporting_year=reporting_year, programs=programs, outdated=outdated,
    )
