"""Which enrolments a recompute can skip: a fingerprint of everything their results are
computed from, and of the results themselves, taken in SQL (issue #17).

`results_recompute` computes an enrolment's module results and semester summaries from
its study rounds and a few facts (grading.computation is pure: the same inputs give the
same outputs). After writing them it stores, per enrolment, an MD5 over

- every input `_chunk_inputs` reads: the rounds (with the credits and GPA flag of their
  module, and whether their term's standing review is closed), the exemptions, the start
  date, status and program length, the status changes (and today's date when one of them
  is a reservation, whose open end counts to today), the disciplinary decisions that lower
  a classification;
- what is global: the semesters (keys, start and end dates), the rule set in force and the
  source of the code that computes (grading.computation, grading.regulation, this module
  and grading.services.results), so a change of rules or code recomputes everyone;
- the module results and summaries as stored after the write (every column but
  computed_at), so a row changed or deleted by anything else is computed again.

The next recompute takes the same fingerprint for the enrolments that have one stored
and skips those where it is unchanged: they would write nothing (compare-then-write), so
the result is the same as computing them, at the cost of one query instead of reading
and computing every round in Python. Nothing here is a legal record.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from django.db import connection
from django.utils import timezone

from enrollment.models import LOWERING_DISCIPLINE, EnrollmentStatus

RESULT_COLUMNS = ("module_id", "score_10", "letter", "score_4", "passed", "attempts",
                  "had_to_retake", "had_to_restudy", "status", "credits", "counts_in_gpa",
                  "term_id", "last_term_id")
TERM_COLUMNS = ("semester_id", "semester_index", "gpa_4", "gpa_10", "credits_in_gpa",
                "credits_earned", "cumulative_gpa_4", "cumulative_gpa_10",
                "cumulative_credits_in_gpa", "cumulative_credits_earned",
                "outstanding_f_credits", "outstanding_f_modules", "standing", "reasons",
                "consecutive_warnings", "exceeded_max_duration", "classification",
                "classification_downgraded", "classification_reasons", "retaken_modules")


def _row(alias: str, columns) -> str:
    return "ROW(" + ", ".join(f"{alias}.{c}" for c in columns) + ")::text"


# One row per enrolment of %(ids)s: its fingerprint. ROW(...)::text keeps NULL and ''
# apart and quotes what needs it; each part is aggregated in a fixed order.
FINGERPRINT_SQL = f"""
WITH ids(id) AS (SELECT DISTINCT unnest(%(ids)s::bigint[])),
rounds AS (
    SELECT r.enrollment_id, string_agg(ROW(r.section_learner_id, r.module_id, r.term_id,
               r.semester_id, r.checks_average, r.eligible, r.sittings, r.improvement,
               m.credits, m.counts_in_gpa, sr.id IS NOT NULL)::text, ';'
               ORDER BY r.section_learner_id) AS h
    FROM training_learnerround r
    JOIN ids ON ids.id = r.enrollment_id
    JOIN training_module m ON m.id = r.module_id
    LEFT JOIN training_standingreview sr ON sr.semester_id = r.term_id
    GROUP BY r.enrollment_id
), exempted AS (
    SELECT x.enrollment_id, string_agg(ROW(x.module_id, m.credits, m.counts_in_gpa)::text, ';'
               ORDER BY x.module_id) AS h
    FROM training_moduleexemption x
    JOIN ids ON ids.id = x.enrollment_id
    JOIN training_module m ON m.id = x.module_id
    GROUP BY x.enrollment_id
), changes AS (
    SELECT c.enrollment_id, string_agg(ROW(c.id, c.to_status, c.effective_date, c.at)::text,
               ';' ORDER BY c.id) AS h,
           bool_or(c.to_status = %(reserved)s) AS reserved
    FROM enrollment_enrollmentstatuschange c
    JOIN ids ON ids.id = c.enrollment_id
    GROUP BY c.enrollment_id
), discipline AS (
    SELECT d.enrollment_id, string_agg(d.decision_date::text, ';'
               ORDER BY d.decision_date) AS h
    FROM enrollment_disciplinerecord d
    JOIN ids ON ids.id = d.enrollment_id
    WHERE d.level = ANY(%(lowering)s) AND NOT d.art17_excluded
      AND d.revocation_number IS NULL
    GROUP BY d.enrollment_id
), results AS (
    SELECT r.enrollment_id, string_agg({_row("r", RESULT_COLUMNS)}, ';'
               ORDER BY r.module_id) AS h
    FROM training_moduleresult r
    JOIN ids ON ids.id = r.enrollment_id
    GROUP BY r.enrollment_id
), terms AS (
    SELECT t.enrollment_id, string_agg({_row("t", TERM_COLUMNS)}, ';'
               ORDER BY t.semester_id) AS h
    FROM training_termsummary t
    JOIN ids ON ids.id = t.enrollment_id
    GROUP BY t.enrollment_id
)
SELECT e.id, md5(ROW(%(global)s, e.start_date, e.status, p.duration_months, rounds.h,
                     exempted.h, changes.h,
                     CASE WHEN changes.reserved THEN %(today)s::date END,
                     discipline.h, results.h, terms.h)::text)
