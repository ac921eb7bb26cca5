"""Grading at scale: recompute every module result, GPA and standing for 20,000 learners ×
40 modules, beside the fair SQL floor (the same outputs by set-based SQL into the same tables,
benchmarks/grading_floor.py; cross-checked on every column) and a plain SQL aggregate over the
same score rows; then 100 transcript PDFs beside WeasyPrint rendering a static copy of one
transcript's HTML.

    python -m benchmarks grading
    BENCH_GRADING_LEARNERS=2000 BENCH_GRADING_PDFS=10 python -m benchmarks grading
    BENCH_GRADING_WORKERS=2 python -m benchmarks grading   # + the first run over 2 workers

The college: four programs of 40 modules (two college programs over 6 semesters, two
intermediate ones over 4), all learners admitted in 2023 and placed in classes of 35. Every
class studies every module of its program in a class section whose gradebook is approved
(locked), with the component scores of the module's plan (continuous and periodic checks,
the exam, the retake exam for those who failed it) and a realistic spread: some learners
are not eligible for the exam, some fail and retake, some fail twice and re-study the module
in a re-study section the next semester.

The set-up is set-based SQL (INSERT … SELECT over generate_series) with the row triggers
switched off for the fixture tables (session_replication_role = replica), and the study
rounds (LearnerRound) are derived in SQL from the approved cells by the rules of
REGULATIONS §1.3–1.6. A sample of gradebooks is then run through the real approval path
(rounds_refresh) to show that it finds nothing to change — the fixture is what the service
would have written. What is timed is the real service, results_recompute, with every
trigger on (pghistory records the module results and term summaries it writes).
"""

from __future__ import annotations

import logging
import os
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

from benchmarks.common import bench_database, celery_workers, timed, wait_for_job
from benchmarks.grading_floor import (
    floor_compute_sql,
    floor_differences_sql,
    floor_supported,
    floor_write_sql,
)

LEARNERS = int(os.environ.get("BENCH_GRADING_LEARNERS", "20000"))
PDFS = int(os.environ.get("BENCH_GRADING_PDFS", "100"))  # 0: no transcript PDFs
# 1: print a cProfile of the service's first and no-change runs (top functions by own time)
PROFILE = os.environ.get("BENCH_GRADING_PROFILE", "") == "1"
# n > 0: the first run again as chunks over n real Celery worker processes (Redis needed)
WORKERS = int(os.environ.get("BENCH_GRADING_WORKERS", "0"))

# The figures of the last run, for `make bench`'s summary table: one dict a scenario with
# string keys scenario, figure, floor, ratio, goal (filled by run()).
FIGURES: list[dict[str, str]] = []
MODULES = 40
CLASS_SIZE = 35
ADMISSION_YEAR = 2023
# (occupation level, months, semesters, short code)
PROGRAMS = [("college", 36, 6, "CNTT"), ("college", 36, 6, "QTM"),
            ("intermediate", 24, 4, "TCNTT"), ("intermediate", 24, 4, "TCQTM")]
CREDITS = [3, 2, 4, 3, 3, 2, 4, 3]  # cycled over a program's modules: 120 credits
SAMPLE_GRADEBOOKS = 20

# Deterministic pseudo-random numbers in [0, 1) from a row id and a salt, so that a run
# builds the same college every time.
U = "((hashtext(({x})::text || '{salt}') & 2147483647)::float8 / 2147483648.0)"


def u(x: str, salt: str) -> str:
    return U.format(x=x, salt=salt)


def clamp_score(expr: str) -> str:
    return f"LEAST(10.0, GREATEST(0.0, round(({expr})::numeric, 1)))::numeric(3,1)"


# =============================================================================
# Set-up
# =============================================================================


def _calendar():
    from training import services
    from training.models import Semester

    for start in range(ADMISSION_YEAR, ADMISSION_YEAR + 4):
        year = services.school_year_create(start_year=start, starts_on=date(start, 9, 1),
                                           ends_on=date(start + 1, 8, 31))
        services.semester_save(school_year=year, number=1, starts_on=date(start, 9, 1),
                               ends_on=date(start + 1, 1, 18))
        services.semester_save(school_year=year, number=2, starts_on=date(start + 1, 1, 19),
                               ends_on=date(start + 1, 6, 30))
    return list(Semester.objects.filter(number__lt=3)
                .order_by("school_year__start_year", "number"))


