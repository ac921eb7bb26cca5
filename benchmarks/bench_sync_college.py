"""National sync of a whole college on the real record types: a full push of a
BENCH_COLLEGE_LEARNERS-learner college (default 20,000: learners, enrolments, ~40 module
results a learner, term summaries, staff, and diplomas once the degrees app registers them)
to the local sandbox, beside the same batches posted by a bare loop (the ceiling), then an
incremental push of one day's changes (~10,000 records).

    python -m benchmarks sync_college
    BENCH_COLLEGE_LEARNERS=2000 python -m benchmarks sync_college     # a quick look

The college is built in a throwaway database (on the embedded server, or on DATABASE_URL's
server) with the real models: programs, classes and one semester's sections through the
services, learners and enrolments with bulk_create, module results and term summaries with
INSERT ... SELECT, and a small cohort graded through the real gradebook path so that score
amendments go through the real service. The outbox triggers stay on, as in production; the
changes the build captured are dropped, since a first load goes through `--full`.
Every registered record type that has rows is pushed and shown; a type without rows gets a
line saying so. BENCH_COLLEGE_PROFILE=1 also times the payload builds of the full push
without sending (a dry run) and prints where the time goes.
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LEARNERS = int(os.environ.get("BENCH_COLLEGE_LEARNERS", "20000"))
STAFF = int(os.environ.get("BENCH_COLLEGE_STAFF", "600"))
DAY_CHANGES = int(os.environ.get("BENCH_SYNC_DAY_CHANGES", "10000"))
PROFILE = os.environ.get("BENCH_COLLEGE_PROFILE", "") not in ("", "0")
PROGRAMS = 10
SEMESTERS = 4  # completed main semesters: 2024-1, 2024-2, 2025-1, 2025-2
MODULES_PER_SEMESTER = 10  # -> 40 module results a learner
GRADED_CLASSES = 3  # classes graded through the gradebooks (amendable by the real service)
ADMISSION_YEAR = 2024


# --- parent: a throwaway database -------------------------------------------------------------
# The figures of the last run for `make bench`'s summary table (see bench_sync.FIGURES).
FIGURES: list[dict] = []


def run() -> list[dict]:
    from benchmarks.bench_sync import figures_of_child

    # The real record types, not the test one.
    FIGURES[:] = figures_of_child("benchmarks.bench_sync_college",
                                  env={"SYNC_TEST_FIXTURE": None})
    return FIGURES


# --- child: build the college ------------------------------------------------------------------
def _say(label: str, seconds: float, rows: int | None = None) -> None:
    rate = f" ({rows / seconds:,.0f} rows/s)" if rows and seconds else ""
    print(f"  {label:<58} {seconds:>8.1f} s{rate}", flush=True)


class _Timer:
    def __init__(self, label: str, rows: int | None = None):
        self.label, self.rows = label, rows

    def __enter__(self):
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.start
        if exc[0] is None:
            _say(self.label, self.seconds, self.rows)
        return False


def _calendar():
    from training import services

    semesters = []
    for start in (ADMISSION_YEAR, ADMISSION_YEAR + 1, ADMISSION_YEAR + 2):
        year = services.school_year_create(start_year=start, starts_on=date(start, 9, 1),
                                           ends_on=date(start + 1, 8, 31))
        semesters.append(services.semester_save(
            school_year=year, number=1, starts_on=date(start, 9, 1),
            ends_on=date(start + 1, 1, 18)))
        semesters.append(services.semester_save(
            school_year=year, number=2, starts_on=date(start + 1, 1, 19),
            ends_on=date(start + 1, 6, 30)))
    return semesters[:SEMESTERS]


def _programs(occupations):
    from training import services
    from training.models import AssessmentKind, ModuleKind
    from training.services.programs import PlanLine

    programs = []
    for occupation in occupations:
        program = services.program_create(occupation=occupation, effective_year=ADMISSION_YEAR,
                                          short_code=f"N{occupation.code[-4:]}",
                                          duration_months=6 * SEMESTERS)
        services.outcome_save(program=program, code="S1", domain="skills",
                              text_vi="Sử dụng công cụ số trong nghề.",
                              is_digital_capability=True)
        for semester in range(1, SEMESTERS + 1):
            for n in range(MODULES_PER_SEMESTER):
                services.module_save(
                    program=program, code=f"MĐ{semester}{n:02d}",
                    name_vi=f"Mô-đun {semester}.{n + 1} nghề {occupation.code}",
                    kind=ModuleKind.SPECIALIZED, credits=2 + n % 3, theory_hours=30,
                    practice_hours=27, exam_hours=3, planned_semester=semester,
                    assessment_plan=[PlanLine(AssessmentKind.CONTINUOUS, 1),
                                     PlanLine(AssessmentKind.PERIODIC, 1),
                                     PlanLine(AssessmentKind.EXAM, 1, "written")])
        programs.append(services.program_activate(program=program))
    return programs


def _national_id(n: int, *, prefix: str = "001") -> str:
    # Province 001, century/gender digit 2 or 3 (born 2000s), year 06, then a serial.
    return f"{prefix}{2 + n % 2}06{n % 1_000_000:06d}"


def _learners(occupations, first: int, count: int) -> list[int]:
    from enrollment.models import Enrollment, EnrollmentStatus, Learner
    from vetschool.reference.models import EthnicGroup, ProvincialUnit

    groups = list(EthnicGroup.objects.order_by("code")[:5])
    provinces = list(ProvincialUnit.objects.order_by("code")[:20])
    learners = Learner.objects.bulk_create([
        Learner(code=f"B{i:07d}", full_name=f"Nguyễn Văn Học {i}",
                date_of_birth=date(2006, 1, 1) + timedelta(days=i % 365),
                gender="female" if i % 2 else "male", national_id=_national_id(i),
                ethnic_group=groups[i % 17 % len(groups)],
                province=provinces[i % len(provinces)], nationality="VN")
        for i in range(first, first + count)
    ], batch_size=5000)
    enrollments = Enrollment.objects.bulk_create([
        Enrollment(learner=learner, occupation=occupations[i % len(occupations)],
                   level=occupations[i % len(occupations)].level,
                   admission_year=ADMISSION_YEAR, start_date=date(ADMISSION_YEAR, 9, 5),
                   status=EnrollmentStatus.STUDYING, status_date=date(ADMISSION_YEAR, 9, 5))
        for i, learner in enumerate(learners)
    ], batch_size=5000)
    return [e.pk for e in enrollments]


def _staff(count: int) -> None:
    from staff.models import Department, StaffMember

    departments = [Department.objects.create(code=f"K{n:02d}", name=f"Khoa {n}",
                                             kind="faculty") for n in range(12)]
    StaffMember.objects.bulk_create([
        StaffMember(staff_code=f"CB{n:05d}", full_name=f"Trần Thị Giảng {n}",
                    national_id=f"031{n % 2}{80 + n % 15}{n:06d}",  # born 1980-1994
                    date_of_birth=date(1980 + n % 15, 1 + n % 12, 1 + n % 28),
                    gender="female" if n % 2 else "male", department=departments[n % 12],
                    is_teacher=n % 10 != 0, is_manager=n % 20 == 0 or n % 10 == 0,
                    employment_status="active", highest_qualification="master",
                    position_since=date(2010, 9, 1))
        for n in range(count)], batch_size=2000)


# Module results of every enrolment (but the graded cohort's) in every module its program plans
# for semesters 1..SEMESTERS, in the semester the plan puts it; scores spread by a hash.
_RESULTS_SQL = """
INSERT INTO training_moduleresult (enrollment_id, module_id, score_10, letter, score_4, passed,
    attempts, had_to_retake, had_to_restudy, status, credits, counts_in_gpa, term_id,
    last_term_id, computed_at)