FROM ids
JOIN enrollment_enrollment e ON e.id = ids.id
LEFT JOIN training_enrollmentprogram ep ON ep.enrollment_id = e.id
LEFT JOIN training_program p ON p.id = ep.program_id
LEFT JOIN rounds ON rounds.enrollment_id = e.id
LEFT JOIN exempted ON exempted.enrollment_id = e.id
LEFT JOIN changes ON changes.enrollment_id = e.id
LEFT JOIN discipline ON discipline.enrollment_id = e.id
LEFT JOIN results ON results.enrollment_id = e.id
LEFT JOIN terms ON terms.enrollment_id = e.id
"""  # noqa: S608 (column names from the constants above)


@cache
def _code_fingerprint() -> str:
    """The source of the code that computes results: a deployment that changes it
    recomputes everyone once."""
    import grading.computation
    import grading.regulation
    import grading.services.results

    digest = hashlib.md5(usedforsecurity=False)
    files = [Path(grading.computation.__file__), Path(__file__),
             Path(grading.services.results.__file__),
             *sorted(Path(grading.regulation.__file__).parent.glob("*.py"))]
    for path in files:
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _global_fingerprint(rules) -> str:
    digest = hashlib.md5(usedforsecurity=False)
    digest.update(_code_fingerprint().encode())
    digest.update(repr(rules).encode())
    with connection.cursor() as cursor:
        cursor.execute("SELECT md5(coalesce(string_agg(ROW(s.id, y.start_year, s.number, "
                       "s.starts_on, s.ends_on, s.school_year_id)::text, ';' ORDER BY s.id), "
                       "'')) FROM training_semester s "
                       "JOIN training_schoolyear y ON y.id = s.school_year_id")
        digest.update(cursor.fetchone()[0].encode())
    return digest.hexdigest()


def fingerprints(ids: list[int], rules) -> dict[int, str]:
    """The fingerprint of each enrolment as the database holds it now."""
    if not ids:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(FINGERPRINT_SQL, {
            "ids": list(ids), "global": _global_fingerprint(rules),
            "reserved": str(EnrollmentStatus.RESERVED),
            "lowering": [str(level) for level in LOWERING_DISCIPLINE],
            "today": timezone.localdate()})
        return dict(cursor.fetchall())


def unchanged(ids: list[int], rules) -> set[int]:
    """The enrolments whose stored fingerprint is the current one: nothing to recompute."""
    from grading.models import ResultsStamp

    stored = dict(ResultsStamp.objects.filter(enrollment_id__in=ids)
                  .values_list("enrollment_id", "fingerprint"))
    if not stored:
        return set()
    current = fingerprints(sorted(stored), rules)
    return {pk for pk, value in stored.items() if current.get(pk) == value}


def stamp(ids: list[int], rules) -> None:
    """Store the fingerprint of enrolments whose results were just computed and written."""
    from grading.models import ResultsStamp

    current = fingerprints(ids, rules)
    if current:
        now = timezone.now()
        ResultsStamp.objects.bulk_create(
            [ResultsStamp(enrollment_id=pk, fingerprint=value, computed_at=now)
             for pk, value in current.items()],
            update_conflicts=True, unique_fields=["enrollment"],
            update_fields=["fingerprint", "computed_at"])
