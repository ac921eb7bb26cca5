"""`make run`: the web server, a Celery worker and Celery beat, stopped together by one Ctrl-C.

Long jobs (sync now, diploma printing, transcript batches, imports) run in the worker as in
production, never inside a request. Without CELERY_BROKER_URL the three processes share
kombu's `filesystem://` broker (messages are files under var/celery/, results too), so
nothing needs installing; with CELERY_BROKER_URL set (Redis) they use that instead. Each
process reaches the same database: DATABASE_URL, or the embedded server of this checkout,
which stays up while any of them runs.

A small supervisor rather than honcho or a Procfile: three commands, no new dependency,
and it knows how each child stops (Ctrl-C reaches the whole process group; whatever is
still running after a grace period is stopped by signal, a worker last with SIGKILL).
"""

import contextlib
import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand

DEFAULT_BROKER = "filesystem://localhost/"
GRACE_SECONDS = 10


def demo_environment(base: dict[str, str]) -> dict[str, str]:
    """The children's environment: a broker unless one is set, so nothing runs eagerly."""
    env = dict(base)
    env.setdefault("CELERY_BROKER_URL", DEFAULT_BROKER)
    if not env["CELERY_BROKER_URL"]:
        env["CELERY_BROKER_URL"] = DEFAULT_BROKER
    env.setdefault("PYTHONUNBUFFERED", "1")
    return env


class Command(BaseCommand):
    help = ("Run the development server with a Celery worker and beat beside it (make run); "
            "Ctrl-C stops all three.")

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?",
                            default=f"127.0.0.1:{os.environ.get('PORT', '8000')}")
        parser.add_argument("--noreload", action="store_true",
                            help="Do not restart the web server when code changes.")
        parser.add_argument("--concurrency", type=int, default=2,
                            help="Worker threads (default 2).")

    def commands(self, options) -> list[tuple[str, list[str]]]:
        python = sys.executable
        celery = [python, "-m", "celery", "-A", "vetschool"]
        beat_schedule = settings.CELERY_FILESYSTEM_DIR / "beat-schedule"
        beat_schedule.parent.mkdir(parents=True, exist_ok=True)
        web = [python, "manage.py", "runserver", options["addrport"]]
        if options["noreload"]:
            web.append("--noreload")
        return [
            # Threads, not forked children: a fork would share the embedded database's
            # handle bookkeeping; two threads let a long push and a PDF job run side by side.
            ("worker", celery + ["worker", "--pool=threads",
                                 f"--concurrency={options['concurrency']}",
                                 "--without-gossip", "--without-mingle", "--without-heartbeat",
                                 "--loglevel=INFO"]),
            ("beat", celery + ["beat", f"--schedule={beat_schedule}", "--loglevel=INFO"]),
            ("web", web),
        ]

    def handle(self, *args, **options):
        env = demo_environment(os.environ)
        broker = env["CELERY_BROKER_URL"]
        self.stdout.write(f"Background jobs: a Celery worker and beat on {broker}")
        stopping = {"signal": None}

        def request_stop(signum, frame):
            stopping["signal"] = signum

        signal.signal(signal.SIGINT, request_stop)
        signal.signal(signal.SIGTERM, request_stop)

        children: dict[str, subprocess.Popen] = {}
        try:
            for name, command in self.commands(options):
                children[name] = subprocess.Popen(command, cwd=settings.BASE_DIR, env=env)
            while stopping["signal"] is None:
                ended = [name for name, child in children.items() if child.poll() is not None]
                if ended:
                    self.stderr.write(f"run_demo: {', '.join(ended)} stopped; stopping the rest.")
                    break
                time.sleep(0.3)
        finally:
            self._stop(children, from_terminal=stopping["signal"] == signal.SIGINT)

    def _stop(self, children: dict[str, subprocess.Popen], *, from_terminal: bool) -> None:
        """Ctrl-C in a terminal reaches every child itself; otherwise pass the stop on.
        Whatever still runs after the grace period is terminated, then killed."""
        alive = [child for child in children.values() if child.poll() is None]
        if from_terminal:
            _wait(alive, 2)
            alive = [child for child in alive if child.poll() is None]
        for child in alive:
            child.send_signal(signal.SIGINT)
        _wait(alive, GRACE_SECONDS)
        for child in alive:
            if child.poll() is None:
                child.terminate()
        _wait(alive, 5)
        for child in alive:
            if child.poll() is None:
                child.kill()
                child.wait()


def _wait(children: list[subprocess.Popen], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    for child in children:
        with contextlib.suppress(subprocess.TimeoutExpired):
            child.wait(max(0.0, deadline - time.monotonic()))