SELECT x.enrollment_id, x.module_id, x.score,
       CASE WHEN x.score >= 8.5 THEN 'A' WHEN x.score >= 7.0 THEN 'B'
            WHEN x.score >= 5.5 THEN 'C' WHEN x.score >= 4.0 THEN 'D' ELSE 'F' END,
       CASE WHEN x.score >= 8.5 THEN 4.0 WHEN x.score >= 7.0 THEN 3.0
            WHEN x.score >= 5.5 THEN 2.0 WHEN x.score >= 4.0 THEN 1.0 ELSE 0.0 END,
       x.score >= 4.0, 1 + (x.score < 4.0)::int, x.score < 4.0, false,
       CASE WHEN x.score >= 4.0 THEN 'passed' ELSE 'failed' END,
       x.credits, x.counts_in_gpa, x.term_id, x.term_id, now()
FROM (
  SELECT ep.enrollment_id, m.id AS module_id, m.credits, m.counts_in_gpa,
         (%s::bigint[])[m.planned_semester] AS term_id,
         round((3.0 + abs(hashtext(ep.enrollment_id::text || '/' || m.id::text)) %% 70
                / 10.0)::numeric, 1) AS score
  FROM training_enrollmentprogram ep
  JOIN training_module m ON m.program_id = ep.program_id
  WHERE m.planned_semester <= %s AND NOT ep.enrollment_id = ANY(%s)
) x
"""

# One summary per enrolment and semester from its module results, cumulative by window.
_TERMS_SQL = """
INSERT INTO training_termsummary (enrollment_id, semester_id, semester_index, gpa_4, gpa_10,
    credits_in_gpa, credits_earned, cumulative_gpa_4, cumulative_gpa_10,
    cumulative_credits_in_gpa, cumulative_credits_earned, outstanding_f_credits,
    outstanding_f_modules, standing, reasons, consecutive_warnings, exceeded_max_duration,
    classification, classification_downgraded, classification_reasons, retaken_modules,
    computed_at)
