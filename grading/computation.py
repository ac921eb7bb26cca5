"""The pure half of the results (REGULATIONS §1.7–§3): one enrolment's module results and
semester summaries from its study rounds, as plain values — no ORM, no I/O, so it is tested
anywhere. grading.services.results reads the rounds, calls `compute_enrollment` and writes
what changed; the arithmetic itself is grading.regulation's.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from grading import regulation
from vetschool.dates import add_months

# Why a semester classification was lowered (§2.4 a and b), stored on the summary.
CLASSIFICATION_DISCIPLINE = "DISCIPLINE"
CLASSIFICATION_RETAKES = "RETAKES"

# The status of a module result that an exemption (recognised prior learning) replaces;
# the value of grading.models.ModuleStatus.EXEMPTED.
STATUS_EXEMPTED = "exempted"


@dataclass(frozen=True)
class RoundData:
    module_id: int
    term_key: tuple[int, int]
    term_id: int
    order: tuple
    checks_average: Decimal | None
    eligible: bool
    sittings: tuple[str, ...]
    improvement: bool


@dataclass(frozen=True)
class ModuleInfo:
    credits: int
    counts_in_gpa: bool


@dataclass(frozen=True)
class TermInfo:
    id: int
    key: tuple[int, int]
    ends_on: date


@dataclass
class EnrollmentFacts:
    start_date: date
    program_months: int | None
    reserved_days: int = 0
    # Terms (ids) in which the learner was disciplined at warning or higher (§2.4 a): revoked
    # decisions and the forms of Art. 17(2)–(3) already left out.
    disciplined_terms: frozenset[int] = frozenset()


@dataclass
class Computed:
    results: dict[int, dict] = field(default_factory=dict)
    terms: dict[int, dict] = field(default_factory=dict)


def _sitting_grades(round_: RoundData, rules, cache: dict) -> list[regulation.ModuleGrade]:
    average = round_.checks_average if round_.checks_average is not None else rules.score_min
    grades = []
    for exam in round_.sittings:
        if exam == regulation.ABSENT_EXCUSED:
            continue
        score = rules.score_min if exam == regulation.ABSENT_UNEXCUSED else exam
        # A sitting's grade depends on (average, exam) alone: at most 101 × 101 pairs, so
        # a recompute of many enrolments grades each pair once (the same ModuleGrade).
        grade = cache.get((average, score))
        if grade is None:
            grade = cache[(average, score)] = regulation.grade_sitting(average, score, rules=rules)
        grades.append(grade)
    return grades


def _module_result(study: tuple[regulation.StudyRound, ...], rules,
                   cache: dict) -> regulation.ModuleResult:
    """regulation.module_result, once per distinct sequence of rounds in a recompute: it
    depends on the rounds alone (frozen values), and most learners of a college share
    their (average, sittings) with others, so the Decimal validation and grading of each
    sitting is done once for all of them (the same immutable result is shared)."""
    results = cache.setdefault("module_results", {})
    result = results.get(study)
    if result is None:
        result = results[study] = regulation.module_result(study, rules=rules)
    return result


def _study_rounds(rounds: Sequence[RoundData], grades: dict, rules) -> list[regulation.StudyRound]:
    out, passed = [], False
    for round_ in rounds:
        average = round_.checks_average if round_.checks_average is not None else rules.score_min
        # An improvement round needs an earlier pass; otherwise it is an ordinary round.
        improvement = round_.improvement and passed
        out.append(regulation.StudyRound(average, round_.eligible and round_.checks_average
                                      is not None, round_.sittings, improvement))
        passed = passed or any(g.passed for g in grades[id(round_)])
    return out


def _gpa_entries(round_: RoundData, info: ModuleInfo, grades, rules) -> list[regulation.GpaModule]:
    """A round's sittings (or, when the learner could not sit, one F) as GPA entries; the GPA
    functions keep each module once, at its best."""
    entries = [regulation.GpaModule(info.credits, grade.score_10, info.counts_in_gpa,
                                 module=str(round_.module_id), letter=grade.letter)
               for grade in grades]
    if not round_.eligible and not grades:
        failing = rules.letter_bands[-1]
        entries.append(regulation.GpaModule(info.credits, rules.score_min, info.counts_in_gpa,
                                         module=str(round_.module_id), letter=failing.letter))
    return entries


# --- The GPA in exact integers ---------------------------------------------------------------
# The semester and cumulative GPA are recomputed for every semester of every enrolment; the
# Decimal functions of grading.regulation validate and divide each time. With tenths for
# scores and 4-point values (both one-decimal in the regulation's rules) and half-up
# rounding to hundredths, the same GPA is an integer quotient: round_half_up(10·N / D) =
# (20·N + D) // (2·D) hundredths, exactly what round_gpa(divide(...)) gives. Rules with
# other places or rounding fall back to the Decimal functions.


@dataclass(frozen=True)
class _IntEntry:
    module_id: int
    credits: int
    score_tenths: int
    points_tenths: int
    passed: bool
    counts_in_gpa: bool


def _tenths(value: Decimal) -> int | None:
    scaled = value * 10
    return int(scaled) if scaled == scaled.to_integral_value() else None


def integer_gpa_applies(rules) -> bool:
    """The integer GPA gives the Decimal functions' result for these rules."""
    return (rules.rounding == ROUND_HALF_UP and rules.gpa_places == 2
            and rules.score_places == 1
            and all(_tenths(band.points) is not None for band in rules.letter_bands))


