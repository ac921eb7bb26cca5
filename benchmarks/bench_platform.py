"""The platform's baseline: a request to the landing page and /healthz."""

from django.test import Client

from benchmarks.common import bench_database, timed


def run() -> None:
    with bench_database():
        client = Client()
        client.get("/healthz")  # warm up
        n = 200
        with timed(f"{n} x GET /healthz", rows=n):
            for _ in range(n):
                assert client.get("/healthz").status_code == 200
        with timed(f"{n} x GET / (public landing)", rows=n):
            for _ in range(n):
                assert client.get("/").status_code == 200