SELECT t.enrollment_id, t.term_id, t.idx, round(t.p4 / t.c, 2), round(t.p10 / t.c, 2), t.c,
       t.earned,
       round(sum(t.p4) OVER w / sum(t.c) OVER w, 2), round(sum(t.p10) OVER w / sum(t.c) OVER w, 2),
       sum(t.c) OVER w, sum(t.earned) OVER w, t.fc, t.fm,
       CASE WHEN t.p4 / t.c < 1.0 THEN 'warning' ELSE 'normal' END, '{}', 0, false, '', false,
       '{}', t.fm, now()
FROM (
  SELECT r.enrollment_id, r.term_id, s.idx,
         sum(r.score_4 * r.credits) AS p4, sum(r.score_10 * r.credits) AS p10,
         sum(r.credits) AS c, sum(r.credits) FILTER (WHERE r.passed) AS earned,
         coalesce(sum(r.credits) FILTER (WHERE NOT r.passed), 0) AS fc,
         count(*) FILTER (WHERE NOT r.passed) AS fm
  FROM training_moduleresult r
  JOIN unnest(%s::bigint[]) WITH ORDINALITY AS s(term_id, idx) ON s.term_id = r.term_id
  WHERE NOT r.enrollment_id = ANY(%s)
  GROUP BY r.enrollment_id, r.term_id, s.idx
) t
WINDOW w AS (PARTITION BY t.enrollment_id ORDER BY t.idx)
"""


def _grade_cohort(classes, semester, registrar) -> set[int]:
    """The last semester of a few classes graded as the office does: scores entered and
    locked, gradebooks approved, rounds and results computed by the real services."""
    from django.utils import timezone

    from grading import regulation
    from grading.config import grading_rules
    from grading.demo import _exam, _score
    from grading.models import Gradebook, GradebookLog, GradebookStatus, Score
    from grading.services.results import results_recompute, rounds_refresh
    from grading.sheet import check_counts
    from training.models import AssessmentKind, Section, SectionLearner

    rng = random.Random(9)
    rules = grading_rules()
    sections = list(Section.objects.filter(semester=semester, classes__in=classes).distinct()
                    .select_related("module").prefetch_related("module__assessment_plan"))
    books = {b.section_id: b for b in Gradebook.objects.bulk_create(
        [Gradebook(section=s) for s in sections])}
    now = timezone.now()
    rows = []
    for section in sections:
        book = books[section.pk]
        continuous, periodic = check_counts(section.module, section.module.assessment_plan.all())
        for sl in SectionLearner.objects.filter(section=section, removed_at__isnull=True):
            ability = rng.gauss(6.9, 1.0)
            checks = {AssessmentKind.CONTINUOUS: [], AssessmentKind.PERIODIC: []}
            for kind, count in ((AssessmentKind.CONTINUOUS, continuous),
                                (AssessmentKind.PERIODIC, periodic)):
                for number in range(1, count + 1):
                    value = _score(max(5.0, rng.gauss(ability + 0.4, 0.8)))
                    checks[kind].append(value)
                    rows.append(Score(gradebook=book, section_learner=sl, kind=kind,
                                      number=number, score=value, locked=True, version=1,
                                      updated_at=now))
            regulation.checks_average(checks[AssessmentKind.CONTINUOUS],
                                   checks[AssessmentKind.PERIODIC], rules=rules)
            exam, mark = _exam(rng, ability)
            if exam is None:
                exam, mark = _score(ability), ""
            rows.append(Score(gradebook=book, section_learner=sl, kind=AssessmentKind.EXAM,
                              number=1, score=max(exam, Decimal("5.0")), mark=mark, locked=True,
                              version=1, updated_at=now))
    Score.objects.bulk_create(rows, batch_size=2000)
    Gradebook.objects.filter(pk__in=[b.pk for b in books.values()]).update(
        status=GradebookStatus.APPROVED, complete=True, version=2, status_changed_at=now,
        status_changed_by=registrar)
    GradebookLog.objects.bulk_create([
        GradebookLog(gradebook=book, action=GradebookLog.APPROVED, sitting=1, by=registrar,
                     note="benchmark") for book in books.values()])
    touched: set[int] = set()
    for book in Gradebook.objects.filter(pk__in=[b.pk for b in books.values()]):
        touched |= rounds_refresh(gradebook=book)
    results_recompute(enrollment_ids=touched, by=registrar)
    return touched


def _registrar():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create(username="bench-office", full_name="Phòng Đào tạo",
                                           is_superuser=True, is_staff=True)


def build_college() -> dict:
    """The college; returns what the day's changes need."""
    import pgtrigger
    from django.db import connection

    from enrollment.models import Enrollment
    from grading.models import ModuleResult, TermSummary
    from training import services
    from training.models import HomeroomClass
    from vetschool.demo import seed_demo_occupations, seed_institution
    from vetschool.reference.models import Occupation

    seed_institution()
    seed_demo_occupations()
    registrar = _registrar()
    semesters = _calendar()
    occupations = list(Occupation.objects.order_by("code")[:PROGRAMS])
    with _Timer(f"{len(occupations)} programs, {SEMESTERS * MODULES_PER_SEMESTER} modules "
                "each (services)"):
        programs = _programs(occupations)
    with _Timer(f"{LEARNERS:,} learners + enrolments (bulk_create)", 2 * LEARNERS):
        _learners(occupations, 0, LEARNERS)
    with _Timer(f"{STAFF:,} staff (bulk_create)", STAFF):
        _staff(STAFF)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    with _Timer("homeroom classes (classes_open service)", LEARNERS):
        classes = [c for program in programs for c in services.classes_open(
            program=program, admission_year=ADMISSION_YEAR, class_size=35,
            on=date(ADMISSION_YEAR, 9, 5))]
    last = semesters[-1]
    with _Timer(f"sections of {last} (semester_sections_generate)", LEARNERS):
        services.semester_sections_generate(semester=last)
    graded_classes = (HomeroomClass.objects.filter(pk__in=[c.pk for c in classes])
                      .order_by("code")[:GRADED_CLASSES])
    with _Timer(f"{GRADED_CLASSES} classes graded through gradebooks + results_recompute"):
        graded = _grade_cohort(list(graded_classes), last, registrar)
    terms = [s.pk for s in semesters]
    skip = sorted(graded)
    # The history rows of the first load are skipped (pgtrigger.ignore: pghistory's row
    # triggers cost ~0.2 ms a row); the sync's outbox triggers stay on.
    def history():
        return pgtrigger.ignore("grading.ModuleResult:insert_insert",
                                "grading.TermSummary:insert_insert")

    with _Timer("module results (INSERT ... SELECT, outbox triggers on)") as timer, \
            history(), connection.cursor() as cursor:
        cursor.execute(_RESULTS_SQL, [terms, SEMESTERS, skip])
        timer.rows = cursor.rowcount
    with _Timer("term summaries (INSERT ... SELECT, outbox triggers on)") as timer, \
            history(), connection.cursor() as cursor:
        cursor.execute(_TERMS_SQL, [terms, skip])
        timer.rows = cursor.rowcount
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"  college: {Enrollment.objects.count():,} enrolments, "
          f"{ModuleResult.objects.count():,} module results, "
          f"{TermSummary.objects.count():,} term summaries, {len(classes)} classes, "
          f"{len(graded)} enrolments graded through gradebooks", flush=True)
    return {"registrar": registrar, "graded": graded, "occupations": occupations,
            "semesters": semesters}


