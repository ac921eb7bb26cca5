"""Documents are files, not waits (issue #17, part 3): the download of a pre-rendered
transcript through the Django test client (the view: access check, the content hash from
the database rows, the stored file read) beside WeasyPrint rendering the same transcript,
and the download when the content changed since (the fallback: one render in the request).

The college is bench_grading's (40 modules over 4-6 semesters, approved gradebooks, study
rounds, results_recompute), built at BENCH_DOCUMENTS_LEARNERS learners; BENCH_DOCUMENTS
transcripts are pre-rendered as a worker would (`documents_prerender`, in this process) and
then downloaded, each BENCH_DOCUMENTS_ROUNDS times.

Then the bulk run (a class's transcripts as the office asks for them: a TranscriptBatch of
BENCH_DOCUMENTS_BULK learners, default all) through real Celery workers — `celery -A
vetschool worker -c BENCH_DOCUMENTS_WORKERS` (default 2) on the bench database and an empty
Redis database — with nothing stored yet, then again with nothing changed; each beside
WeasyPrint alone divided by the number of workers (goal ≤ 1.3×). A decision's diplomas are
bench_degrees' (the same bulk path, 1,000 diplomas).

    python -m benchmarks documents
    BENCH_DOCUMENTS=20 python -m benchmarks documents
"""

from __future__ import annotations

import logging
import os
import statistics
import tempfile
import time

from benchmarks.common import bench_database, celery_workers, wait_for_job

LEARNERS = int(os.environ.get("BENCH_DOCUMENTS_LEARNERS", "350"))
DOCUMENTS = int(os.environ.get("BENCH_DOCUMENTS", "50"))
ROUNDS = int(os.environ.get("BENCH_DOCUMENTS_ROUNDS", "3"))
BULK = int(os.environ.get("BENCH_DOCUMENTS_BULK", "0")) or LEARNERS
WORKERS = int(os.environ.get("BENCH_DOCUMENTS_WORKERS", "2"))
FIGURES: list[dict] = []