def _programs():
    from training.models import (
        AssessmentComponent,
        AssessmentForm,
        AssessmentKind,
        Module,
        ModuleKind,
        Program,
        ProgramStatus,
    )
    from vetschool.reference.models import Occupation

    programs = []
    for level, months, semesters, short in PROGRAMS:
        used = [p.occupation_id for p in programs]
        occupation = (Occupation.objects.filter(level=level).exclude(pk__in=used)
                      .order_by("code").first())
        program = Program.objects.create(
            occupation=occupation, effective_year=ADMISSION_YEAR, name_vi=occupation.name_vi,
            short_code=short, duration_months=months, total_credits=sum(
                CREDITS[n % len(CREDITS)] for n in range(MODULES)),
            status=ProgramStatus.ACTIVE)
        modules = Module.objects.bulk_create([
            Module(program=program, code=f"MĐ{n + 1:02d}", name_vi=f"Mô-đun {n + 1}: Thực hành "
                   f"nghề {occupation.name_vi.lower()}", kind=ModuleKind.SPECIALIZED,
                   credits=CREDITS[n % len(CREDITS)], theory_hours=30, practice_hours=45,
                   exam_hours=3, planned_semester=1 + n * semesters // MODULES,
                   # physical and defence education: required, outside the GPA
                   counts_in_gpa=n not in (1, 9 if semesters == 6 else 6), order=n)
            for n in range(MODULES)])
        lines = []
        for module in modules:
            checks = 2 if module.credits >= 4 else 1
            lines += [AssessmentComponent(module=module, kind=AssessmentKind.CONTINUOUS,
                                          count=checks),
                      AssessmentComponent(module=module, kind=AssessmentKind.PERIODIC,
                                          count=checks),
                      AssessmentComponent(module=module, kind=AssessmentKind.EXAM, count=1,
                                          form=AssessmentForm.WRITTEN)]
        AssessmentComponent.objects.bulk_create(lines)
        programs.append(program)
    return programs


def _learners(programs, first_semester):
    from enrollment.models import Enrollment, EnrollmentStatus, Learner
    from training.models import ClassMembership, EnrollmentProgram, HomeroomClass
    from vetschool.reference.models import EthnicGroup, ProvincialUnit

    kinh = EthnicGroup.objects.get(code="01")
    hanoi = ProvincialUnit.objects.get(code="01")
    family = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ"]
    given = ["Ánh", "Bình", "Cường", "Dung", "Đức", "Giang", "Huy", "Khánh", "Lâm", "Ngọc"]
    learners = Learner.objects.bulk_create([
        Learner(code=f"G{i:07d}", full_name=f"{family[i % 10]} Văn {given[i // 10 % 10]}",
                date_of_birth=date(2005, 1 + i % 12, 1 + i % 28), gender="male",
                national_id=f"001205{i:06d}", ethnic_group=kinh, province=hanoi,
                nationality="VN")
        for i in range(LEARNERS)
    ], batch_size=5000)
    start = date(ADMISSION_YEAR, 9, 5)
    enrollments = Enrollment.objects.bulk_create([
        Enrollment(learner=learner, occupation=programs[i % len(programs)].occupation,
                   level=programs[i % len(programs)].occupation.level,
                   admission_year=ADMISSION_YEAR, start_date=start,
                   status=EnrollmentStatus.STUDYING, status_date=start)
        for i, learner in enumerate(learners)
    ], batch_size=5000)
    EnrollmentProgram.objects.bulk_create([
        EnrollmentProgram(enrollment=e, program=programs[i % len(programs)], since=start)
        for i, e in enumerate(enrollments)], batch_size=5000)
    by_program = {p.pk: [] for p in programs}
    for i, e in enumerate(enrollments):
        by_program[programs[i % len(programs)].pk].append(e)
    classes, members = [], []
    for program in programs:
        group = by_program[program.pk]
        for n in range(0, len(group), CLASS_SIZE):
            klass = HomeroomClass(code=f"K{ADMISSION_YEAR % 100}{program.short_code}"
                                       f"{n // CLASS_SIZE + 1:03d}",
                                  program=program, admission_year=ADMISSION_YEAR,
                                  first_semester=first_semester)
            classes.append(klass)
            members += [(klass, e) for e in group[n:n + CLASS_SIZE]]
    HomeroomClass.objects.bulk_create(classes)
    ClassMembership.objects.bulk_create([
        ClassMembership(homeroom_class=k, enrollment=e, from_date=start, reason="placement")
        for k, e in members], batch_size=5000)
    return len(classes)


def _class_sections(cursor, semesters):
    """A section per class × module in the calendar semester of the module's plan."""
    ordinals = ", ".join(f"({i + 1}, {s.pk})" for i, s in enumerate(semesters))
    cursor.execute(f"""
        CREATE TEMP TABLE bench_sem (planned int PRIMARY KEY, semester_id bigint);
        INSERT INTO bench_sem VALUES {ordinals};
        INSERT INTO training_section (module_id, semester_id, code, class_key, capacity,
                                      practice, schedule, delivery_form, note, created_at)
        SELECT m.id, bs.semester_id, c.code || '-' || m.code, c.id::text, NULL, false, '',
               'in_person', '', now()
        FROM training_homeroomclass c
        JOIN training_module m ON m.program_id = c.program_id
        JOIN bench_sem bs ON bs.planned = m.planned_semester;
        INSERT INTO training_sectionclass (section_id, homeroom_class_id)
        SELECT s.id, s.class_key::bigint FROM training_section s;
        INSERT INTO training_sectionlearner (section_id, enrollment_id, module_id, semester_id,
                                             source, reason, added_at, removed_reason)
        SELECT s.id, cm.enrollment_id, s.module_id, s.semester_id, 'class', '', now(), ''
        FROM training_section s JOIN training_classmembership cm
          ON cm.homeroom_class_id = s.class_key::bigint;
    """)  # noqa: S608 (numbers only)