# --- child: measurements -----------------------------------------------------------------------
def _row(label: str, records: int, seconds: float | None) -> None:
    if seconds is None:
        print(f"  {label:<40} {records:>9,} records", flush=True)
        return
    rate = records / seconds if seconds else 0
    print(f"  {label:<40} {records:>9,} records {seconds:>8.1f} s {rate:>9,.0f} rec/s",
          flush=True)


def _type_table(run, total_seconds: float) -> None:
    """Per type: records sent by this run and the span from its first batch formed to its
    last batch answered (the types overlap a little: senders work while the resolver runs)."""
    from django.db.models import Count, Max, Min, Sum

    from vetschool.sync import registry
    from vetschool.sync.models import Batch, Entry

    spans = {row["rank"]: row for row in Batch.objects.filter(run=run).values("rank").annotate(
        n=Count("id"), records=Sum("size"), first=Min("created_at"), last=Max("answered_at"))}
    ops = {(row["type"], row["op"]): row["n"] for row in Entry.objects.filter(
        batch__run=run).values("type", "op").annotate(n=Count("id"))}
    total = 0
    for record_type in registry.record_types():
        span = spans.get(record_type.rank)
        if span is None:
            has_rows = record_type.get_queryset().exists()
            _row(f"{record_type.name}: nothing sent" + ("" if has_rows else " (type has no rows)"),
                 0, None)
            continue
        seconds = (span["last"] - span["first"]).total_seconds()
        deletes = ops.get((record_type.name, "delete"), 0)
        label = record_type.name + (f" ({deletes:,} deletes)" if deletes else "")
        _row(label, span["records"], seconds)
        total += span["records"]
    _row("total", total, total_seconds)


