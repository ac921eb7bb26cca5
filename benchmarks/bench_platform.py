"""The platform's baseline: a request to the landing page and /healthz.

/healthz is the floor of every page: Django's own request cycle (middleware, URL, a
response) with nothing of ours behind it, measured in the same run."""

import time

from django.test import Client

from benchmarks.common import bench_database

FIGURES: list[dict] = []


def _per_request(client, url: str, n: int) -> float:
    started = time.perf_counter()
    for _ in range(n):
        assert client.get(url).status_code == 200
    seconds = time.perf_counter() - started
    print(f"{n} x GET {url}: {seconds:.3f} s, {n / seconds:,.0f} requests/s", flush=True)
    return seconds / n


def run() -> None:
    from django.conf import settings
    from django.test import override_settings

    # Plain static storage: the benchmark measures Django, not a missing collectstatic.
    with override_settings(STORAGES={**settings.STORAGES, "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    ), bench_database():
        client = Client()
        client.get("/healthz")  # warm up
        client.get("/")
        n = 200
        floor = _per_request(client, "/healthz", n)
        landing = _per_request(client, "/", n)
        FIGURES.append({
            "scenario": "public landing page, one client (test client, in-process)",
            "figure": f"{landing * 1000:.1f} ms", "floor": f"/healthz {floor * 1000:.1f} ms",
            "ratio": f"{landing / floor:.1f}×", "goal": "—"})
