"""Training at scale: classes for 20,000 learners, then the semester's sections from the
programs' plans in one action (set-based), then the same action again (nothing to add).

    python -m benchmarks training
"""

from __future__ import annotations

from datetime import date

from benchmarks.common import bench_database, query_count, timed

LEARNERS = 20_000
OCCUPATIONS = 10
MODULES_PER_SEMESTER = 5


def _programs(occupations):
    from training import services
    from training.models import AssessmentKind, ModuleKind
    from training.services.programs import PlanLine

    programs = []
    for occupation in occupations:
        program = services.program_create(occupation=occupation, effective_year=2024,
                                          short_code=f"N{occupation.code[-4:]}")
        services.outcome_save(program=program, code="S1", domain="skills",
                              text_vi="Sử dụng công cụ số trong nghề.",
                              is_digital_capability=True)
        semesters = program.duration_months // 6
        for semester in range(1, semesters + 1):
            for n in range(MODULES_PER_SEMESTER):
                services.module_save(
                    program=program, code=f"MĐ{semester}{n:02d}",
                    name_vi=f"Mô-đun {semester}.{n + 1}", kind=ModuleKind.SPECIALIZED,
                    credits=3, theory_hours=30, practice_hours=27, exam_hours=3,
                    planned_semester=semester,
                    assessment_plan=[PlanLine(AssessmentKind.CONTINUOUS, 1),
                                     PlanLine(AssessmentKind.PERIODIC, 1),
                                     PlanLine(AssessmentKind.EXAM, 1, "written")])
        programs.append(services.program_activate(program=program))
    return programs


def _learners(occupations):
    from enrollment.models import Enrollment, EnrollmentStatus, Learner
    from vetschool.reference.models import EthnicGroup, ProvincialUnit

    kinh = EthnicGroup.objects.get(code="01")
    hanoi = ProvincialUnit.objects.get(code="01")
    learners = Learner.objects.bulk_create([
        Learner(code=f"B{i:07d}", full_name=f"Nguyễn Văn Học {i}",
                date_of_birth=date(2006, 1, 1), gender="male", national_id=f"001206{i:06d}",
                ethnic_group=kinh, province=hanoi, nationality="VN")
        for i in range(LEARNERS)
    ], batch_size=5000)
    Enrollment.objects.bulk_create([
        Enrollment(learner=learner, occupation=occupations[i % len(occupations)],
                   level=occupations[i % len(occupations)].level,
                   admission_year=2025 if (i // len(occupations)) % 2 else 2026,
                   start_date=date(2025, 9, 5), status=EnrollmentStatus.STUDYING,
                   status_date=date(2025, 9, 5))
        for i, learner in enumerate(learners)
    ], batch_size=5000)


def run() -> None:
    with bench_database():
        from django.db import connection

        from training import services
        from training.models import HomeroomClass, Section, SectionLearner, Semester
        from vetschool.demo import seed_demo_occupations, seed_institution
        from vetschool.reference.models import Occupation

        seed_institution()
        seed_demo_occupations()
        for start in (2025, 2026):
            year = services.school_year_create(start_year=start, starts_on=date(start, 9, 1),
                                               ends_on=date(start + 1, 8, 31))
            services.semester_save(school_year=year, number=1, starts_on=date(start, 9, 1),
                                   ends_on=date(start + 1, 1, 18))
            services.semester_save(school_year=year, number=2,
                                   starts_on=date(start + 1, 1, 19),
                                   ends_on=date(start + 1, 6, 30))
        occupations = list(Occupation.objects.order_by("code")[:OCCUPATIONS])
        with timed(f"{len(occupations)} programs of {MODULES_PER_SEMESTER} modules a "
                   "semester (services, one by one)"):
            programs = _programs(occupations)
        with timed(f"{LEARNERS:,} learners and enrolments (bulk set-up)", rows=LEARNERS):
            _learners(occupations)
        # A live database has planner statistics; freshly bulk-loaded tables do not yet.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

        def open_all():
            return [c for program in programs for year in (2025, 2026)
                    for c in services.classes_open(program=program, admission_year=year,
                                                   class_size=35, on=date(year, 9, 5))]

        with timed(f"open classes for {LEARNERS:,} learners", rows=LEARNERS):
            classes, queries = query_count(open_all)
        print(f"  {len(classes)} classes, {queries} queries "
              f"({queries // (len(programs) * 2)} per program and year)")

        semester = Semester.objects.get(school_year__start_year=2026, number=1)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        with timed("generate the semester's sections (one action)", rows=LEARNERS):
            result, queries = query_count(
                lambda: services.semester_sections_generate(semester=semester))
        print(f"  {result.sections:,} sections for {result.classes} classes, "
              f"{result.learners:,} learner entries, {queries} queries")
        with timed("generate again (nothing missing)"):
            again, queries = query_count(
                lambda: services.semester_sections_generate(semester=semester))
        print(f"  {again.sections} new sections, {again.already_served:,} already served, "
              f"{queries} queries")
        assert Section.objects.filter(semester=semester).count() == result.sections
        assert SectionLearner.objects.filter(semester=semester).count() == result.learners
        assert HomeroomClass.objects.count() == len(classes)