def _absent_types() -> None:
    from vetschool.sync import contract, registry

    for name in contract.record_types():
        if not registry.is_registered(name):
            print(f"  {name}: not registered by any app (no national.py registers it yet)",
                  flush=True)


def _profile_full() -> None:
    """Build every record of every type without sending (a rolled-back dry run), by type."""
    import cProfile
    import pstats

    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from vetschool.sync import outbox, registry

    print("profile: the full push's payload builds, without sending (rolled back)", flush=True)
    for record_type in registry.record_types():
        profiler = cProfile.Profile()
        with CaptureQueriesContext(connection) as queries, transaction.atomic():
            start = time.perf_counter()
            profiler.enable()
            tally = outbox.enqueue_full(record_type)
            profiler.disable()
            seconds = time.perf_counter() - start
            transaction.set_rollback(True)
        _row(f"{record_type.name}: build + queue ({len(queries.captured_queries):,} queries)",
             tally.total, seconds)
        if seconds > 2:
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(18)


def _rejections(run) -> None:
    from django.db.models import Count

    from vetschool.sync.models import Entry

    if run.rejected:
        reasons = (Entry.objects.filter(state=Entry.State.REJECTED)
                   .values("type", "reject_code", "reject_message")
                   .annotate(n=Count("id")).order_by("-n")[:10])
        raise AssertionError(f"{run.rejected} rejected: {list(reasons)}")