def _gradebooks(cursor):
    cursor.execute("""
        INSERT INTO training_gradebook (section_id, sitting, status, version, complete,
                                        status_changed_at, return_reason, created_at,
                                        updated_at)
        SELECT s.id, 1, 'approved', 1, true, now(), '', now(), now()
        FROM training_section s
        WHERE NOT EXISTS (SELECT 1 FROM training_gradebook g WHERE g.section_id = s.id)
    """)


def _scores_and_rounds(cursor, bonus: float) -> None:
    """Scores, then study rounds, of every section learner that has no round yet.

    A learner's ability (4.0–9.8, the same in every module) plus noise gives the checks;
    the exam is noisier. Unexcused absences (KP) from a check or the exam are rare.
    """
    ability = f"LEAST(9.8, 4.0 + 5.8 * power({u('sl.enrollment_id', 'ability')}, 0.6) + {bonus})"
    # salts built from the component: each check of each learner gets its own numbers
    component = "' || k.kind || n || '"
    absent = u("b.sl_id", "k" + component)
    check = clamp_score(f"b.ability + 4 * ({u('b.sl_id', 'c' + component)} - 0.5)")
    cursor.execute(f"""
        DROP TABLE IF EXISTS bench_g;
        CREATE TEMP TABLE bench_g AS
        SELECT sl.id AS sl_id, g.id AS gb_id, sl.enrollment_id, sl.module_id, sl.semester_id,
               m.theory_hours, CASE WHEN m.credits >= 4 THEN 2 ELSE 1 END AS checks,
               {ability} AS ability,
               NULL::numeric AS average, NULL::numeric(3,1) AS exam1, ''::text AS mark1,
               NULL::numeric(3,1) AS exam2
        FROM training_sectionlearner sl
        JOIN training_gradebook g ON g.section_id = sl.section_id
        JOIN training_module m ON m.id = sl.module_id
        WHERE NOT EXISTS (SELECT 1 FROM training_learnerround r
                          WHERE r.section_learner_id = sl.id);
        ALTER TABLE bench_g ADD PRIMARY KEY (sl_id);

        INSERT INTO training_score (gradebook_id, section_learner_id, kind, number, score, mark,
                                    locked, version, updated_at)
        SELECT b.gb_id, b.sl_id, k.kind, n,
               CASE WHEN {absent} < 0.01 THEN NULL ELSE {check} END,
               CASE WHEN {absent} < 0.01 THEN 'KP' ELSE '' END,
               true, 1, now()
        FROM bench_g b
        CROSS JOIN (VALUES ('continuous'), ('periodic')) AS k(kind)
        CROSS JOIN LATERAL generate_series(1, b.checks) AS n;

        -- REGULATIONS §1.3: continuous weight 1, periodic 2; KP counts 0.0; one decimal.
        UPDATE bench_g b SET average = a.average FROM (
            SELECT section_learner_id,
                   round(sum(coalesce(score, 0) * CASE kind WHEN 'continuous' THEN 1 ELSE 2 END)
                         / sum(CASE kind WHEN 'continuous' THEN 1 ELSE 2 END), 1) AS average
            FROM training_score s JOIN bench_g g ON g.sl_id = s.section_learner_id
            GROUP BY section_learner_id) a
        WHERE a.section_learner_id = b.sl_id;

        -- §1.6: the exam for those whose checks average is at least 5.0.
        UPDATE bench_g b SET
            mark1 = CASE WHEN {u("b.sl_id", "kp1")} < 0.005 THEN 'KP' ELSE '' END,
            exam1 = CASE WHEN {u("b.sl_id", "kp1")} < 0.005 THEN NULL ELSE
                    {clamp_score(f"b.ability - 0.5 + 7 * ({u('b.sl_id', 'exam1')} - 0.5)")} END
        WHERE b.average >= 5.0;
        -- §1.7: a retake for those who failed (module score below 4.0) or missed it.
        UPDATE bench_g b SET
            exam2 = {clamp_score(f"b.ability + 0.5 + 6 * ({u('b.sl_id', 'exam2')} - 0.5)")}
        WHERE b.average >= 5.0
          AND (b.mark1 = 'KP' OR round(0.4 * b.average + 0.6 * b.exam1, 1) < 4.0);

        INSERT INTO training_score (gradebook_id, section_learner_id, kind, number, score, mark,
                                    locked, version, updated_at)
        SELECT gb_id, sl_id, 'exam', 1, exam1, mark1, true, 1, now()
        FROM bench_g WHERE average >= 5.0
        UNION ALL
        SELECT gb_id, sl_id, 'exam', 2, exam2, '', true, 2, now()
        FROM bench_g WHERE exam2 IS NOT NULL;

        UPDATE training_gradebook g SET sitting = 2, version = 2
        WHERE g.id IN (SELECT gb_id FROM bench_g WHERE exam2 IS NOT NULL);

        INSERT INTO training_learnerround (section_learner_id, enrollment_id, module_id,
            semester_id, term_id, checks_average, eligible, ineligibility_reasons,
            attendance_waived, theory_attended_hours, practice_excused_hours,
            practice_unexcused_hours, sittings, improvement, computed_at)
        SELECT sl_id, enrollment_id, module_id, semester_id, semester_id, average,
               average >= 5.0,
               CASE WHEN average >= 5.0 THEN '{{}}'::varchar[]
                    ELSE ARRAY['CHECKS_AVERAGE']::varchar[] END,
               false, theory_hours, 0, 0,
               CASE WHEN average < 5.0 THEN '{{}}'::varchar[]
                    ELSE ARRAY[CASE WHEN mark1 = 'KP' THEN 'ABSENT_UNEXCUSED'
                                    ELSE exam1::text END]::varchar[]
                         || CASE WHEN exam2 IS NULL THEN '{{}}'::varchar[]
                                 ELSE ARRAY[exam2::text]::varchar[] END
               END,
               false, now()
        FROM bench_g;
    """)  # noqa: S608 (no input)


