"""Security headers on every answer, a Content-Security-Policy without inline scripts that
the rendered pages keep to, and secure cookies and HSTS with production settings
(`check --deploy` clean: tests/test_platform.py and .ci/run)."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[1]


def _policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {name: values for name, *values in (part.split() for part in header.split(";"))}


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/accounts/login/", "/static/css/vetschool.css",
                                 "/api/v1/", "/no-such-page/"])
def test_every_answer_carries_the_security_headers(client, url):
    response = client.get(url)
    policy = _policy(response)
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]
    assert "microphone=()" in response["Permissions-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    if not url.startswith("/static/"):
        assert response["X-Frame-Options"] == "DENY"


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>",
                           re.I)
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
STYLE_ATTRIBUTE = re.compile(r"<[^>]+\sstyle\s*=", re.I)
STYLE_ELEMENT = re.compile(r"<style\b", re.I)


def _inline_code(html: str) -> list[str]:
    return [m.group(0)[:120] for pattern in (INLINE_SCRIPT, EVENT_HANDLER)
            for m in pattern.finditer(html)]


def _templates():
    for path in sorted(ROOT.glob("**/templates/**/*.html")):
        parts = path.relative_to(ROOT).parts
        # PDF templates are rendered by WeasyPrint, never served to a browser.
        if ".venv" in parts or "var" in parts or "pdf" in parts:
            continue
        yield path


def test_no_template_has_inline_script_handler_or_style():
    offenders = {}
    for path in _templates():
        html = path.read_text(encoding="utf-8")
        found = _inline_code(html) + [m.group(0)[:120] for pattern in
                                      (STYLE_ATTRIBUTE, STYLE_ELEMENT)
                                      for m in pattern.finditer(html)]
        if found:
            offenders[str(path.relative_to(ROOT))] = found
    assert offenders == {}


@pytest.mark.django_db
def test_rendered_pages_and_the_admin_run_no_inline_script(client, superuser, learner):
    pages = ["/", "/accounts/login/", "/accounts/password/reset/", "/admissions/",
             "/admissions/lookup/", "/verify/"]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert _inline_code(response.content.decode()) == [], url
    client.force_login(learner)
    response = client.get("/student/")
    assert _inline_code(response.content.decode()) == []
    client.force_login(superuser)
    admin_pages = ["/admin/", "/admin/accounts/user/", "/admin/accounts/user/add/",
                   f"/admin/accounts/user/{learner.pk}/change/",
                   reverse("admin:password_change"), "/api/docs/", "/api/v1/"]
    for url in admin_pages:
        response = client.get(url, HTTP_ACCEPT="text/html")
        assert response.status_code == 200, url
        assert _inline_code(response.content.decode()) == [], url


@pytest.mark.django_db
def test_swagger_ui_start_up_script_is_a_file(client, registrar):
    client.force_login(registrar)
    html = client.get("/api/docs/").content.decode()
    init = re.search(r'<script src="(/api/docs/\?script=[^"]*)"', html)
    assert init, html
    script = client.get(init.group(1).replace("&amp;", "&"))
    assert script.status_code == 200
    assert "SwaggerUIBundle" in script.content.decode()


def _production_env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTEST_VERSION", "DEBUG")}
    env.update(HTTPS="1", DEBUG="0", ALLOWED_HOSTS="qldt.example.edu.vn",
               SECRET_KEY="p" + "r0duct1on-like-secret-key-" * 3, **extra)
    return env


def test_production_settings_make_cookies_secure_and_send_hsts():
    code = ("from django.conf import settings as s; print(s.SESSION_COOKIE_SECURE, "
            "s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, "
            "s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SESSION_COOKIE_HTTPONLY)")
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT, env=_production_env(), capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split() == ["True", "True", "True", "31536000", "True",
                                                      "True"]


@pytest.mark.django_db
def test_https_answers_carry_hsts(client, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    response = client.get("/accounts/login/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
