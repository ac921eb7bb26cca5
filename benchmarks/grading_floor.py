"""The fair floor of results_recompute (issue #17): the same outputs, computed by set-based
SQL from the same study rounds and written into the same tables with every trigger on.

`floor_compute(rules)` is a few CREATE TEMP TABLE … AS SELECT statements that derive, from
training_learnerround, every column of ModuleResult (counted score, letter, 4-point value,
passed, attempts, retake and re-study flags, status, credits, terms) and of TermSummary
(semester and cumulative GPA on both scales, credits, outstanding F, standing with its
reasons and consecutive warnings, maximum study time, classification and why it was
lowered, modules retaken). `floor_write()` is one INSERT … SELECT per table.
`floor_differences()` counts the rows on which the tables and the floor disagree.

The rule values (weights, bands, thresholds) come from the rule set in force, not from
literals here. What the SQL leaves out, because the benchmark college has none of it and
expressing it honestly would take longer than this floor is worth — the service still
handles all of it, and `floor_supported()` refuses rule sets the SQL does not follow:
- module exemptions (the service writes an `exempted` result and keeps the module out of
  every GPA): the floor writes no exempted rows;
- reserved time (§3.3, enrolment status changes): the deadline is start + maximum months;
- disciplinary decisions lowering a classification (§2.4 a): only retakes lower it here;
- `min_exam_score` (a college minimum on the exam, §1.4): then pass would no longer be a
  function of the module score alone, which the best-score step relies on;
- improvement rounds count as ordinary rounds (the service only validates them).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from grading import regulation
from grading.computation import CLASSIFICATION_RETAKES

FLOOR_TABLES = ("floor_sem", "floor_rounds", "floor_sittings", "floor_round_facts",
                "floor_results", "floor_term_list", "floor_entries", "floor_best",
                "floor_terms")

RESULT_COLUMNS = ("enrollment_id", "module_id", "score_10", "letter", "score_4", "passed",
                  "attempts", "had_to_retake", "had_to_restudy", "status", "credits",
                  "counts_in_gpa", "term_id", "last_term_id")
TERM_COLUMNS = ("enrollment_id", "semester_id", "semester_index", "gpa_4", "gpa_10",
                "credits_in_gpa", "credits_earned", "cumulative_gpa_4", "cumulative_gpa_10",
                "cumulative_credits_in_gpa", "cumulative_credits_earned",
                "outstanding_f_credits", "outstanding_f_modules", "standing", "reasons",
                "consecutive_warnings", "exceeded_max_duration", "classification",
                "classification_downgraded", "classification_reasons", "retaken_modules")


def floor_supported(rules) -> list[str]:
    """Why the SQL floor would not follow these rules (empty when it does)."""
    problems = []
    if rules.rounding != ROUND_HALF_UP:
        problems.append("rounding other than half up")
    if rules.score_places != 1 or rules.gpa_places != 2:
        problems.append("places other than 1 (scores) and 2 (GPA)")
    if rules.min_exam_score is not None:
        problems.append("min_exam_score")
    return problems


def _q(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _n(value) -> str:
    return str(Decimal(value))


def _band_case(expr: str, rules, what: str) -> str:
    """The letter or 4-point value of a one-decimal module score (§1.5)."""
    whens = " ".join(
        f"WHEN {expr} >= {_n(band.min_score)} THEN "
        f"{_q(band.letter) if what == 'letter' else _n(band.points)}"
        for band in rules.letter_bands)
    return f"CASE {whens} END"


def _threshold_case(index: str, table) -> str:
    """§3.1: the threshold of the last row whose start is at most the semester index."""
    whens = " ".join(f"WHEN {index} >= {start} THEN {_n(value)}"
                     for start, value in sorted(table, reverse=True))
    return f"CASE {whens} END"


def _level_case(gpa: str, rules) -> str:
    whens = " ".join(f"WHEN {gpa} >= {_n(band.min_gpa)} THEN {_q(band.level)}"
                     for band in rules.class_bands)
    return f"CASE WHEN {gpa} IS NULL THEN '' {whens} ELSE {_q(regulation.WEAK)} END"


def _limit_case(months: str, rules) -> str:
    """§3.3: the longest study time in months, floored."""
    whens = " ".join(
        f"WHEN {months} BETWEEN {b.min_months} AND {b.max_months} "
        f"THEN floor({_n(b.multiplier)} * {months})::int" for b in rules.duration_brackets)
    return f"CASE {whens} END"


def floor_compute_sql(rules) -> str:
    pass_floor = min(b.min_score for b in rules.letter_bands if b.min_score >= rules.pass_mark)
    score_min = _n(rules.score_min)
    passes = f">= {_n(pass_floor)}"
    levels = [band.level for band in rules.class_bands] + [regulation.WEAK]
    lowered = " ".join(
        f"WHEN {_q(level)} THEN {_q(levels[levels.index(level) + 1])}"
        for level in (regulation.EXCELLENT, regulation.VERY_GOOD))
    retake_limit = " ".join(f"WHEN {_q(level)} THEN {count}"
                            for level, count in rules.downgrade_retakes)
    retake_limit = f"CASE base {retake_limit} END" if retake_limit else "NULL::int"
    sem_failed = "true" if rules.semester_gpa_includes_failed else "false"
    cum_failed = "true" if rules.cumulative_gpa_includes_failed else "false"
    unexcused, excused = regulation.ABSENT_UNEXCUSED, regulation.ABSENT_EXCUSED
    return f"""
    DROP TABLE IF EXISTS {", ".join(FLOOR_TABLES)};
    -- Semesters ordered as the service orders them: (school year, number).
    CREATE TEMP TABLE floor_sem AS
    SELECT s.id, y.start_year * 10 + s.number AS key, s.ends_on
    FROM training_semester s JOIN training_schoolyear y ON y.id = s.school_year_id;

    -- Every round, numbered within its enrolment × module in study order.
    CREATE TEMP TABLE floor_rounds AS
    SELECT r.enrollment_id, r.module_id, r.term_id, tk.key AS term_key,
           row_number() OVER (PARTITION BY r.enrollment_id, r.module_id
                              ORDER BY sk.key, r.section_learner_id) AS n,
           count(*) OVER (PARTITION BY r.enrollment_id, r.module_id) AS rounds,
           coalesce(r.checks_average, {score_min}) AS average,
           r.eligible AS eligible_raw,
           r.eligible AND r.checks_average IS NOT NULL AS eligible,
           r.improvement, r.sittings
    FROM training_learnerround r
    JOIN floor_sem sk ON sk.id = r.semester_id JOIN floor_sem tk ON tk.id = r.term_id;

    -- Each sitting's module score (§1.4: weights, one decimal, half up; KP scores 0, §1.8);
    -- an excused absence is no sitting.
    CREATE TEMP TABLE floor_sittings AS
    SELECT f.enrollment_id, f.module_id, f.n, f.term_key, x.pos,
           round({_n(rules.checks_weight)} * f.average + {_n(rules.exam_weight)}
                 * CASE x.exam WHEN {_q(unexcused)} THEN {score_min}
                               ELSE x.exam::numeric END, 1) AS score
    FROM floor_rounds f
    CROSS JOIN LATERAL unnest(f.sittings) WITH ORDINALITY AS x(exam, pos)
    WHERE x.exam <> {_q(excused)};

    -- Per round: sittings, passes, best score, the status of the module after it (§1.7–1.8).
    CREATE TEMP TABLE floor_round_facts AS
    SELECT k.*, CASE WHEN k.passed_through THEN {_q(regulation.STATUS_PASSED)}
                     WHEN NOT k.eligible OR k.sat >= {rules.sittings_per_round}
                          THEN {_q(regulation.STATUS_MUST_RESTUDY)}
                     WHEN k.sat = 0 THEN {_q(regulation.STATUS_PENDING)}
                     ELSE {_q(regulation.STATUS_RETAKE_DUE)} END AS status
    FROM (SELECT j.*, bool_or(j.any_pass) OVER w AS passed_through,
                 max(j.best) OVER (PARTITION BY j.enrollment_id, j.module_id) AS module_best
          FROM (SELECT f.*, coalesce(s.sat, 0) AS sat, s.best, s.first_pass, s.first_fail,
                       coalesce(s.best {passes}, false) AS any_pass,
                       coalesce(s.any_fail, false) AS any_fail
                FROM floor_rounds f LEFT JOIN (
                    SELECT enrollment_id, module_id, n, count(*) AS sat, max(score) AS best,
                           min(pos) FILTER (WHERE score {passes}) AS first_pass,
                           min(pos) FILTER (WHERE NOT score {passes}) AS first_fail,
                           bool_or(NOT score {passes}) AS any_fail
                    FROM floor_sittings GROUP BY enrollment_id, module_id, n
                ) s USING (enrollment_id, module_id, n)) j
          WINDOW w AS (PARTITION BY j.enrollment_id, j.module_id ORDER BY j.n)) k;

    -- Module results: the best sitting counts (pass is a function of the score alone here),
    -- a failed sitting or an ineligible round before the first pass is a retake (§1.7).
    CREATE TEMP TABLE floor_results AS
    SELECT a.enrollment_id, a.module_id, a.best AS score_10,
           coalesce({_band_case("a.best", rules, "letter")}, '') AS letter,
           {_band_case("a.best", rules, "points")} AS score_4,
           a.status = {_q(regulation.STATUS_PASSED)} AS passed, a.attempts,
           a.first_fail IS NOT NULL AND (a.first_pass IS NULL OR a.first_fail < a.first_pass)
             OR a.first_ineligible IS NOT NULL
                AND (a.first_pass IS NULL OR a.first_ineligible < a.first_pass / 1000)
             AS had_to_retake,
           (a.first_pass IS NULL AND a.rounds > 1) OR coalesce(a.first_pass / 1000 > 1, false)
             OR a.status = {_q(regulation.STATUS_MUST_RESTUDY)} AS had_to_restudy,
           a.status, m.credits, m.counts_in_gpa, a.counted_term AS term_id,
           a.last_term AS last_term_id
    FROM (SELECT enrollment_id, module_id, max(best) AS best, sum(sat)::int AS attempts,
                 max(rounds) AS rounds,
                 min(n * 1000 + first_pass) AS first_pass,
                 min(n * 1000 + first_fail) AS first_fail,
                 min(n) FILTER (WHERE NOT eligible) AS first_ineligible,
                 (array_agg(status ORDER BY n DESC))[1] AS status,
                 (array_agg(term_id ORDER BY n) FILTER (WHERE best = module_best))[1]
                     AS counted_term,
                 (array_agg(term_id ORDER BY n DESC))[1] AS last_term
          FROM floor_round_facts GROUP BY enrollment_id, module_id) a
    JOIN training_module m ON m.id = a.module_id;

    -- The main semesters of each enrolment, numbered (the semester index).
    CREATE TEMP TABLE floor_term_list AS
    SELECT enrollment_id, term_id, term_key,
           row_number() OVER (PARTITION BY enrollment_id ORDER BY term_key) AS semester_index
    FROM (SELECT DISTINCT enrollment_id, term_id, term_key FROM floor_rounds) t;

    -- GPA entries: every sitting, and an F for a round whose learner could not sit.
    CREATE TEMP TABLE floor_entries AS
    SELECT enrollment_id, module_id, term_key, score FROM floor_sittings
    UNION ALL
    SELECT enrollment_id, module_id, term_key, {score_min} FROM floor_round_facts
    WHERE NOT eligible_raw AND sat = 0;

    -- Each module once at its best: in the semester, and since admission (§2.3).
    CREATE TEMP TABLE floor_best AS
    SELECT t.enrollment_id, t.term_id, x.module_id,
           max(x.score) FILTER (WHERE x.term_key = t.term_key) AS sem_score,
           max(x.score) AS cum_score
    FROM floor_term_list t
    JOIN floor_entries x ON x.enrollment_id = t.enrollment_id AND x.term_key <= t.term_key
    GROUP BY t.enrollment_id, t.term_id, x.module_id;

    CREATE TEMP TABLE floor_terms AS
    WITH gpa AS (
        SELECT b.enrollment_id, b.term_id,
               sum(m.credits) FILTER (WHERE m.counts_in_gpa AND b.sem_score IS NOT NULL
                                      AND (b.sem_score {passes} OR {sem_failed})) AS sem_credits,
               sum({_band_case("b.sem_score", rules, "points")} * m.credits)
                   FILTER (WHERE m.counts_in_gpa AND b.sem_score IS NOT NULL
                          AND (b.sem_score {passes} OR {sem_failed}))
                   AS sem_points,
               sum(b.sem_score * m.credits)
                   FILTER (WHERE m.counts_in_gpa AND b.sem_score IS NOT NULL
                          AND (b.sem_score {passes} OR {sem_failed}))
                   AS sem_scores,
               sum(m.credits) FILTER (WHERE b.sem_score {passes}) AS sem_earned,
               sum(m.credits) FILTER (WHERE m.counts_in_gpa AND (b.cum_score {passes}
                                      OR {cum_failed})) AS cum_credits,
               sum({_band_case("b.cum_score", rules, "points")} * m.credits)
                   FILTER (WHERE m.counts_in_gpa AND (b.cum_score {passes} OR {cum_failed}))
                   AS cum_points,
               sum(b.cum_score * m.credits)
                   FILTER (WHERE m.counts_in_gpa AND (b.cum_score {passes} OR {cum_failed}))
                   AS cum_scores,
               sum(m.credits) FILTER (WHERE b.cum_score {passes}) AS cum_earned
        FROM floor_best b JOIN training_module m ON m.id = b.module_id
        GROUP BY b.enrollment_id, b.term_id
    ), latest AS (
        -- Each module's status after its last round by the end of the semester.
        SELECT t.enrollment_id, t.term_id, f.module_id,
               (array_agg(f.status ORDER BY f.n DESC))[1] AS status
        FROM floor_term_list t
        JOIN floor_round_facts f
          ON f.enrollment_id = t.enrollment_id AND f.term_key <= t.term_key
        GROUP BY t.enrollment_id, t.term_id, f.module_id
    ), outstanding AS (
        SELECT l.enrollment_id, l.term_id, sum(m.credits)::int AS f_credits,
               count(*)::int AS f_modules
        FROM latest l JOIN training_module m ON m.id = l.module_id
        WHERE l.status IN ({_q(regulation.STATUS_RETAKE_DUE)},
                           {_q(regulation.STATUS_MUST_RESTUDY)})
        GROUP BY l.enrollment_id, l.term_id
    ), retaken AS (
        SELECT f.enrollment_id, f.term_id, count(*)::int AS retaken
        FROM floor_round_facts f JOIN training_module m ON m.id = f.module_id
        WHERE m.counts_in_gpa AND NOT f.improvement AND (NOT f.eligible_raw OR f.any_fail)
        GROUP BY f.enrollment_id, f.term_id
    ), base AS (
        SELECT t.enrollment_id, t.term_id, t.semester_index::int AS semester_index,
               round(g.sem_points / nullif(g.sem_credits, 0), 2) AS gpa_4,
               round(g.sem_scores / nullif(g.sem_credits, 0), 2) AS gpa_10,
               coalesce(g.sem_credits, 0)::int AS credits_in_gpa,
               coalesce(g.sem_earned, 0)::int AS credits_earned,
               round(g.cum_points / nullif(g.cum_credits, 0), 2) AS cumulative_gpa_4,
               round(g.cum_scores / nullif(g.cum_credits, 0), 2) AS cumulative_gpa_10,
               coalesce(g.cum_credits, 0)::int AS cumulative_credits_in_gpa,
               coalesce(g.cum_earned, 0)::int AS cumulative_credits_earned,
               coalesce(o.f_credits, 0) AS f_credits, coalesce(o.f_modules, 0) AS f_modules,
               coalesce(r.retaken, 0) AS retaken,
               coalesce(s.ends_on > (e.start_date + make_interval(
                   months => {_limit_case("p.duration_months", rules)}))::date, false)
                   AS exceeded
        FROM floor_term_list t
        JOIN floor_sem s ON s.id = t.term_id
        JOIN enrollment_enrollment e ON e.id = t.enrollment_id
        LEFT JOIN training_enrollmentprogram ep ON ep.enrollment_id = t.enrollment_id
        LEFT JOIN training_program p ON p.id = ep.program_id
        LEFT JOIN gpa g ON g.enrollment_id = t.enrollment_id AND g.term_id = t.term_id
        LEFT JOIN outstanding o
          ON o.enrollment_id = t.enrollment_id AND o.term_id = t.term_id
        LEFT JOIN retaken r ON r.enrollment_id = t.enrollment_id AND r.term_id = t.term_id
    ), warned AS (
        SELECT b.*,
               b.gpa_4 < {_threshold_case("b.semester_index", rules.semester_gpa_warning)}
                   AS low_semester,
               b.cumulative_gpa_4
                   < {_threshold_case("b.semester_index", rules.cumulative_gpa_warning)}
                   AS low_cumulative,
               b.f_credits > {rules.outstanding_f_max_credits}
                   OR b.f_modules > {rules.outstanding_f_max_modules} AS too_many_f,
               {_level_case("b.cumulative_gpa_4", rules)} AS base
        FROM base b
    ), runs AS (
        -- §3.2: consecutive warnings, a semester without one resetting the count.
        SELECT v.*, sum(CASE WHEN v.is_warned THEN 0 ELSE 1 END)
                   OVER (PARTITION BY v.enrollment_id ORDER BY v.semester_index) AS run
        FROM (SELECT w.*, coalesce(w.low_semester, false) OR coalesce(w.low_cumulative, false)
                          OR w.too_many_f AS is_warned FROM warned w) v
    ), counted AS (
        SELECT r.*, CASE WHEN r.is_warned THEN count(*) FILTER (WHERE r.is_warned)
                    OVER (PARTITION BY r.enrollment_id, r.run ORDER BY r.semester_index)
                    ELSE 0 END::int AS consecutive,
               {retake_limit} AS retake_limit
        FROM runs r
    ), classified AS (
        SELECT c.*, c.base IN ({_q(regulation.EXCELLENT)}, {_q(regulation.VERY_GOOD)})
                    AND (c.retaken >= c.retake_limit) IS TRUE AS lowered
        FROM counted c
    )
    SELECT enrollment_id, term_id AS semester_id, semester_index, gpa_4, gpa_10,
           credits_in_gpa, credits_earned, cumulative_gpa_4, cumulative_gpa_10,
           cumulative_credits_in_gpa, cumulative_credits_earned,
           f_credits AS outstanding_f_credits, f_modules AS outstanding_f_modules,
           CASE WHEN exceeded OR consecutive >= {rules.consecutive_warnings_to_dismiss}
                THEN {_q(regulation.STANDING_DISMISSED)}
                WHEN is_warned THEN {_q(regulation.STANDING_WARNING)}
                ELSE {_q(regulation.STANDING_NORMAL)} END AS standing,
           array_remove(ARRAY[
               CASE WHEN exceeded THEN {_q(regulation.MAX_DURATION)} END,
               CASE WHEN consecutive >= {rules.consecutive_warnings_to_dismiss}
                    THEN {_q(regulation.CONSECUTIVE_WARNINGS)} END,
               CASE WHEN low_semester THEN {_q(regulation.SEMESTER_GPA)} END,
               CASE WHEN low_cumulative THEN {_q(regulation.CUMULATIVE_GPA)} END,
               CASE WHEN too_many_f THEN {_q(regulation.OUTSTANDING_F)} END], NULL)::varchar[]
               AS reasons,
           consecutive AS consecutive_warnings, exceeded AS exceeded_max_duration,
           CASE WHEN lowered THEN CASE base {lowered} END ELSE base END AS classification,
           lowered AS classification_downgraded,
           CASE WHEN lowered THEN ARRAY[{_q(CLASSIFICATION_RETAKES)}]
                ELSE ARRAY[]::text[] END::varchar[]
               AS classification_reasons,
           retaken AS retaken_modules
    FROM classified;
    """  # noqa: S608 (values of the rule set, quoted)


def floor_write_sql() -> tuple[str, str]:
    """One INSERT … SELECT per table, the triggers on (history, sync capture)."""
    results = ", ".join(RESULT_COLUMNS)
    terms = ", ".join(TERM_COLUMNS)
    return (f"INSERT INTO training_moduleresult ({results}, computed_at) "
            f"SELECT {results}, now() FROM floor_results",  # noqa: S608
            f"INSERT INTO training_termsummary ({terms}, computed_at) "
            f"SELECT {terms}, now() FROM floor_terms")  # noqa: S608


def floor_differences_sql() -> str:
    """Rows of the results tables and of the floor that the other side lacks, column by
    column (numeric equality ignores trailing zeros; arrays as text[])."""
    def both_ways(table, floor, columns):
        cols = ", ".join(f"{c}::text[]" if c in ("reasons", "classification_reasons") else c
                         for c in columns)
        return (f"(SELECT count(*) FROM (SELECT {cols} FROM {floor} EXCEPT "
                f"SELECT {cols} FROM {table}) a) + (SELECT count(*) FROM (SELECT {cols} "
                f"FROM {table} EXCEPT SELECT {cols} FROM {floor}) b)")
    return (f"SELECT {both_ways('training_moduleresult', 'floor_results', RESULT_COLUMNS)}, "
            f"{both_ways('training_termsummary', 'floor_terms', TERM_COLUMNS)}, "
            "(SELECT count(*) FROM floor_results), (SELECT count(*) FROM floor_terms)")
