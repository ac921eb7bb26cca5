"""Graduate employment figures as pure functions over plain rows (no ORM), so a test can
feed them the same rows a plain SQL query reads.

The rate's definition (docs/quality.md; an interpretation, the project's sources give none):
employed = employed in the occupation + outside it + self-employed; the employment rate is
employed ÷ graduates who answered at that checkpoint; further study is shown beside it, not
counted as employed; the response rate is answers ÷ graduates of the cohort.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

EMPLOYED_STATUSES = frozenset({"in_occupation", "outside", "self_employed"})


@dataclass(frozen=True)
class Graduate:
    enrollment_id: int
    occupation_code: str
    occupation_name: str
    level: str
    graduation_year: int


@dataclass(frozen=True)
class Answer:
    enrollment_id: int
    checkpoint: int
    status: str


@dataclass(frozen=True)
class Figure:
    occupation_code: str
    occupation_name: str
    level: str
    graduation_year: int
    checkpoint: int
    graduates: int
    answered: int
    employed: int
    in_occupation: int
    further_study: int

    @property
    def response_rate(self) -> Decimal | None:
        return percent(self.answered, self.graduates)

    @property
    def employment_rate(self) -> Decimal | None:
        return percent(self.employed, self.answered)

    @property
    def in_occupation_rate(self) -> Decimal | None:
        return percent(self.in_occupation, self.answered)


def percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(100 * part) / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def employment_figures(graduates, answers, checkpoints=(6, 12)) -> list[Figure]:
    """One figure per occupation, level, graduation year and checkpoint. Each graduate counts
    once per checkpoint (answers are unique per graduate and checkpoint); an answer of a
    person not among `graduates` counts nowhere."""
    cohort_of = {g.enrollment_id: (g.occupation_code, g.level, g.graduation_year)
                 for g in graduates}
    names = {(g.occupation_code, g.level, g.graduation_year): g.occupation_name
             for g in graduates}
    size = defaultdict(int)
    for key in cohort_of.values():
        size[key] += 1
    tally = defaultdict(lambda: defaultdict(int))
    seen = set()
    for answer in answers:
        cohort = cohort_of.get(answer.enrollment_id)
        if cohort is None or (answer.enrollment_id, answer.checkpoint) in seen:
            continue
        seen.add((answer.enrollment_id, answer.checkpoint))
        counts = tally[(*cohort, answer.checkpoint)]
        counts["answered"] += 1
        counts["employed"] += answer.status in EMPLOYED_STATUSES
        counts["in_occupation"] += answer.status == "in_occupation"
        counts["further_study"] += answer.status == "further_study"
    figures = []
    for (code, level, year), count in size.items():
        for checkpoint in checkpoints:
            counts = tally.get((code, level, year, checkpoint), {})
            figures.append(Figure(
                code, names[(code, level, year)], level, year, checkpoint, count,
                counts.get("answered", 0), counts.get("employed", 0),
                counts.get("in_occupation", 0), counts.get("further_study", 0)))
    return sorted(figures, key=lambda f: (-f.graduation_year, f.occupation_code, f.level,
                                          f.checkpoint))