def _ms(values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
    return (f"median {statistics.median(ordered) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, "
            f"max {ordered[-1] * 1000:.0f} ms")


def _college() -> None:
    """bench_grading's college at LEARNERS learners, results recomputed."""
    from benchmarks import bench_grading as college
    from enrollment.models import Enrollment
    from grading.services.results import results_recompute

    size, college.LEARNERS = college.LEARNERS, LEARNERS
    try:
        semesters = college._calendar()
        college._learners(college._programs(), semesters[0])
        college._build(semesters)
    finally:
        college.LEARNERS = size
    results_recompute(enrollment_ids=Enrollment.objects.values_list("pk", flat=True))


def _office_client():
    from django.contrib.auth import get_user_model

    from benchmarks.clients import logged_in_client

    user = get_user_model().objects.create_superuser("bench-office", "o@example.edu.vn",
                                                      "x-bench-only-x")
    return logged_in_client(user)


def _download(client, learner_id: int) -> tuple[float, bytes]:
    from django.urls import reverse

    started = time.perf_counter()
    response = client.get(reverse("grading:transcript-pdf", args=[learner_id]))
    seconds = time.perf_counter() - started
    assert response.status_code == 200, response.status_code
    return seconds, response.content


def _load() -> str:
    return f"load {os.getloadavg()[0]:.2f}"


def bulk_figures(label: str, count: int, seconds: float, weasy: float, workers: int,
                 *, goal: str = "≤ 1.3×") -> dict:
    """A bulk run's row: seconds per document beside WeasyPrint alone / workers."""
    from vetschool.pdf import font_subsetter

    per, floor = seconds / count, weasy / workers
    alone = f"WeasyPrint alone ({font_subsetter()} subsetting) {weasy:.3f} s"
    print(f"{label}: {count:,} documents in {seconds:.1f} s = {per:.3f} s per document; "
          f"{alone} / {workers} workers = {floor:.3f} s; ratio "
          f"{per / floor:.2f}× (goal {goal}); {_load()}", flush=True)
    return {"scenario": f"{label} (per document)", "figure": f"{per:.3f} s",
            "floor": f"{alone} / {workers} workers = {floor:.3f} s",
            "ratio": f"{per / floor:.2f}×", "goal": goal}


def _bulk(weasy: float) -> None:
    """A class's transcripts through real workers: all rendered, then all reused."""
    from django.conf import settings

    from enrollment.models import Enrollment
    from grading.models import TranscriptBatch
    from training.models import HomeroomClass
    from vetschool.documents.models import RenderedDocument

    enrollments = list(Enrollment.objects.order_by("pk").values_list("pk", flat=True))
    klass = HomeroomClass.objects.order_by("pk").first()

    def batch(ids):
        return TranscriptBatch.objects.create(homeroom_class=klass, enrollment_ids=ids,
                                              total=len(ids))

    with celery_workers(WORKERS, media=str(settings.MEDIA_ROOT)) as send:
        if send is None:
            print("bulk run skipped: no Redis to start Celery workers against", flush=True)
            FIGURES.append({"scenario": "bulk transcripts over Celery workers",
                            "figure": "skipped: no Redis"})
            return
        warm = batch(enrollments[:2 * WORKERS])  # imports and fonts in every process
        send("grading.transcript_batch_render", warm.pk)
        wait_for_job(warm)
        RenderedDocument.objects.all().delete()  # every transcript rendered by the run
        ids = enrollments[:BULK]
        first = batch(ids)
        send("grading.transcript_batch_render", first.pk)
        seconds = wait_for_job(first)
        assert RenderedDocument.objects.filter(kind="transcript").count() == len(ids)
        FIGURES.append(bulk_figures(f"bulk: a batch of {len(ids):,} transcripts, nothing "
                                    f"stored, {WORKERS} workers", len(ids), seconds, weasy,
                                    WORKERS))
        stored = dict(RenderedDocument.objects.values_list("key", "rendered_at"))
        again = batch(ids)
        send("grading.transcript_batch_render", again.pk)
        seconds = wait_for_job(again)
        assert dict(RenderedDocument.objects.values_list("key", "rendered_at")) == stored
        FIGURES.append(bulk_figures(f"bulk again, nothing changed: {len(ids):,} transcripts "
                                    "reused and joined", len(ids), seconds, weasy, WORKERS,
                                    goal="files reused (no render)"))


def run() -> None:
    from django.test import override_settings

    with tempfile.TemporaryDirectory() as media, override_settings(MEDIA_ROOT=media):
        _run()


def _run() -> None:
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    from django.conf import settings

    # Nothing is queued to a worker here: the renders are timed in this process.
    settings.DOCUMENTS_PRERENDER = False
    with bench_database():
        from enrollment.models import Learner
        from grading.documents import TRANSCRIPT
        from vetschool.demo import seed_demo_occupations, seed_institution
        from vetschool.documents import services as documents
        from vetschool.pdf import layout

        seed_institution()
        seed_demo_occupations()
        started = time.perf_counter()
        _college()
        print(f"set-up: {LEARNERS:,} learners × 40 modules, results recomputed: "
              f"{time.perf_counter() - started:.1f} s; {os.cpu_count()} CPUs, load "
              f"{os.getloadavg()[0]:.2f}", flush=True)
        step = max(1, LEARNERS // DOCUMENTS)
        ids = list(Learner.objects.order_by("pk").values_list("pk", flat=True))[::step]
        ids = ids[:DOCUMENTS]

        renders = []
        for learner_id in ids:  # what the worker does after a change
            started = time.perf_counter()
            documents.documents_prerender(TRANSCRIPT, [learner_id])
            renders.append(time.perf_counter() - started)
        print(f"pre-render (worker's task: read results, hash, WeasyPrint, store), "
              f"{len(ids)} transcripts: {_ms(renders)}", flush=True)

        source = documents.KINDS[TRANSCRIPT](str(ids[0]))
        html = documents._html(source, for_hash=False)
        weasy = []
        for _n in ids:
            started = time.perf_counter()
            layout(html).write_pdf()
            weasy.append(time.perf_counter() - started)
        print(f"WeasyPrint alone (layout + write of one transcript's HTML, "
              f"{len(html) / 1024:.0f} KiB) × {len(ids)}: {_ms(weasy)}", flush=True)

        hashes = []
        for learner_id in ids:
            started = time.perf_counter()
            with_source = documents.KINDS[TRANSCRIPT](str(learner_id))
            documents.content_hash(with_source)
            hashes.append(time.perf_counter() - started)
        print(f"content hash alone (transcript_of + template to HTML + SHA-256): "
              f"{_ms(hashes)}", flush=True)

        client = _office_client()
        _download(client, ids[0])  # warm the session, URL resolver and templates
        before = documents.renders
        downloads = [_download(client, learner_id)[0]
                     for _round in range(ROUNDS) for learner_id in ids]
        assert documents.renders == before, "a pre-rendered download rendered"
        p95 = sorted(downloads)[min(len(downloads) - 1, int(0.95 * len(downloads)))]
        print(f"download of a pre-rendered transcript through the test client, "
              f"{len(downloads)} requests: {_ms(downloads)} — goal p95 < 100 ms: "
              f"{'met' if p95 < 0.1 else 'NOT met'}; "
              f"{statistics.median(weasy) / statistics.median(downloads):.0f}× faster than "
              f"WeasyPrint alone; {_load()}", flush=True)
        FIGURES.append({
            "scenario": f"download of a pre-rendered transcript (p95 of {len(downloads)})",
            "figure": f"{p95 * 1000:.0f} ms",
            "floor": f"WeasyPrint alone {statistics.median(weasy) * 1000:.0f} ms (median)",
            "ratio": f"{p95 / statistics.median(weasy):.2f}×", "goal": "p95 < 100 ms"})

        # Content changed since the file was rendered (as after an amendment with no
        # worker): the download renders once in the request, never serves the old file.
        from vetschool.documents.models import RenderedDocument

        stale = ids[:max(1, len(ids) // 5)]
        RenderedDocument.objects.filter(kind=TRANSCRIPT, key__in=[str(i) for i in stale]
                                        ).update(content_hash="changed")
        before = documents.renders
        fallback = [_download(client, learner_id)[0] for learner_id in stale]
        assert documents.renders == before + len(stale)
        print(f"download after a change not yet rendered (fallback: one render in the "
              f"request), {len(stale)} requests: {_ms(fallback)}", flush=True)

        _bulk(statistics.median(weasy))