def child() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vetschool.settings")
    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from benchmarks.bench_sync import _ceiling, _start_sandbox, push_figures
    from vetschool.sync import sandbox, services
    from vetschool.sync.models import Change

    print(f"National sync of a college: {LEARNERS:,} learners, {STAFF:,} staff, "
          f"{SEMESTERS * MODULES_PER_SEMESTER} module results a learner; one day of "
          f"~{DAY_CHANGES:,} changes. {os.cpu_count()} CPU(s), PostgreSQL and the sandbox on "
          "this machine.", flush=True)
    start = time.perf_counter()
    call_command("migrate", verbosity=0)
    _say("migrate", time.perf_counter() - start)
    start = time.perf_counter()
    college = build_college()
    _say("build the college (total)", time.perf_counter() - start)
    captured = Change.objects.count()
    Change.objects.all().delete()  # a first load goes through --full
    print(f"  ({captured:,} changes captured by the triggers while building; dropped: a first "
          "load is `sync_national --full`)", flush=True)
    if PROFILE:
        _profile_full()

    with tempfile.TemporaryDirectory() as folder:
        process, url = _start_sandbox(folder)
        try:
            settings.NATIONAL_API_URL = url
            settings.NATIONAL_API_INSTITUTION = "BENCH1"
            settings.NATIONAL_API_SECRET = sandbox.DEFAULT_SECRET

            print(f"full push: sync_national --full ({settings.NATIONAL_SYNC_SENDERS} senders, "
                  f"batches of {settings.NATIONAL_SYNC_BATCH_SIZE})", flush=True)
            start = time.perf_counter()
            run = full_run = services.push_command(full=True)
            total = time.perf_counter() - start
            assert run.status == "succeeded", (run.status, run.error)
            _rejections(run)
            _type_table(run, total)
            _absent_types()
            start = time.perf_counter()
            reconciliation = services.reconcile()
            assert reconciliation.ok, reconciliation.types
            _say("reconcile (every type ok)", time.perf_counter() - start)

            records, ceiling = _ceiling(url, sandbox.DEFAULT_SECRET)
            _row("ceiling: same batches, bare httpx loop", records, ceiling)

            print("one day's changes", flush=True)
            written = day_changes(college)
            start = time.perf_counter()
            run = services.push_command()
            incremental = time.perf_counter() - start
            assert run.status == "succeeded", (run.status, run.error)
            _rejections(run)
            print(f"incremental push ({written:,} rows written)", flush=True)
            _type_table(run, incremental)
            reconciliation = services.reconcile()
            assert reconciliation.ok, reconciliation.types
            print("  reconcile after the day: every type ok", flush=True)
            push_figures(scenario=f"sync_college, {LEARNERS:,} learners",
                         records=full_run.accepted + full_run.stale, seconds=total,
                         ceiling_records=records, ceiling_seconds=ceiling,
                         day_records=run.accepted + run.stale, day_seconds=incremental)
        finally:
            process.terminate()
            process.wait()