def _restudy(cursor, semesters) -> int:
    """Re-study sections the next semester for the rounds that ended without a pass
    (not eligible, or failed both sittings) — within the calendar built."""
    pairs = ", ".join(f"({a.pk}, {b.pk})" for a, b in zip(semesters, semesters[1:],
                                                          strict=False))
    cursor.execute(f"""
        DROP TABLE IF EXISTS bench_next;
        CREATE TEMP TABLE bench_next (semester_id bigint PRIMARY KEY, next_id bigint);
        INSERT INTO bench_next VALUES {pairs};
        DROP TABLE IF EXISTS bench_restudy;
        CREATE TEMP TABLE bench_restudy AS
        SELECT b.enrollment_id, b.module_id, n.next_id AS semester_id
        FROM bench_g b JOIN bench_next n ON n.semester_id = b.semester_id
        WHERE b.average < 5.0
           OR b.exam2 IS NOT NULL AND round(0.4 * b.average + 0.6 * b.exam2, 1) < 4.0;

        INSERT INTO training_section (module_id, semester_id, code, class_key, capacity,
                                      practice, schedule, delivery_form, note, created_at)
        SELECT DISTINCT r.module_id, r.semester_id,
               'HL-' || p.short_code || '-' || m.code || '-' || r.semester_id, NULL::varchar,
               NULL::int, false, '', 'in_person', 'Lớp học lại', now()
        FROM bench_restudy r JOIN training_module m ON m.id = r.module_id
        JOIN training_program p ON p.id = m.program_id;

        INSERT INTO training_sectionlearner (section_id, enrollment_id, module_id, semester_id,
                                             source, reason, added_at, removed_reason)
        SELECT s.id, r.enrollment_id, r.module_id, r.semester_id, 'restudy', 'Học lại', now(),
               ''
        FROM bench_restudy r JOIN training_section s
          ON s.module_id = r.module_id AND s.semester_id = r.semester_id
         AND s.class_key IS NULL;
    """)  # noqa: S608 (numbers only)
    cursor.execute("SELECT count(*) FROM bench_restudy")
    return cursor.fetchone()[0]


