"""Degrees at scale: a class of 1,000 learners who finished their program is reviewed,
decided and issued 1,000 diplomas (one issuing transaction each, counters locked), then the
diplomas (with their transcript annex, 20 modules) are rendered to PDF — in-process, and
through a Celery pool of 2 worker processes when a broker is configured.

    python -m benchmarks degrees
    BENCH_DIPLOMAS=200 python -m benchmarks degrees
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import date
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote

from benchmarks.common import bench_database

ROOT = Path(__file__).resolve().parents[1]
DIPLOMAS = int(os.environ.get("BENCH_DIPLOMAS", "1000"))
MODULES = 20
CHUNK = 25
WORKERS = 2
FIGURES: list[dict] = []


def _line(label: str, count: int, seconds: float) -> None:
    per = seconds / count if count else 0
    print(f"  {label:<52} {count:>6,} {seconds:>8.1f} s {per:>8.3f} s/diploma", flush=True)


def _setup():
    from django.contrib.auth import get_user_model

    from enrollment.models import Enrollment, EnrollmentStatus, Learner
    from grading.models import ModuleResult, TermSummary
    from training.models import (
        ClassMembership,
        EnrollmentProgram,
        HomeroomClass,
        Module,
        ModuleKind,
        Program,
        ProgramStatus,
        SchoolYear,
        Semester,
    )
    from vetschool.reference.models import (
        EthnicGroup,
        Institution,
        Level,
        Occupation,
        ProvincialUnit,
    )

    hanoi = ProvincialUnit.objects.get(code="01")
    Institution.objects.update_or_create(pk=1, defaults={
        "name_vi": "Trường Cao đẳng Kỹ thuật Công nghệ Sông Hồng",
        "name_en": "Song Hong College of Technology", "ministry_code": "CDSH01",
        "level": Level.COLLEGE, "province": hanoi})
    occupation = Occupation.objects.create(code="6480201", name_vi="Công nghệ thông tin",
                                           name_en="Information technology",
                                           level=Level.COLLEGE)
    program = Program.objects.create(
        occupation=occupation, effective_year=2024, revision=1, name_vi="Công nghệ thông tin",
        short_code="CNTT", duration_months=24, total_credits=MODULES * 3,
        status=ProgramStatus.ACTIVE)
    modules = Module.objects.bulk_create([
        Module(program=program, code=f"MĐ{n:02d}", name_vi=f"Mô-đun chuyên môn số {n}",
               kind=ModuleKind.SPECIALIZED, credits=3, theory_hours=30, practice_hours=27,
               exam_hours=3, planned_semester=1 + n % 4, counts_in_gpa=True, order=n)
        for n in range(MODULES)])
    year = SchoolYear.objects.create(start_year=2025, starts_on=date(2025, 9, 1),
                                     ends_on=date(2026, 8, 31))
    semester = Semester.objects.create(school_year=year, number=2,
                                       starts_on=date(2026, 1, 19), ends_on=date(2026, 6, 30))
    klass = HomeroomClass.objects.create(code="CD24CNTT-BENCH", program=program,
                                         admission_year=2024)
    kinh = EthnicGroup.objects.get(code="01")
    learners = Learner.objects.bulk_create([
        Learner(code=f"B{i:07d}", full_name=f"Nguyễn Văn Học {i}",
                date_of_birth=date(2006, 1, 1), gender="male", national_id=f"001206{i:06d}",
                ethnic_group=kinh, province=hanoi, nationality="VN")
        for i in range(DIPLOMAS)])
    start = date(2024, 9, 5)
    enrollments = Enrollment.objects.bulk_create([
        Enrollment(learner=learner, occupation=occupation, level=Level.COLLEGE,
                   admission_year=2024, start_date=start, expected_end_date=date(2026, 7, 1),
                   status=EnrollmentStatus.STUDYING, status_date=start)
        for learner in learners])
    EnrollmentProgram.objects.bulk_create([
        EnrollmentProgram(enrollment=e, program=program, since=start) for e in enrollments])
    ClassMembership.objects.bulk_create([
        ClassMembership(homeroom_class=klass, enrollment=e, from_date=start,
                        reason="placement") for e in enrollments])
    ModuleResult.objects.bulk_create([
        ModuleResult(enrollment=e, module=m, score_10=Decimal("8.0"), letter="B",
                     score_4=Decimal("3.0"), passed=True, attempts=1, status="passed",
                     credits=3, counts_in_gpa=True, term=semester, last_term=semester)
        for e in enrollments for m in modules], batch_size=5000)
    TermSummary.objects.bulk_create([
        TermSummary(enrollment=e, semester=semester, semester_index=4, gpa_4=Decimal("3.00"),
                    cumulative_gpa_4=Decimal("3.00"), cumulative_credits_earned=MODULES * 3,
                    standing="normal") for e in enrollments])
    registrar = get_user_model().objects.create_user("bench-registrar")
    return klass, registrar


def _worker_env(media: str) -> dict:
    from django.db import connection

    s = connection.settings_dict
    url = (f"postgres://{s['USER']}@{quote(s['HOST'] or '127.0.0.1', safe='')}:"
           f"{s['PORT'] or 5432}/{s['NAME']}")
    env = {**os.environ, "DATABASE_URL": url, "MEDIA_ROOT": media, "PYTHONUNBUFFERED": "1"}
    env.pop("PYTEST_VERSION", None)
    return env


def _celery(ids: list[int]) -> float | None:
    """Seconds per diploma through a pool of WORKERS processes, or None without a broker."""
    from django.conf import settings

    from degrees.tasks import diplomas_render
    from vetschool.celery import app

    if not settings.CELERY_BROKER_URL:
        print("  (no CELERY_BROKER_URL: the Celery pool figure is skipped)", flush=True)
        return None
    app.conf.task_always_eager = False
    queue = f"bench-degrees-{uuid.uuid4().hex[:8]}"
    with tempfile.TemporaryDirectory() as media:
        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "vetschool", "worker", "--pool=prefork",
             f"--concurrency={WORKERS}", "-Q", queue, "--without-gossip", "--without-mingle",
             "--loglevel=WARNING"], cwd=ROOT, env=_worker_env(media))
        try:
            # Warm the pool (imports, fonts) outside the timing.
            diplomas_render.apply_async(args=[ids[:2]], queue=queue).get(timeout=300)
            diplomas_render.apply_async(args=[ids[2:4]], queue=queue).get(timeout=300)
            started = time.perf_counter()
            results = [diplomas_render.apply_async(args=[ids[i:i + CHUNK]], queue=queue)
                       for i in range(0, len(ids), CHUNK)]
            rendered = sum(r.get(timeout=3600) for r in results)
            seconds = time.perf_counter() - started
            _line(f"render PDFs — Celery pool of {WORKERS} workers", rendered, seconds)
            return seconds / rendered
        finally:
            worker.terminate()
            worker.wait(timeout=60)


def run() -> None:
    from django.conf import settings

    from degrees.models import Diploma
    from degrees.services.decisions import decision_record
    from degrees.services.printing import diplomas_render
    from degrees.services.register import decision_issue_all
    from degrees.services.review import review_run

    # Issuing would queue the stored documents' renders (bench_documents measures those):
    # here they would compete with the timed printing for the same workers.
    settings.DOCUMENTS_PRERENDER = False
    with bench_database():
        klass, registrar = _setup()
        started = time.perf_counter()
        review = review_run(homeroom_class=klass, by=registrar, review_date=date(2026, 7, 1))
        _line("graduation review of the class", review.lines.count(),
              time.perf_counter() - started)
        started = time.perf_counter()
        decision = decision_record(review=review, number="245/QĐ-CĐSH",
                                   date_=date(2026, 7, 10), signer_name="TS. Vũ Quang Minh",
                                   signer_title="Hiệu trưởng", by=registrar)
        _line("graduation decision (enrolments graduated)", decision.lines.count(),
              time.perf_counter() - started)
        started = time.perf_counter()
        issued = decision_issue_all(decision=decision, by=registrar,
                                    issue_date=date(2026, 7, 20))
        issue_seconds = time.perf_counter() - started
        _line("issue diplomas (one transaction each)", len(issued), issue_seconds)
        ids = list(Diploma.objects.order_by("serial_sequence").values_list("pk", flat=True))
        with tempfile.TemporaryDirectory() as media:
            settings.MEDIA_ROOT = media
            diplomas_render(ids[:2])  # warm up (fonts)
            started = time.perf_counter()
            rendered = diplomas_render(ids)
            render_seconds = time.perf_counter() - started
        _line("render PDFs — in-process, one process", rendered, render_seconds)
        _line("issue + render in-process", rendered, issue_seconds + render_seconds)
        pooled = _celery(ids)
        if pooled is not None:
            floor = render_seconds / rendered / WORKERS
            FIGURES.append({
                "scenario": f"{rendered:,} diploma PDFs one file each, Celery pool of "
                            f"{WORKERS} (per diploma)",
                "figure": f"{pooled:.3f} s", "floor": f"in-process {render_seconds / rendered:.3f}"
                f" s / {WORKERS} workers = {floor:.3f} s",
                "ratio": f"{pooled / floor:.2f}×", "goal": "≤ 1.3×"})
