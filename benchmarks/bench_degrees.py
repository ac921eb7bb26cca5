"""Degrees at scale: a class of 1,000 learners who finished their program is reviewed,
decided and issued 1,000 diplomas (one issuing transaction each, counters locked), then the
diplomas (with their transcript annex, 20 modules) are rendered to PDF in-process; then the
decision is printed as the office prints it (the print job: the stored originals rendered
in chunks over a real Celery pool of BENCH_DEGREES_WORKERS processes, default 2, against an
empty Redis database; then joined), first with nothing stored, then again with nothing
changed, beside WeasyPrint alone divided by the number of workers.

    python -m benchmarks degrees
    BENCH_DIPLOMAS=200 python -m benchmarks degrees
"""

from __future__ import annotations

import os
import tempfile
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

from benchmarks.common import bench_database, celery_workers, wait_for_job

ROOT = Path(__file__).resolve().parents[1]
DIPLOMAS = int(os.environ.get("BENCH_DIPLOMAS", "1000"))
MODULES = 20
WORKERS = int(os.environ.get("BENCH_DEGREES_WORKERS", "2"))
SAMPLE = 20  # diplomas laid out by WeasyPrint alone for the floor
FIGURES: list[dict] = []


def _line(label: str, count: int, seconds: float) -> None:
    per = seconds / count if count else 0
    print(f"  {label:<52} {count:>6,} {seconds:>8.1f} s {per:>8.3f} s/diploma", flush=True)


def _setup():
    from django.contrib.auth import get_user_model

    from enrollment.models import Enrollment, EnrollmentStatus, Learner
    from grading.models import ModuleResult, TermSummary
    from training.models import (
        CertificateKind,
        ClassMembership,
        EnrollmentProgram,
        HomeroomClass,
        LearnerCertificate,
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
    # Graduation needs both condition certificates on record (physical education, defence).
    LearnerCertificate.objects.bulk_create([
        LearnerCertificate(enrollment=e, kind=kind, number=f"{kind[:2].upper()}-{e.pk:05d}",
                           issued_on=date(2026, 6, 15), recorded_by=registrar)
        for e in enrollments
        for kind in (CertificateKind.PHYSICAL_EDUCATION, CertificateKind.DEFENCE_SECURITY)])
    return klass, registrar


def _weasyprint_alone(ids: list[int]) -> float:
    """Median seconds of WeasyPrint alone (layout + write) on diplomas' HTML."""
    import statistics

    from degrees.documents import DIPLOMA
    from vetschool.documents import services as documents
    from vetschool.pdf import layout

    seconds = []
    for key in ids[:SAMPLE]:
        html = documents._html(documents.KINDS[DIPLOMA](str(key)), for_hash=False)
        started = time.perf_counter()
        layout(html).write_pdf()
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds)


def _print_bulk(decision, registrar, ids: list[int]) -> None:
    """The decision's print job through real workers (vetschool.documents.documents_bulk):
    every original rendered (none stored yet), then the same job again (all reused)."""
    from benchmarks.bench_documents import bulk_figures
    from degrees.documents import DIPLOMA
    from degrees.models import DiplomaPrintJob
    from vetschool.documents.models import RenderedDocument

    weasy = _weasyprint_alone(ids)
    print(f"  WeasyPrint alone, median of {min(SAMPLE, len(ids))} diplomas: {weasy:.3f} s",
          flush=True)
    with tempfile.TemporaryDirectory() as media, celery_workers(WORKERS, media=media) as send:
        if send is None:
            print("  (no Redis: the bulk print through Celery workers is skipped)", flush=True)
            FIGURES.append({"scenario": "bulk diplomas over Celery workers",
                            "figure": "skipped: no Redis"})
            return
        # Warm every pool process (imports, fonts) outside the timing, then forget it.
        for result in [send("documents.bulk_chunk", DIPLOMA, [str(key)])
                       for key in ids[:2 * WORKERS]]:
            result.get(timeout=600)
        RenderedDocument.objects.all().delete()
        for label, goal in ((f"bulk: a decision's {len(ids):,} diplomas printed, nothing "
                             f"stored, {WORKERS} workers", "≤ 1.3×"),
                            (f"bulk again, nothing changed: {len(ids):,} diplomas reused and "
                             "joined", "files reused (no render)")):
            job = DiplomaPrintJob.objects.create(decision=decision, created_by=registrar,
                                                 total=len(ids))
            send("degrees.diploma_print_job_run", job.pk)
            seconds = wait_for_job(job)
            assert RenderedDocument.objects.filter(kind=DIPLOMA).count() == len(ids)
            FIGURES.append(bulk_figures(label, len(ids), seconds, weasy, WORKERS, goal=goal))


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
        _print_bulk(decision, registrar, ids)