def _build(semesters) -> dict:
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        # Fixture tables only: no per-row triggers (pghistory, locks) while loading.
        cursor.execute("SET LOCAL session_replication_role = replica")
        _class_sections(cursor, semesters)
        _gradebooks(cursor)
        _scores_and_rounds(cursor, bonus=0.0)
        restudy = _restudy(cursor, semesters)
        _gradebooks(cursor)
        _scores_and_rounds(cursor, bonus=1.5)  # a re-study round goes better
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        counts = {}
        for table in ("section", "gradebook", "sectionlearner", "score", "learnerround"):
            cursor.execute(f"SELECT count(*) FROM training_{table}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    counts["restudy"] = restudy
    return counts


def _check_sample() -> tuple[int, float, int]:
    """Run a sample of gradebooks through the real approval path (rounds_refresh): it must
    find every round as the set-up wrote it. Returns (gradebooks, seconds each, changed)."""
    from django.db import transaction

    from grading.models import Gradebook, LearnerRound
    from grading.services.results import rounds_refresh

    fields = ["enrollment_id", "module_id", "semester_id", "term_id", "checks_average",
              "eligible", "ineligibility_reasons", "attendance_waived",
              "theory_attended_hours", "practice_excused_hours", "practice_unexcused_hours",
              "sittings", "improvement"]
    books = list(Gradebook.objects.filter(section__class_key__isnull=False)
                 .order_by("?")[:SAMPLE_GRADEBOOKS - 5])
    books += list(Gradebook.objects.filter(section__class_key__isnull=True).order_by("?")[:5])

    def snapshot():
        return {r["section_learner_id"]: r for r in LearnerRound.objects.filter(
            section_learner__section__gradebook__in=books).values("section_learner_id",
                                                                   *fields)}

    before = snapshot()
    started = time.perf_counter()
    with transaction.atomic():
        for book in books:
            rounds_refresh(gradebook=book)
    seconds = (time.perf_counter() - started) / max(len(books), 1)
    after = snapshot()
    changed = sum(1 for k, v in after.items() if before.get(k) != v) + len(set(before) - set(after))
    return len(books), seconds, changed


# =============================================================================
# The plain SQL aggregate over the same rows
# =============================================================================

# Module score of each sitting (§1.3–1.4), the best per enrolment × module (§1.7), its
# letter and 4-point value (§1.5); then per enrolment × semester the semester GPA over the
# modules that count, the best result of each module in that semester, F = 0 (§2.3).
SQL_AGGREGATE = """
    DROP TABLE IF EXISTS bench_agg_modules;
    DROP TABLE IF EXISTS bench_agg_terms;
    CREATE TEMP TABLE bench_agg_modules AS
    WITH checks AS (
        SELECT s.section_learner_id,
               round(sum(coalesce(s.score, 0) * CASE s.kind WHEN 'continuous' THEN 1 ELSE 2 END)
                     / sum(CASE s.kind WHEN 'continuous' THEN 1 ELSE 2 END), 1) AS average
        FROM training_score s WHERE s.kind <> 'exam' GROUP BY s.section_learner_id
    ), sittings AS (
        SELECT sl.enrollment_id, sl.module_id, sl.semester_id,
               CASE WHEN c.average < 5.0 THEN 0.0
                    ELSE round(0.4 * c.average + 0.6 * coalesce(e.score, 0), 1) END AS score
        FROM checks c
        JOIN training_sectionlearner sl ON sl.id = c.section_learner_id
        LEFT JOIN training_score e ON e.section_learner_id = c.section_learner_id
                                  AND e.kind = 'exam'
        WHERE c.average < 5.0 OR e.id IS NOT NULL
    ), best AS (
        SELECT enrollment_id, module_id, semester_id, max(score) AS score
        FROM sittings GROUP BY enrollment_id, module_id, semester_id
    )
    SELECT b.enrollment_id, b.module_id, b.semester_id, b.score,
           CASE WHEN b.score >= 8.5 THEN 4.0 WHEN b.score >= 7.0 THEN 3.0
                WHEN b.score >= 5.5 THEN 2.0 WHEN b.score >= 4.0 THEN 1.0 ELSE 0.0 END AS points,
           m.credits, m.counts_in_gpa
    FROM best b JOIN training_module m ON m.id = b.module_id;

    CREATE TEMP TABLE bench_agg_terms AS
    SELECT enrollment_id, semester_id,
           round(sum(points * credits) FILTER (WHERE counts_in_gpa)
                 / nullif(sum(credits) FILTER (WHERE counts_in_gpa), 0), 2) AS gpa_4,
           round(sum(score * credits) FILTER (WHERE counts_in_gpa)
                 / nullif(sum(credits) FILTER (WHERE counts_in_gpa), 0), 2) AS gpa_10,
           sum(credits) FILTER (WHERE points > 0) AS credits_earned
    FROM bench_agg_modules GROUP BY enrollment_id, semester_id;
"""

# The aggregate's best score per enrolment × module over all semesters, against the
# service's module results; and its semester GPA against the term summaries.
SQL_COMPARE = """
    SELECT
      (SELECT count(*) FROM (
          SELECT enrollment_id, module_id, max(score) AS score
          FROM bench_agg_modules GROUP BY enrollment_id, module_id) a
       JOIN training_moduleresult r USING (enrollment_id, module_id)
       WHERE r.score_10 IS DISTINCT FROM a.score
         AND NOT (a.score = 0.0 AND r.score_10 IS NULL)),
      (SELECT count(*) FROM bench_agg_terms a
       JOIN training_termsummary t
         ON t.enrollment_id = a.enrollment_id AND t.semester_id = a.semester_id
       WHERE t.gpa_4 IS DISTINCT FROM a.gpa_4 OR t.gpa_10 IS DISTINCT FROM a.gpa_10),
      (SELECT count(*) FROM training_moduleresult),
      (SELECT count(*) FROM training_termsummary)
"""


def _recompute() -> None:
    from django.db import connection, transaction

    from enrollment.models import Enrollment
    from grading.models import ModuleResult, TermSummary
    from grading.services.results import results_recompute

    ids = list(Enrollment.objects.values_list("pk", flat=True))
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM training_score")
        score_rows = cursor.fetchone()[0]
    floor = _floor()

    started = time.perf_counter()
    with transaction.atomic(), _profiled("first run"):
        stats = results_recompute(enrollment_ids=ids)
    first = time.perf_counter() - started
    rows = stats.module_results_written + stats.term_summaries_written
    print(f"results_recompute, {len(ids):,} enrolments (first run, writes every row): "
          f"{first:.1f} s — {stats.module_results_written:,} module results + "
          f"{stats.term_summaries_written:,} term summaries = {rows:,} rows, "
          f"{rows / first:,.0f} rows/s ({score_rows / first:,.0f} score rows/s)", flush=True)

    started = time.perf_counter()
    with transaction.atomic(), _profiled("nothing changed"):
        again = results_recompute(enrollment_ids=ids)
    second = time.perf_counter() - started
    unchanged = again.module_results_written + again.term_summaries_written
    print(f"results_recompute again (nothing changed, {unchanged} rows written, "
          f"{again.skipped:,} of {len(ids):,} enrolments skipped by their fingerprint): "
          f"{second:.1f} s, {rows / second:,.0f} rows/s checked", flush=True)
    with connection.cursor() as cursor:
        cursor.execute(floor_differences_sql())
        result_diff, term_diff, floor_results, floor_terms = cursor.fetchone()
    print(f"  cross-check against the SQL floor, every column: module results differing "
          f"{result_diff} (floor {floor_results:,}, service {stats.module_results_written:,}); "
          f"term summaries differing {term_diff} (floor {floor_terms:,}, service "
          f"{stats.term_summaries_written:,})", flush=True)
    assert result_diff == 0 and term_diff == 0, "the service and the SQL floor disagree"

    with connection.cursor() as cursor:
        started = time.perf_counter()
        with transaction.atomic():
            cursor.execute(SQL_AGGREGATE)
        seconds = time.perf_counter() - started
        cursor.execute("SELECT (SELECT count(*) FROM bench_agg_modules), "
                       "(SELECT count(*) FROM bench_agg_terms)")
        module_rows, term_rows = cursor.fetchone()
        total = module_rows + term_rows
        print(f"plain SQL aggregate over the same {score_rows:,} score rows: {seconds:.1f} s — "
              f"{module_rows:,} module rows + {term_rows:,} term rows = {total:,} rows, "
              f"{total / seconds:,.0f} rows/s ({score_rows / seconds:,.0f} score rows/s)",
              flush=True)
        cursor.execute(SQL_COMPARE)
        module_diff, term_diff, results, summaries = cursor.fetchone()
    assert results == ModuleResult.objects.count() and summaries == TermSummary.objects.count()
    print(f"  cross-check: module scores differing from the SQL aggregate {module_diff} of "
          f"{results:,}; semester GPAs differing {term_diff} of {summaries:,}")
    print(f"  ratios: first run {first:.1f} s / SQL floor {floor:.1f} s = {first / floor:.1f}× "
          f"(goal 2×); nothing changed {second:.1f} s / plain aggregate {seconds:.1f} s = "
          f"{second / seconds:.1f}× (goal 1×)", flush=True)
    peak = _peak_memory_mib()
    print(f"  peak memory of this process (ru_maxrss): {peak:,.0f} MiB (goal < 1 GB)",
          flush=True)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    size = f"{len(ids):,} learners × {MODULES} modules"
    FIGURES.extend([
        {"scenario": f"results_recompute first run ({size})", "figure": f"{first:.1f} s",
         "floor": f"SQL floor {floor:.1f} s", "ratio": f"{first / floor:.1f}×",
         "goal": "≤ 2×"},
        {"scenario": f"results_recompute, nothing changed ({size})",
         "figure": f"{second:.1f} s", "floor": f"plain SQL aggregate {seconds:.1f} s",
         "ratio": f"{second / seconds:.1f}×", "goal": "≤ 1×"},
        {"scenario": f"results_recompute peak memory ({size}; load {load})",
         "figure": f"{peak:,.0f} MiB", "floor": "—", "ratio": f"{peak / 1024:.2f} of 1 GB",
         "goal": "< 1 GB"},
    ])
    if WORKERS:
        _recompute_chunked(first)
    _spread()


def _recompute_chunked(single: float) -> None:
    """The first run again, as a RecomputeJob spread over WORKERS real worker processes
    (chunks of RECOMPUTE_CHUNK_SIZE, a chord, grading.services.recompute_jobs) from empty
    results tables, as the single run started; cross-checked on every column against the
    single run's rows."""
    from django.db import connection

    from grading.models import RecomputeJob
    from grading.services.stamps import RESULT_COLUMNS, TERM_COLUMNS

    tables = (("training_moduleresult", RESULT_COLUMNS), ("training_termsummary", TERM_COLUMNS))
    with connection.cursor() as cursor:
        for table, columns in tables:
            row = "ROW(enrollment_id, " + ", ".join(columns) + ")::text"
            cursor.execute(f"DROP TABLE IF EXISTS bench_single_{table}")
            cursor.execute(f"CREATE TABLE bench_single_{table} AS SELECT {row} AS r FROM {table}")
    with tempfile.TemporaryDirectory() as media, celery_workers(WORKERS, media=media) as send:
        if send is None:
            print("  (no Redis: the chunked recompute over Celery workers is skipped)",
                  flush=True)
            FIGURES.append({"scenario": "results_recompute in chunks over Celery workers",
                            "figure": "skipped: no Redis"})
            return
        with connection.cursor() as cursor:
            for table in ("grading_resultsstamp", "training_moduleresult",
                          "training_termsummary"):
                cursor.execute(f"DELETE FROM {table}")  # empty, as before the first run
        job = RecomputeJob.objects.create()
        send("grading.results_recompute_job_run", job.pk)
        seconds = wait_for_job(job)
    job.refresh_from_db()
    differ = []
    with connection.cursor() as cursor:
        for table, columns in tables:
            row = "ROW(enrollment_id, " + ", ".join(columns) + ")::text"
            cursor.execute(f"SELECT count(*) FROM ((SELECT r FROM bench_single_{table} EXCEPT ALL "
                           f"SELECT {row} FROM {table}) UNION ALL (SELECT {row} FROM {table} "
                           f"EXCEPT ALL SELECT r FROM bench_single_{table})) d")
            differ.append(cursor.fetchone()[0])
            cursor.execute(f"DROP TABLE bench_single_{table}")
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"results_recompute in {job.chunks} chunks over {WORKERS} worker processes (first "
          f"run, from empty tables): {seconds:.1f} s beside one process {single:.1f} s "
          f"({single / seconds:.2f}× as fast); {job.module_results_written:,} module results + "
          f"{job.term_summaries_written:,} term summaries; rows differing from the single "
          f"run, every column: {differ[0]} + {differ[1]} (load {load})", flush=True)
    assert differ == [0, 0], "the chunked recompute and the single run disagree"
    FIGURES.append({
        "scenario": f"results_recompute first run, {job.chunks} chunks over {WORKERS} "
                    f"workers ({job.total:,} enrolments; load {load})",
        "figure": f"{seconds:.1f} s", "floor": f"one process {single:.1f} s",
        "ratio": f"{single / seconds:.2f}× as fast", "goal": "faster with more workers"})


