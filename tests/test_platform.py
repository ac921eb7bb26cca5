"""The platform's promises: deploy checks, committed migrations, health, API shape."""

import os
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[1]


def _production_env() -> dict:
    # Drop what pytest and the browser tests set for themselves.
    # Exactly the four production variables of the README, nothing else of ours.
    dropped = ("PYTEST_VERSION", "HTTPS", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE",
               "DEGREES_SIGNING_KEY", "DEGREES_SIGNING_KEY_FILE", "CELERY_BROKER_URL",
               "NATIONAL_API_URL", "NATIONAL_API_SECRET", "PUBLIC_URL")
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update(
        DEBUG="0",
        SECRET_KEY="x7Rk2-Qm9vLp4Ws8Zt1Yh6Nc3Bf5Jd0Ge7Ua2Io9Px4Kl8Mn-w3Ee5Rr7Tt9Yy",
        ALLOWED_HOSTS="vetschool.example.edu.vn",
        DATABASE_URL="postgres://vetschool@db.example.invalid:5432/vetschool",
    )
    return env


def test_check_deploy_is_clean_under_production_variables():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=_production_env(), capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNINGS" not in result.stderr


@pytest.mark.django_db
def test_every_model_change_has_a_committed_migration():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


@pytest.mark.django_db
def test_healthz_reports_database_and_broker(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body == {"status": "ok", "database": "ok",
                    "broker": "ok" if os.environ.get("CELERY_BROKER_URL") else "eager",
                    "backup": "missing"}   # a warning only: tests/test_backups.py


def _closed_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def broker_at(settings, monkeypatch):
    """Point the Celery app (and settings) at a broker URL for one test. Celery reads
    CELERY_BROKER_URL from the environment before its own configuration."""
    from vetschool.celery import app

    previous = app.conf.broker_url

    def point(url: str) -> None:
        monkeypatch.setenv("CELERY_BROKER_URL", url)
        settings.CELERY_BROKER_URL = url
        app.conf.broker_url = url

    yield point
    app.conf.broker_url = previous


@pytest.mark.django_db
def test_healthz_answers_503_when_the_broker_is_down(client, broker_at):
    broker_at(f"redis://127.0.0.1:{_closed_port()}/0")
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["database"] == "ok"
    assert body["broker"].startswith("error: ")


@pytest.mark.skipif(not os.environ.get("CELERY_BROKER_URL", "").startswith("redis://"),
                    reason="no CELERY_BROKER_URL: set it (e.g. redis://127.0.0.1:6379/14)")
@pytest.mark.django_db
def test_healthz_reaches_a_live_broker(client, broker_at):
    broker_at(os.environ["CELERY_BROKER_URL"])
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["broker"] == "ok"


@pytest.mark.django_db(transaction=True)
def test_healthz_answers_503_when_the_database_is_down(client, settings):
    from django.db import connection

    # A connection that cannot be made: the same server on a closed port.
    connection.close()
    real_port = connection.settings_dict["PORT"]
    connection.settings_dict["PORT"] = str(_closed_port())
    try:
        response = client.get("/healthz")
    finally:
        connection.close()
        connection.settings_dict["PORT"] = real_port
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["database"].startswith("error: ")


def test_celery_is_configured_for_reliable_delivery():
    from django.conf import settings

    from vetschool.celery import app

    conf = app.conf
    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert conf.worker_prefetch_multiplier == 1
    assert conf.task_time_limit and conf.task_soft_time_limit < conf.task_time_limit
    # Redis re-delivers an unacknowledged task after the visibility timeout: longer than
    # any task may run.
    assert conf.broker_transport_options["visibility_timeout"] > conf.task_time_limit
    assert conf.timezone == "Asia/Ho_Chi_Minh"
    # The beat schedule lives in settings, and every task it names exists.
    assert conf.beat_schedule == settings.CELERY_BEAT_SCHEDULE
    assert conf.beat_schedule
    # What a worker does at start: import every installed app's tasks module. Done by hand
    # because the lazy autodiscovery of this long-lived test process depends on what ran
    # before it; tests/test_celery_worker.py asks a real worker the same question.
    from celery.loaders.base import find_related_module
    from django.apps import apps

    for config in apps.get_app_configs():
        find_related_module(config.name, "tasks")
    for entry in conf.beat_schedule.values():
        assert entry["task"] in app.tasks, entry


def test_time_zone_and_languages(settings):
    assert settings.TIME_ZONE == "Asia/Ho_Chi_Minh"
    assert settings.LANGUAGE_CODE == "vi"
    assert [code for code, _ in settings.LANGUAGES] == ["vi", "en"]


def _one_shape(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"status", "code", "detail", "errors"}
    assert body["status"] == status
    assert body["detail"]
    if code:
        assert body["code"] == code
    return body


@pytest.mark.django_db
def test_api_answers_401_to_anonymous_and_bad_tokens(api_client):
    response = api_client.get("/api/v1/")
    _one_shape(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"] == "Token"
    api_client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    _one_shape(api_client.get("/api/v1/staff/"), 401, "authentication_failed")


@pytest.mark.django_db
def test_api_answers_403_404_405_in_one_shape(api_client, learner, registrar):
    api_client.force_authenticate(learner)
    _one_shape(api_client.get("/api/v1/staff/"), 403, "permission_denied")
    api_client.force_authenticate(registrar)
    _one_shape(api_client.get("/api/v1/learners/987654321/"), 404, "not_found")
    # An unknown URL under /api/ never reaches a view: Django's 404 keeps the shape too...
    _one_shape(api_client.get("/api/v1/no-such-resource/"), 404, "not_found")
    _one_shape(api_client.get("/api/v2/"), 404, "not_found")
    # ... while portal pages keep their HTML 404 page.
    page = api_client.get("/no-such-page/")
    assert page.status_code == 404
    assert page["Content-Type"].startswith("text/html")
    _one_shape(api_client.delete("/api/v1/"), 405, "method_not_allowed")


@pytest.mark.django_db
def test_api_has_no_format_suffix_routes(api_client, registrar):
    # DefaultRouter's `.json` twins of every route reached handlers that do not take a
    # `format` argument: a 500, some anonymous. They are gone; the API speaks JSON anyway.
    _one_shape(api_client.get("/api/v1/diploma-verification/some-token.json/"), 404, "not_found")
    api_client.force_authenticate(registrar)
    _one_shape(api_client.get("/api/v1/programs.json"), 404, "not_found")
    _one_shape(api_client.get("/api/v1/learners/1.json"), 404, "not_found")
    _one_shape(api_client.get("/api/v1/.json"), 404, "not_found")
    assert api_client.get("/api/v1/programs/").status_code == 200


@pytest.mark.urls("tests.raising_urls")
def test_a_failure_under_api_answers_500_in_one_shape(client):
    client.raise_request_exception = False
    body = _one_shape(client.get("/api/v1/fails/"), 500, "server_error")
    assert "unforeseen" not in body["detail"]
    # Portal pages keep their HTML 500 page.
    page = client.get("/fails/")
    assert page.status_code == 500
    assert page["Content-Type"].startswith("text/html")


@pytest.mark.django_db
def test_api_answers_415_and_400_in_one_shape(api_client, registrar):
    response = api_client.post("/api/v1/auth/token/", "username=x", content_type="text/plain")
    _one_shape(response, 415, "unsupported_media_type")
    # A serializer's field errors: every field with its messages.
    body = _one_shape(api_client.post("/api/v1/auth/token/", {"username": registrar.username},
                                      format="json"), 400, "invalid")
    assert list(body["errors"]) == ["password"]
    assert body["detail"] == body["errors"]["password"][0]
    # A serializer's non-field error.
    body = _one_shape(api_client.post("/api/v1/auth/token/", {
        "username": registrar.username, "password": "wrong"}, format="json"), 400, "invalid")
    assert list(body["errors"]) == ["non_field_errors"]


@pytest.mark.django_db
def test_api_answers_429_in_one_shape(api_client, settings):
    settings.DEGREES_VERIFY_RATE = 0
    response = api_client.post("/api/v1/diploma-verification/",
                               {"serial_number": "X", "date_of_birth": "2005-01-01"},
                               format="json")
    _one_shape(response, 429, "throttled")


@pytest.mark.django_db
def test_api_token_authentication(api_client, registrar):
    from tests.factories import TEST_PASSWORD
    from tests.mfa import fresh_code, totp_device

    response = api_client.post(
        "/api/v1/auth/token/", {"username": registrar.username, "password": TEST_PASSWORD,
                                "otp_token": fresh_code(totp_device(registrar))}
    )
    assert response.status_code == 200, response.content
    token = response.json()["token"]
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api_client.get("/api/v1/").status_code == 200


@pytest.mark.django_db
def test_openapi_schema_and_offline_swagger_ui(client, registrar):
    client.force_login(registrar)
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"openapi" in schema.content
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "swagger-ui" in html
    # Served from our own static files (drf-spectacular-sidecar), never a CDN: no
    # address in the page leaves the site, and the assets it loads are ours.
    assert re.findall(r"https?://[^\s\"'<>]+", html) == []
    assets = re.findall(r"""(?:src|href)=["'](/static/[^"']+)["']""", html)
    assert any("swagger-ui-bundle" in a for a in assets), assets
    for asset in assets:
        assert client.get(asset).status_code == 200, asset


@pytest.mark.django_db
def test_django_validation_errors_become_400_with_fields():
    from django.core.exceptions import ValidationError

    from vetschool.api import exception_handler

    response = exception_handler(ValidationError({"national_id": ["Wrong province."]}), {})
    assert response.status_code == 400
    assert response.data["errors"] == {"national_id": ["Wrong province."]}
    assert response.data["detail"] == "Wrong province."


def test_static_files_are_served_without_a_cdn(client):
    response = client.get("/static/css/vetschool.css")
    assert response.status_code == 200
    assert b"--brand" in b"".join(response.streaming_content)
    assert client.get("/static/vendor/htmx/htmx.min.js").status_code == 200


def _cache_in_a_process(env: dict, code: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c",
         "from django.core.cache import caches; cache = caches['default']; " + code],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_production_processes_share_one_cache_through_redis():
    """Rate limits and look-up throttles count across gunicorn's processes."""
    env = _production_env()
    assert _cache_in_a_process(env, "print(type(cache).__name__)") == "LocMemCache"
    broker = os.environ.get("CELERY_BROKER_URL", "")
    if not broker.startswith("redis://"):
        pytest.skip("no CELERY_BROKER_URL: set it (e.g. redis://127.0.0.1:6379/14) to test")
    env["CELERY_BROKER_URL"] = broker
    key = f"shared-{os.getpid()}"
    assert _cache_in_a_process(env, f"print(type(cache).__name__); cache.set('{key}', 42, 60)"
                               ) == "RedisCache"
    assert _cache_in_a_process(env, f"print(cache.get('{key}')); cache.delete('{key}')") == "42"


_ENV_READ = re.compile(r"""env_(str|bool|int|list|secret)\(\s*["']([A-Z][A-Z0-9_]*)["']""")


def _variables_the_code_reads() -> dict[str, str]:
    """Every NAME passed to vetschool.env's readers, in the project's own code."""
    found: dict[str, str] = {}
    for path in ROOT.rglob("*.py"):
        parts = path.relative_to(ROOT).parts
        if parts[0] in (".venv", "var", "tests", "benchmarks") or "migrations" in parts:
            continue
        for kind, name in _ENV_READ.findall(path.read_text(encoding="utf-8")):
            found[name] = kind
    return found


def test_readme_and_env_example_list_every_environment_variable():
    variables = _variables_the_code_reads()
    assert {"DEBUG", "SECRET_KEY", "DATABASE_URL", "CELERY_BROKER_URL"} <= set(variables)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("## Environment variables", 1)[1].split("\n## ", 1)[0]
    first_cells = [ln.split("|")[1] for ln in table.splitlines() if ln.startswith("| `")]
    documented = {n for cell in first_cells for n in re.findall(r"`([A-Z][A-Z0-9_]*)`", cell)}
    example = set(re.findall(r"^# ?([A-Z][A-Z0-9_]*)=", (ROOT / ".env.example").read_text(
        encoding="utf-8"), re.MULTILINE))
    example |= set(re.findall(r"or ([A-Z][A-Z0-9_]*_FILE)=", (ROOT / ".env.example").read_text(
        encoding="utf-8")))
    expected = set(variables) | {f"{n}_FILE" for n, kind in variables.items() if kind == "secret"}
    assert sorted(expected - documented) == [], "missing from README's table"
    assert sorted(expected - example) == [], "missing from .env.example"
    # Nothing documented that the code no longer reads (PORT is read by the Makefile).
    assert sorted(documented - expected - {"PORT"}) == []


def test_readme_shows_the_two_commands_first_then_the_sections_in_order():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first_block = readme.split("```", 2)[1]
    commands = [ln.split("#")[0].strip() for ln in first_block.splitlines()[1:] if ln.strip()]
    assert commands == ["make run", "make test"]
    assert readme.index("```") < readme.index("\n## ")
    headings = re.findall(r"^## (.+)$", readme, re.MULTILINE)
    assert headings == ["What it is", "Demo logins", "Environment variables",
                        "Running in production"]
    production = readme.split("## Running in production", 1)[1]
    for process in ("gunicorn vetschool.wsgi", "celery -A vetschool worker",
                    "celery -A vetschool beat", "DATABASE_URL=postgres://",
                    "CELERY_BROKER_URL=redis://"):
        assert process in production, process


def test_readme_demo_logins_are_the_ones_seed_demo_creates():
    from vetschool import demo

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    logins = readme.split("## Demo logins", 1)[1].split("\n## ", 1)[0]
    listed = re.findall(r"^\| [^|]+ \| `([a-z_0-9]+)` \|", logins, re.MULTILINE)
    assert sorted(listed) == sorted(u for u, *_ in demo.DEMO_USERS)
    assert f"`{demo.DEMO_PASSWORD}`" in logins


def test_without_chromium_the_browser_tests_are_skipped_with_one_line(tmp_path):
    from tests.conftest import BROWSER_HINT

    env = {**os.environ, "PATH": str(tmp_path)}  # a PATH where no chromium is found
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "tests/browser/test_smoke.py", "-q", "-n", "0",
         "-p", "no:cacheprovider"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    lines = [ln for ln in result.stdout.splitlines() if "chromium" in ln]
    assert lines == [BROWSER_HINT], result.stdout + result.stderr
    assert "deselected" in result.stdout
    assert " passed" not in result.stdout and " failed" not in result.stdout


@pytest.mark.django_db
def test_history_of_an_api_write_names_the_token_user_and_the_request(api_client, hr_officer):
    """DRF authenticates in the view, after pghistory's middleware: the history row still
    carries the acting user and the URL."""
    import pghistory.models

    from staff.models import StaffMember
    from tests.staff import helpers
    from vetschool.accounts.tokens import token_issue

    helpers.department("CNTT", "Khoa Công nghệ thông tin")
    _token, key = token_issue(user=hr_officer)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    response = api_client.post("/api/v1/staff/", {
        "staff_code": "GV0600", "full_name": "Ngô Minh Quân",
        "national_id": helpers.national_id(date(1987, 7, 7)), "date_of_birth": "1987-07-07",
        "gender": "male", "department": "CNTT", "is_teacher": True, "is_manager": False,
        "employment_status": "active", "effective_date": "2019-09-01",
    }, format="json")
    assert response.status_code == 201, response.content
    member = StaffMember.objects.get(staff_code="GV0600")
    event = pghistory.models.Events.objects.references(member).get(
        pgh_label="insert", pgh_model="staff.StaffMemberEvent")
    assert event.pgh_context["user"] == hr_officer.pk
    assert event.pgh_context["url"] == "/api/v1/staff/"