def day_changes(college: dict) -> int:
    """~DAY_CHANGES records' worth of a day: score amendments through the real service, names
    and statuses by QuerySet.update, corrected personal IDs (key changes), removed module
    results (deletes) and new learners. Returns the rows written."""
    from django.db import transaction

    from enrollment.models import Enrollment, Learner
    from grading.models import Gradebook, ModuleResult, Score, TermSummary
    from grading.services.amendments import amendment_record
    from staff.models import StaffMember
    from training.models import AssessmentKind

    rng = random.Random(2222)
    share = DAY_CHANGES / 10_000
    written = 0

    # Exam score amendments of graded learners, each recomputing the learner's results.
    amend = max(1, int(60 * share))
    scores = list(Score.objects.filter(kind=AssessmentKind.EXAM, number=1,
                                       section_learner__enrollment_id__in=college["graded"])
                  .select_related("gradebook", "section_learner").order_by("pk"))
    with _Timer(f"{amend} exam score amendments (amendment_record service)"):
        for score in rng.sample(scores, min(amend, len(scores))):
            new = Decimal("9.5") if score.score != Decimal("9.5") else Decimal("6.0")
            amendment_record(gradebook=Gradebook.objects.get(pk=score.gradebook_id),
                             section_learner=score.section_learner, column="THI1", value=str(new),
                             reason="Chấm phúc khảo", by=college["registrar"])
            written += 1

    others = list(Enrollment.objects.exclude(pk__in=college["graded"])
                  .values_list("pk", "learner_id"))
    # Module results re-scored (e.g. a late exam session recorded by a bulk import).
    results = list(ModuleResult.objects.filter(
        enrollment_id__in=[e for e, _l in rng.sample(others, min(len(others),
                                                                   int(2500 * share)))])
        .values_list("pk", flat=True))[: int(5000 * share)]
    with _Timer(f"{len(results):,} module results re-scored (QuerySet.update)",
                len(results)), transaction.atomic():
        ModuleResult.objects.filter(pk__in=results, score_10__lt=9.5).update(
            score_10=9.5, letter="A", score_4=4.0, passed=True, status="passed")
        ModuleResult.objects.filter(pk__in=results, score_10__gte=9.5).update(score_10=9.6)
    written += len(results)
    terms = list(TermSummary.objects.exclude(enrollment_id__in=college["graded"])
                 .values_list("pk", flat=True).order_by("?")[: int(1500 * share)])
    with _Timer(f"{len(terms):,} term summaries re-standing (QuerySet.update)", len(terms)):
        TermSummary.objects.filter(pk__in=terms).update(standing="warning")
    written += len(terms)
    renamed = [learner for _e, learner in rng.sample(others, int(2000 * share))]
    with _Timer(f"{len(renamed):,} learners renamed (QuerySet.update)", len(renamed)):
        Learner.objects.filter(pk__in=renamed).update(full_name="Lê Thị Đổi Tên")
    written += len(renamed)
    statuses = [e for e, _l in rng.sample(others, int(500 * share))]
    with _Timer(f"{len(statuses):,} enrolments' status (QuerySet.update)", len(statuses)):
        Enrollment.objects.filter(pk__in=statuses).update(status="reserved",
                                                          status_date=date(2026, 11, 1))
    written += len(statuses)
    staff = list(StaffMember.objects.values_list("pk", flat=True).order_by("pk")
                 [: int(100 * share)])
    with _Timer(f"{len(staff):,} staff renamed (QuerySet.update)", len(staff)):
        StaffMember.objects.filter(pk__in=staff).update(full_name="Phạm Văn Cập Nhật")
    written += len(staff)
    # Key changes: a corrected personal ID re-keys the learner and everything keyed by it.
    rekeyed = [learner for _e, learner in rng.sample(others, max(1, int(20 * share)))]
    with _Timer(f"{len(rekeyed):,} personal IDs corrected (key changes)", len(rekeyed)):
        for n, pk in enumerate(rekeyed):
            Learner.objects.filter(pk=pk).update(national_id=_national_id(900_000 + n,
                                                                          prefix="079"))
    written += len(rekeyed)
    # Deletes: results entered by mistake and removed.
    removed = list(ModuleResult.objects.exclude(enrollment_id__in=college["graded"])
                   .order_by("-pk").values_list("pk", flat=True)[: int(50 * share)])
    with _Timer(f"{len(removed):,} module results deleted", len(removed)):
        ModuleResult.objects.filter(pk__in=removed).delete()
    written += len(removed)
    new = max(1, int(200 * share))
    with _Timer(f"{new} new learners with enrolments (bulk_create)", 2 * new):
        _learners(college["occupations"], LEARNERS + 10, new)
    written += 2 * new
    return written


if __name__ == "__main__":
    if "--child" in sys.argv:
        child()
    else:
        run()