def _peak_memory_mib() -> float:
    import resource
    import sys

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux, bytes on macOS
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


class _profiled:
    """cProfile the block when BENCH_GRADING_PROFILE=1: the top functions by own time."""

    def __init__(self, label: str):
        self.label = label
        self.profile = None

    def __enter__(self):
        if PROFILE:
            import cProfile

            self.profile = cProfile.Profile()
            self.profile.enable()
        return self

    def __exit__(self, *exc):
        if self.profile is not None:
            import pstats

            self.profile.disable()
            print(f"--- profile of the {self.label} (top 25 by own time)")
            pstats.Stats(self.profile).sort_stats("tottime").print_stats(25)
        return False


class _RollBack(Exception):
    pass


def _floor() -> float:
    """The fair floor (benchmarks/grading_floor.py): every output computed by set-based SQL
    from the same rounds, written by one INSERT per table with every trigger on, under a
    history context as the service writes; then rolled back so the service's first run
    writes into the same empty tables. The floor's rows stay in temp tables for the
    cross-check. Returns its seconds (compute + write)."""
    import pghistory
    from django.db import connection, transaction

    from grading.config import grading_rules
    from grading.services.results import _settle_trigger_settings

    rules = grading_rules()
    problems = floor_supported(rules)
    assert not problems, f"the SQL floor does not follow these rules: {problems}"
    with connection.cursor() as cursor:
        started = time.perf_counter()
        with transaction.atomic():
            cursor.execute(floor_compute_sql(rules))
        computed = time.perf_counter() - started
        written = []
        try:
            with transaction.atomic(), pghistory.context(service="bench.sql_floor"):
                _settle_trigger_settings()
                for statement in floor_write_sql():
                    started = time.perf_counter()
                    cursor.execute(statement)
                    written.append((cursor.rowcount, time.perf_counter() - started))
                raise _RollBack
        except _RollBack:
            pass
    (results, results_s), (terms, terms_s) = written
    total = computed + results_s + terms_s
    print(f"SQL floor (same outputs, same tables, triggers on): {total:.1f} s — compute "
          f"{computed:.1f} s, INSERT {results:,} module results {results_s:.1f} s, INSERT "
          f"{terms:,} term summaries {terms_s:.1f} s; {(results + terms) / total:,.0f} rows/s "
          f"(rolled back for the service's run)", flush=True)
    return total


