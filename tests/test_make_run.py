"""`make run` tells the truth: links follow its port, the demo's mails stay out of the set-up
output, refused pages log one line, and the browser finds a favicon."""

import logging
import os
import signal
import socket
import subprocess
import sys
import time

import pytest

from tests.test_platform import ROOT, _production_env


def _setting_in_a_process(env: dict, name: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c",
         f"from django.conf import settings; print(settings.{name})"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_public_url_follows_port_unless_it_is_set():
    """Diploma QR codes and verify links point where `make run PORT=...` serves."""
    env = _production_env()
    env["PORT"] = "8123"
    assert _setting_in_a_process(env, "PUBLIC_URL") == "http://127.0.0.1:8123"
    env["PUBLIC_URL"] = "https://qldt.example.edu.vn"
    assert _setting_in_a_process(env, "PUBLIC_URL") == "https://qldt.example.edu.vn"
    env.pop("PORT")
    env.pop("PUBLIC_URL")
    assert _setting_in_a_process(env, "PUBLIC_URL") == "http://127.0.0.1:8000"


def test_mails_go_to_files_under_var_dir_not_to_the_output(tmp_path):
    """Without EMAIL_BACKEND, `make run` and seed_demo print no raw MIME e-mail."""
    env = {**_production_env(), "VAR_DIR": str(tmp_path)}
    env.pop("EMAIL_BACKEND", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c",
         "from django.core.mail import send_mail; "
         "send_mail('Bản sao', 'Nội dung', None, ['hoc.vien@example.edu.vn'])"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    for marker in ("MIME-Version", "Content-Type:"):
        assert marker not in result.stdout + result.stderr
    [mail] = (tmp_path / "mail").iterdir()
    assert "hoc.vien@example.edu.vn" in mail.read_text(encoding="utf-8")
    env["EMAIL_BACKEND"] = "django.core.mail.backends.smtp.EmailBackend"
    assert _setting_in_a_process(env, "EMAIL_BACKEND") == env["EMAIL_BACKEND"]


def test_a_refused_or_missing_page_logs_one_line_without_a_traceback(client, learner, caplog):
    client.force_login(learner)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert client.get("/teacher/").status_code == 403
        assert client.get("/no-such-page/").status_code == 404
    records = [r for r in caplog.records if r.name == "django.request"]
    assert [r.status_code for r in records] == [403, 404]
    for record in records:
        assert record.exc_info is None
        assert "\n" not in caplog.handler.format(record)


def test_a_server_error_keeps_its_traceback():
    from vetschool.logs import ClientErrorsOnOneLine

    try:
        raise ValueError("boom")
    except ValueError:
        record = logging.LogRecord("django.request", logging.ERROR, __file__, 1,
                                   "Internal Server Error: /", None, sys.exc_info())
    record.status_code = 500
    assert ClientErrorsOnOneLine().filter(record)
    assert record.exc_info is not None


def test_pages_link_a_favicon_and_favicon_ico_answers(client):
    home = client.get("/").content.decode()
    assert 'rel="icon" href="/static/favicon.svg"' in home
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == "/static/favicon.ico"
    icon = client.get(response["Location"])
    assert icon.status_code == 200
    assert b"".join(icon.streaming_content)[:4] == b"\x00\x00\x01\x00"  # an ICO file
    assert client.get("/static/favicon.svg").status_code == 200


def _test_database_url() -> str:
    """The test database (migrated), for a child process."""
    from urllib.parse import quote

    from django.db import connection

    s = connection.settings_dict
    host = quote(s["HOST"] or "localhost", safe="")
    password = f":{quote(s['PASSWORD'], safe='')}" if s["PASSWORD"] else ""
    user = quote(s["USER"], safe="")
    return f"postgres://{user}{password}@{host}:{s['PORT'] or 5432}/{s['NAME']}"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(condition, *, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.mark.django_db
def test_make_run_starts_a_worker_and_beat_beside_the_server_and_one_ctrl_c_stops_all(
        tmp_path, monkeypatch):
    """`make run` (manage.py run_demo): a job queued by another process is run by its
    worker through the filesystem broker, beat is up, the server answers, and a Ctrl-C
    (SIGINT to the process group, as a terminal sends it) leaves no process behind."""
    import httpx
    import psutil
    from celery import Celery

    from vetschool.celery import filesystem_transport_options

    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTEST_VERSION", "CELERY_BROKER_URL", "CELERY_RESULT_BACKEND")}
    env.update(VAR_DIR=str(tmp_path), HTTPS="0", DATABASE_URL=_test_database_url(),
               STATIC_FROM_FINDERS="1")
    port = _free_port()
    log = tmp_path / "run_demo.log"
    process = subprocess.Popen(
        [sys.executable, "manage.py", "run_demo", f"127.0.0.1:{port}", "--noreload",
         "--concurrency=1"],
        cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT,
        start_new_session=True)
    children = []
    # Celery lets CELERY_BROKER_URL (CI: Redis) win over an app's own broker; and the probe
    # must not become the current app, which the project's shared tasks would then use.
    monkeypatch.delenv("CELERY_BROKER_URL", raising=False)
    monkeypatch.delenv("CELERY_RESULT_BACKEND", raising=False)
    probe = Celery("make-run-probe", broker="filesystem://localhost/",
                   backend=f"file://{tmp_path / 'celery' / 'results'}", set_as_current=False)
    probe.conf.broker_transport_options = filesystem_transport_options(tmp_path / "celery")
    try:
        children = _wait_for(lambda: len(psutil.Process(process.pid).children()) == 3
                             and psutil.Process(process.pid).children(), timeout=30,
                             what="three children")
        answer = probe.send_task("vetschool.ping", args=[7]).get(timeout=120)
        assert answer["pong"] == 7
        assert answer["worker_pid"] in {child.pid for child in children}
        _wait_for(lambda: "beat: Starting" in log.read_text(), timeout=60, what="beat")
        assert (tmp_path / "celery" / "beat-schedule").exists() or any(
            (tmp_path / "celery").glob("beat-schedule*"))

        def served():
            try:
                url = f"http://127.0.0.1:{port}/static/favicon.svg"
                return httpx.get(url, timeout=2).status_code
            except httpx.TransportError:
                return None

        assert _wait_for(served, timeout=120, what="the web server") == 200
    finally:
        probe.close()
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGINT)
        process.wait(timeout=40)
    assert process.returncode == 0, log.read_text()
    for child in children:
        assert not child.is_running() or child.status() == psutil.STATUS_ZOMBIE, child
