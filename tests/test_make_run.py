"""`make run` tells the truth: links follow its port, the demo's mails stay out of the set-up
output, refused pages log one line, and the browser finds a favicon."""

import logging
import subprocess
import sys

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