def _int_entries(round_: RoundData, info: ModuleInfo, grades, rules) -> list[_IntEntry]:
    entries = [_IntEntry(round_.module_id, info.credits, int(grade.score_10 * 10),
                         int(grade.score_4 * 10), grade.passed, info.counts_in_gpa)
               for grade in grades]
    if not round_.eligible and not grades:
        failing = rules.letter_bands[-1]
        entries.append(_IntEntry(round_.module_id, info.credits, int(rules.score_min * 10),
                                 int(failing.points * 10), failing.min_score >= rules.pass_mark,
                                 info.counts_in_gpa))
    return entries


def _hundredths(numerator: int, denominator: int) -> Decimal:
    """numerator / denominator (tenths) rounded half up to hundredths, as a Decimal."""
    return Decimal((20 * numerator + denominator) // (2 * denominator)).scaleb(-2)


def integer_gpa(entries: Sequence[_IntEntry], includes_failed: bool) -> regulation.Gpa:
    """grading.regulation's _gpa over integer entries: each module once at its best (pass,
    then score; the first of equals), condition modules earning credits only (§2.1–2.3)."""
    best: dict[int, _IntEntry] = {}
    for entry in entries:
        current = best.get(entry.module_id)
        if current is None or (entry.passed, entry.score_tenths) > (current.passed,
                                                                    current.score_tenths):
            best[entry.module_id] = entry
    earned = credits = points = scores = 0
    for entry in best.values():
        if entry.passed:
            earned += entry.credits
        if entry.counts_in_gpa and (entry.passed or includes_failed):
            credits += entry.credits
            points += entry.points_tenths * entry.credits
            scores += entry.score_tenths * entry.credits
    if credits == 0:
        return regulation.Gpa(None, None, 0, earned)
    return regulation.Gpa(_hundredths(points, credits), _hundredths(scores, credits), credits,
                          earned)


def compute_enrollment(rounds: Sequence[RoundData], modules: dict[int, ModuleInfo],
                       terms: dict[int, TermInfo], exempted: set[int], facts: EnrollmentFacts,
                       rules: regulation.GradingRules, grade_cache: dict | None = None) -> Computed:
    """Module results and semester summaries of one enrolment, from its rounds (pure).

    Each sitting is graded once; a module's result after each of its rounds is computed once
    (prefix results), so the semester summaries reuse them instead of recomputing history.
    """
    rounds = sorted(rounds, key=lambda r: r.order)
    cache = {} if grade_cache is None else grade_cache  # only ever for the same rules
    grades = {id(r): _sitting_grades(r, rules, cache) for r in rounds}
    by_module: dict[int, list[RoundData]] = defaultdict(list)
    for round_ in rounds:
        by_module[round_.module_id].append(round_)

    # The module's result after each of its rounds, keyed by that round's term.
    prefix: dict[int, list[tuple[tuple, regulation.ModuleResult]]] = {}
    for module_id, module_rounds in by_module.items():
        if module_id in exempted:
            continue
        study = _study_rounds(module_rounds, grades, rules)
        prefix[module_id] = [
            (terms[r.term_id].key, _module_result(tuple(study[:n]), rules, cache))
            for n, r in enumerate(module_rounds, start=1)]

    enrollment = _Enrollment(rounds, modules, terms, exempted, facts, rules, grades, prefix)
    return Computed(_module_results(enrollment, by_module), _term_summaries(enrollment))


@dataclass(frozen=True)
class _Enrollment:
    """What compute_enrollment's two halves share: the rounds and what was derived once."""

    rounds: list[RoundData]
    modules: dict[int, ModuleInfo]
    terms: dict[int, TermInfo]
    exempted: set[int]
    facts: EnrollmentFacts
    rules: regulation.GradingRules
    grades: dict[int, list[regulation.ModuleGrade]]
    prefix: dict[int, list[tuple[tuple, regulation.ModuleResult]]]


def _module_results(e: _Enrollment, by_module: dict[int, list[RoundData]]) -> dict[int, dict]:
    """Each module's result after its last round, counted in the term of its best sitting."""
    out = {}
    for module_id in sorted(set(by_module) | e.exempted):
        info = e.modules[module_id]
        module_rounds = by_module.get(module_id, [])
        if module_id in e.exempted:
            out[module_id] = _result_values(None, STATUS_EXEMPTED, info, None, None)
            continue
        result = e.prefix[module_id][-1][1]
        counted_term = None
        if result.score_10 is not None:
            best = (result.passed, result.score_10)
            counted_term = next(
                (r.term_id for r in module_rounds
                 if any((g.passed, g.score_10) == best for g in e.grades[id(r)])), None)
        out[module_id] = _result_values(result, result.status, info, counted_term,
                                        module_rounds[-1].term_id)
    return out


def _term_summaries(e: _Enrollment) -> dict[int, dict]:
    """GPA, standing and classification after each semester with rounds, in order."""
    out = {}
    fast = integer_gpa_applies(e.rules)
    build = _int_entries if fast else _gpa_entries
    entries = {id(r): ([] if r.module_id in e.exempted
                       else build(r, e.modules[r.module_id], e.grades[id(r)], e.rules))
               for r in e.rounds}
    term_ids = sorted({r.term_id for r in e.rounds}, key=lambda t: e.terms[t].key)
    consecutive = 0
    for index, term_id in enumerate(term_ids, start=1):
        term = e.terms[term_id]
        in_term = [r for r in e.rounds if r.term_id == term_id]
        so_far = [r for r in e.rounds if e.terms[r.term_id].key <= term.key]
        in_term_entries = [x for r in in_term for x in entries[id(r)]]
        so_far_entries = [x for r in so_far for x in entries[id(r)]]
        if fast:
            semester = integer_gpa(in_term_entries, e.rules.semester_gpa_includes_failed)
            cumulative = integer_gpa(so_far_entries, e.rules.cumulative_gpa_includes_failed)
        else:
            semester = regulation.semester_gpa(in_term_entries, rules=e.rules)
            cumulative = regulation.cumulative_gpa(so_far_entries, rules=e.rules)
        f_credits, f_modules = _outstanding_f(e, term)
        retaken = sum(
            1 for r in in_term
            if r.module_id not in e.exempted and e.modules[r.module_id].counts_in_gpa
            and not r.improvement
            and (not r.eligible or any(not g.passed for g in e.grades[id(r)])))
        exceeded = _exceeded_max_duration(e.facts, term, e.rules)
        standing = regulation.academic_standing(
            index, semester.gpa_4, cumulative.gpa_4, f_credits, f_modules,
            previous_consecutive_warnings=consecutive, exceeded_max_duration=exceeded,
            rules=e.rules)
        consecutive = standing.consecutive_warnings
        disciplined = term_id in e.facts.disciplined_terms
        classification = regulation.semester_classification(
            cumulative.gpa_4, retaken_modules=retaken,
            disciplined_warning_or_higher=disciplined, rules=e.rules)
        out[term_id] = {
            "semester_index": index,
            "gpa_4": semester.gpa_4, "gpa_10": semester.gpa_10,
            "credits_in_gpa": semester.credits_in_gpa,
            "credits_earned": semester.credits_earned,
            "cumulative_gpa_4": cumulative.gpa_4, "cumulative_gpa_10": cumulative.gpa_10,
            "cumulative_credits_in_gpa": cumulative.credits_in_gpa,
            "cumulative_credits_earned": cumulative.credits_earned,
            "outstanding_f_credits": f_credits, "outstanding_f_modules": f_modules,
            "standing": standing.standing, "reasons": list(standing.reasons),
            "consecutive_warnings": standing.consecutive_warnings,
            "exceeded_max_duration": exceeded,
            "classification": classification.level or "",
            "classification_downgraded": classification.downgraded,
            "classification_reasons": classification_reasons(classification, disciplined,
                                                             retaken, e.rules),
            "retaken_modules": retaken,
        }
    return out


def classification_reasons(classification, disciplined: bool, retaken: int,
                            rules) -> list[str]:
    """Every §2.4 reason that lowered the level (none when it was not lowered)."""
    if not classification.downgraded:
        return []
    limit = dict(rules.downgrade_retakes).get(classification.base_level)
    return ([CLASSIFICATION_DISCIPLINE] if disciplined else []) + (
        [CLASSIFICATION_RETAKES] if limit is not None and retaken >= limit else [])


def term_of_date(day: date, semesters: Sequence[tuple[date, int]]) -> int | None:
    """The term a dated fact (a disciplinary decision) counts in: the term of the last
    semester starting on or before `day` — a date in a break counts with the semester before
    it, as a summer term counts with the main semester before it. `semesters` are
    (starts_on, term id) pairs; None before the first."""
    found = None
    for starts_on, term_id in sorted(semesters):
        if starts_on > day:
            break
        found = term_id
    return found


def _outstanding_f(e: _Enrollment, term: TermInfo) -> tuple[int, int]:
    """Credits and modules whose latest result by the end of `term` is still an F."""
    f_credits = f_modules = 0
    for module_id, results in e.prefix.items():
        known = [result for key, result in results if key <= term.key]
        if known and known[-1].status in (regulation.STATUS_RETAKE_DUE,
                                          regulation.STATUS_MUST_RESTUDY):
            f_credits += e.modules[module_id].credits
            f_modules += 1
    return f_credits, f_modules


def _result_values(result, status, info: ModuleInfo, term_id, last_term_id) -> dict:
    return {
        "score_10": result.score_10 if result else None,
        "letter": (result.letter or "") if result else "",
        "score_4": result.score_4 if result else None,
        "passed": bool(result and result.passed),
        "attempts": result.attempts if result else 0,
        "had_to_retake": bool(result and result.had_to_retake),
        "had_to_restudy": bool(result and result.had_to_restudy),
        "status": str(status),
        "credits": info.credits,
        "counts_in_gpa": info.counts_in_gpa,
        "term_id": term_id,
        "last_term_id": last_term_id,
    }


def _exceeded_max_duration(facts: EnrollmentFacts, term: TermInfo, rules) -> bool:
    """Study time at the end of the semester beyond §3.3's maximum, reserve not counted."""
    if facts.program_months is None:
        return False
    # A length no §3.3 bracket covers raises ProgramLengthOutOfRange (a clear error naming
    # the months) rather than answering "not exceeded"; programs are refused such lengths.
    limit = regulation.max_study_months(facts.program_months, rules=rules)
    deadline = add_months(facts.start_date, limit) + timedelta(days=facts.reserved_days)
    return term.ends_on > deadline
