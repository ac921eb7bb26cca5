"""Quality at scale: 20,000 learners (benchmarks.bench_enrollment's population), then the
2222 dashboard page, a year's statistical report (figures + XLSX, as the worker does it),
the open-data JSON and the results of an anonymous survey of 10,000 ballots are timed.

    python -m benchmarks quality
    BENCH_LEARNERS=5000 python -m benchmarks quality
"""

from __future__ import annotations

import os
import time
from datetime import date

from benchmarks.common import bench_database

LEARNERS = int(os.environ.get("BENCH_LEARNERS", "20000"))


def run() -> None:
    import logging

    from django.conf import settings
    from django.test import override_settings

    logging.getLogger("axes").setLevel(logging.WARNING)
    # Plain static storage: the benchmark measures Django, not a missing collectstatic.
    with override_settings(
        ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"],
        STORAGES={**settings.STORAGES, "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}},
    ), bench_database():
        _benchmark()


def _timed(label: str, work) -> None:
    started = time.perf_counter()
    result = work()
    print(f"  {label:<52} {time.perf_counter() - started:>8.2f} s", flush=True)
    return result


def _benchmark() -> None:
    from django.contrib.auth.models import Group
    from django.urls import reverse

    from benchmarks.bench_enrollment import _populate
    from benchmarks.clients import logged_in_client
    from quality import reports
    from quality.models import StatisticalReport
    from vetschool.accounts import roles

    registrar = _timed(f"populate {LEARNERS:,} learners", lambda: _populate(LEARNERS))
    registrar.groups.add(Group.objects.get(name=roles.QA_OFFICER))
    client = logged_in_client(registrar)
    url = reverse("quality:dashboard")
    assert client.get(url).status_code == 200  # warm-up
    _timed("dashboard page", lambda: client.get(url, {"as_of": "2025-12-31"}))
    start, end = date(2025, 1, 1), date(2025, 12, 31)
    figures = _timed("statistical report 2025: figures", lambda: reports.compute(start, end))
    report = StatisticalReport(period_start=start, period_end=end, figures=figures)
    _timed("statistical report 2025: XLSX", lambda: reports.report_xlsx(report))
    print(f"    totals (enrolled, studying, graduated, dropped out): "
          f"{figures['learners']['total']}", flush=True)
    data = _timed("open data JSON", lambda: client.get(reverse("quality:open-data-json")))
    print(f"    open-data rows: {len(data.json()['data'])}", flush=True)
    _survey_results(client)


BALLOTS = int(os.environ.get("BENCH_BALLOTS", "10000"))


def _survey_results(client) -> None:
    """An anonymous survey of four questions answered by BALLOTS people: its results, whole
    and by occupation, and its results page."""
    import random

    from django.urls import reverse

    from quality import surveys
    from quality.models import Ballot, Question, Survey

    survey = Survey.objects.create(title="Khảo sát benchmark", audience="graduates",
                                   anonymous=True, closes_on=date(2026, 6, 30),
                                   state="closed", closed_on=date(2026, 6, 30))
    questions = [
        Question.objects.create(survey=survey, position=1, kind="scale", text="Hài lòng"),
        Question.objects.create(survey=survey, position=2, kind="single", text="Tài liệu",
                                options="Đủ\nThiếu"),
        Question.objects.create(survey=survey, position=3, kind="multiple", text="Hình thức",
                                options="Trực tiếp\nTrực tuyến\nKết hợp", required=False),
        Question.objects.create(survey=survey, position=4, kind="text", text="Góp ý",
                                required=False)]
    rng = random.Random(11)
    codes = ["6480201", "6340301", "5520123", "6510303"]
    Ballot.objects.bulk_create(
        Ballot(survey=survey, occupation_code=rng.choice(codes), answers={
            str(questions[0].pk): rng.randint(1, 5),
            str(questions[1].pk): rng.choice(["Đủ", "Thiếu"]),
            str(questions[2].pk): rng.sample(["Trực tiếp", "Trực tuyến", "Kết hợp"], 2),
            str(questions[3].pk): "Tốt" if rng.random() < 0.1 else ""})
        for _ in range(BALLOTS))
    _timed(f"survey results, {BALLOTS:,} ballots, whole", lambda: surveys.results(survey))
    _timed(f"survey results, {BALLOTS:,} ballots, by occupation",
           lambda: surveys.results(survey, by="occupation"))
    page = reverse("quality:survey-results", args=[survey.pk])
    _timed(f"survey results page, {BALLOTS:,} ballots", lambda: client.get(page))


if __name__ == "__main__":
    run()
