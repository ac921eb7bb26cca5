"""`make run` tells the truth: links follow its port, the demo's mails stay out of the set-up
output, refused pages log one line, and the browser finds a favicon."""

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
