"""Documents are files, not waits (issue #17, part 3): the download of a pre-rendered
transcript through the Django test client (the view: access check, the content hash from
the database rows, the stored file read) beside WeasyPrint rendering the same transcript,
and the download when the content changed since (the fallback: one render in the request).

The college is bench_grading's (40 modules over 4-6 semesters, approved gradebooks, study
rounds, results_recompute), built at BENCH_DOCUMENTS_LEARNERS learners; BENCH_DOCUMENTS
transcripts are pre-rendered as a worker would (`documents_prerender`, in this process) and
then downloaded, each BENCH_DOCUMENTS_ROUNDS times.

    python -m benchmarks documents
    BENCH_DOCUMENTS=20 python -m benchmarks documents
"""

from __future__ import annotations

import logging
import os
import statistics
import time

from benchmarks.common import bench_database

LEARNERS = int(os.environ.get("BENCH_DOCUMENTS_LEARNERS", "350"))
DOCUMENTS = int(os.environ.get("BENCH_DOCUMENTS", "50"))
ROUNDS = int(os.environ.get("BENCH_DOCUMENTS_ROUNDS", "3"))


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
    from django.test import Client

    user = get_user_model().objects.create_superuser("bench-office", "o@example.edu.vn",
                                                      "x-bench-only-x")
    client = Client()
    client.force_login(user)
    return client


def _download(client, learner_id: int) -> tuple[float, bytes]:
    from django.urls import reverse

    started = time.perf_counter()
    response = client.get(reverse("grading:transcript-pdf", args=[learner_id]))
    seconds = time.perf_counter() - started
    assert response.status_code == 200, response.status_code
    return seconds, response.content


def run() -> None:
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
              f"WeasyPrint alone", flush=True)

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