def _spread() -> None:
    from django.db.models import Count

    from grading.models import ModuleResult, TermSummary

    statuses = dict(ModuleResult.objects.values_list("status").annotate(n=Count("pk")))
    retaken = ModuleResult.objects.filter(had_to_retake=True).count()
    restudied = ModuleResult.objects.filter(had_to_restudy=True).count()
    standings = dict(TermSummary.objects.values_list("standing").annotate(n=Count("pk")))
    print(f"  spread: module results by status {statuses}; had to retake {retaken:,}, "
          f"re-study {restudied:,}; semester standings {standings}")


# =============================================================================
# Transcripts
# =============================================================================


def _transcripts() -> None:
    # WeasyPrint logs a line per rendering step (and per stylesheet parsed on import).
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    from django.template.loader import render_to_string
    from django.utils import translation

    from enrollment.models import Learner
    from grading.pdf import TEMPLATE, transcript_context, transcript_pdf
    from grading.transcripts import transcript_of
    from vetschool.pdf import layout

    step = max(1, LEARNERS // PDFS)
    ids = list(Learner.objects.order_by("pk").values_list("pk", flat=True))[::step][:PDFS]
    learners = list(Learner.objects.filter(pk__in=ids).order_by("pk"))
    times, sizes = [], []
    build = []
    for learner in learners:
        started = time.perf_counter()
        transcript = transcript_of(learner)
        build.append(time.perf_counter() - started)
        pdf = transcript_pdf(transcript)
        times.append(time.perf_counter() - started)
        sizes.append(len(pdf))
    assert all(pdf_size > 0 for pdf_size in sizes)
    total = sum(times)
    print(f"{len(learners)} transcript PDFs (transcript_of + transcript_pdf, the view's path): "
          f"{total:.1f} s, {total / len(learners):.3f} s per PDF (median "
          f"{statistics.median(times):.3f} s; reading the results "
          f"{statistics.mean(build) * 1000:.0f} ms of it), {statistics.mean(sizes) / 1024:.0f} "
          f"KiB each", flush=True)

    with translation.override("vi"):
        html = render_to_string(TEMPLATE, transcript_context(transcript_of(learners[0])))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "transcript.html"
        path.write_text(html, encoding="utf-8")
        static = path.read_text(encoding="utf-8")
        started = time.perf_counter()
        for _n in range(len(learners)):
            layout(static).write_pdf()
        seconds = time.perf_counter() - started
    print(f"WeasyPrint alone, the saved HTML of one transcript ({len(html) / 1024:.0f} KiB) "
          f"rendered {len(learners)} times: {seconds:.1f} s, "
          f"{seconds / len(learners):.3f} s per PDF", flush=True)
    per_pdf, alone = total / len(learners), seconds / len(learners)
    FIGURES.append({"scenario": "transcript PDF through the view's path",
                    "figure": f"{per_pdf:.2f} s", "floor": f"WeasyPrint alone {alone:.2f} s",
                    "ratio": f"{per_pdf / alone:.1f}×", "goal": "served pre-rendered"})


def run() -> None:
    from django.conf import settings

    # A recompute queues the changed transcripts' renders (bench_documents measures those).
    settings.DOCUMENTS_PRERENDER = False
    FIGURES.clear()
    with bench_database():
        from vetschool.demo import seed_demo_occupations, seed_institution

        seed_institution()
        seed_demo_occupations()
        print(f"{LEARNERS:,} learners × {MODULES} modules, {len(PROGRAMS)} programs, "
              f"classes of {CLASS_SIZE}; {os.cpu_count()} CPUs", flush=True)
        with timed("set-up: calendar, programs, learners, enrolments, classes"):
            semesters = _calendar()
            programs = _programs()
            classes = _learners(programs, semesters[0])
        with timed("set-up: sections, approved gradebooks, scores and study rounds (SQL)"):
            counts = _build(semesters)
        print(f"  {classes} classes, {counts['section']:,} sections (gradebooks "
              f"{counts['gradebook']:,}), {counts['sectionlearner']:,} learner entries "
              f"({counts['restudy']:,} re-study), {counts['score']:,} score rows, "
              f"{counts['learnerround']:,} study rounds", flush=True)
        books, each, changed = _check_sample()
        print(f"rounds_refresh (approval path) on {books} sample gradebooks: {each:.3f} s each; "
              f"rounds it would change: {changed}", flush=True)
        assert changed == 0, "the set-up's study rounds differ from rounds_refresh's"
        _recompute()
        if PDFS:
            _transcripts()
