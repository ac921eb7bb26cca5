"""The admin dashboard and the outbox's rejected entries."""

import os
import socket
import subprocess
import sys
import time

import pytest
from django.urls import reverse
from django.utils.html import escape
from kombu import pools

from tests.real_worker import test_database_url
from tests.sync.conftest import INSTITUTION, ROOT, SECRET, make_people, wait_for
from vetschool.sync import services
from vetschool.sync.models import Configuration, Entry, Run

DASHBOARD = "/admin/sync/dashboard/"


@pytest.mark.django_db
def test_the_dashboard_says_clearly_that_sync_is_disabled(client, superuser, settings):
    settings.NATIONAL_API_URL = ""
    client.force_login(superuser)
    response = client.get(DASHBOARD, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "sync disabled: NATIONAL_API_URL not set" in response.content.decode()


@pytest.mark.django_db
def test_the_dashboard_is_listed_in_the_admin_index(client, superuser):
    client.force_login(superuser)
    assert DASHBOARD in client.get(reverse("admin:index")).content.decode()


@pytest.mark.django_db
def test_the_registrar_may_start_a_sync_and_qa_and_hr_may_not(
        client, registrar, qa_officer, hr_officer, settings):
    settings.NATIONAL_API_URL, settings.NATIONAL_API_SECRET = "http://127.0.0.1:9", "s"
    settings.NATIONAL_API_INSTITUTION = INSTITUTION
    client.force_login(registrar)
    assert "sync-now" in client.get(DASHBOARD).content.decode()
    assert client.post(DASHBOARD + "sync-now/").status_code == 302
    run = Run.objects.get()
    assert (run.requested_by, run.kind) == (registrar, Run.Kind.MANUAL)
    assert client.post(DASHBOARD + "retry-rejected/").status_code == 302
    for person in (qa_officer, hr_officer):
        client.force_login(person)
        assert client.post(DASHBOARD + "sync-now/").status_code == 403
        assert client.post(DASHBOARD + "reconcile/").status_code == 403
        assert client.post(DASHBOARD + "retry-rejected/").status_code == 403
    assert Run.objects.count() == 1


@pytest.mark.django_db
def test_teachers_and_learners_cannot_see_it(client, teacher):
    client.force_login(teacher)
    response = client.get(DASHBOARD)
    assert response.status_code in (302, 403)


@pytest.mark.django_db(transaction=True)
def test_the_dashboard_shows_runs_queue_rejections_and_reconciliation(
        client, superuser, national, django_assert_max_num_queries):
    from tests.sync_fixture.models import Person

    make_people(12)
    Person.objects.create(national_id="123", code="X", full_name="X", birth_date="2005-01-01")
    services.push_command()
    make_people(3, start=100)  # waiting for the next push
    client.force_login(superuser)

    with django_assert_max_num_queries(15):
        response = client.get(DASHBOARD, HTTP_ACCEPT_LANGUAGE="en")

    html = response.content.decode()
    assert "Pushing to" in html
    assert 'class="sync-changes">3<' in html
    assert html.count('class="sync-rejected-entry"') == 1
    assert "invalid_national_id" in html
    assert "sync-run-succeeded" in html
    assert "sync-type-behind" in html  # one learner rejected: the ministry holds 12 of 13


@pytest.mark.django_db(transaction=True)
def test_sync_now_from_the_dashboard_pushes(client, superuser, national):
    make_people(5)
    client.force_login(superuser)
    response = client.post(DASHBOARD + "sync-now/")
    assert response.status_code == 302
    run = Run.objects.get()
    assert (run.kind, run.status, run.accepted, run.requested_by) == \
        (Run.Kind.MANUAL, Run.Status.SUCCEEDED, 5, superuser)
    assert len(national.live()) == 5


@pytest.mark.django_db(transaction=True)
def test_retry_after_fix_action_requeues_rejected_entries(client, superuser, national):
    from tests.sync_fixture.models import Ethnicity, Person

    typo = Ethnicity.objects.create(code="X1", name="typo")
    person = make_people(1)[0]
    Person.objects.filter(pk=person.pk).update(ethnicity=typo)
    services.push_command()
    rejected = Entry.objects.get(state=Entry.State.REJECTED)
    Ethnicity.objects.filter(pk=typo.pk).update(code="17")
    client.force_login(superuser)

    response = client.post(reverse("admin:sync_entry_changelist"), {
        "action": "retry_after_fix", "_selected_action": [rejected.pk]})

    assert response.status_code == 302
    rejected.refresh_from_db()
    assert rejected.state == Entry.State.SUPERSEDED
    assert services.drain().accepted == 1  # the drain sends re-queued entries


@pytest.mark.django_db
def test_entry_lists_mask_national_ids(client, superuser):
    Entry.objects.create(type="learner", rank=0, key={"national_id": "001205000001"},
                         key_text="001205000001", op="upsert", version=1,
                         state=Entry.State.REJECTED, reject_code="invalid_record")
    client.force_login(superuser)
    html = client.get(reverse("admin:sync_entry_changelist")).content.decode()
    assert "001205000001" not in html
    assert "0012******01" in html


@pytest.mark.django_db
def test_the_stored_secret_is_never_shown_and_kept_when_left_empty(client, superuser):
    Configuration.objects.create(url="http://127.0.0.1:8765", institution_code="CDSH01",
                                 secret="stored-secret")
    client.force_login(superuser)
    url = reverse("admin:sync_configuration_change", args=[1])
    assert "stored-secret" not in client.get(url).content.decode()
    response = client.post(url, {"url": "http://127.0.0.1:9999", "institution_code": "CDSH01",
                                 "secret": ""})
    assert response.status_code == 302
    stored = Configuration.objects.get()
    assert (stored.url, stored.secret) == ("http://127.0.0.1:9999", "stored-secret")


@pytest.mark.django_db
def test_seed_demo_points_the_college_at_the_local_sandbox(settings):
    from vetschool.demo import seed_institution
    from vetschool.sync import demo, sandbox
    from vetschool.sync.config import current_config

    settings.NATIONAL_API_URL = settings.NATIONAL_API_INSTITUTION = ""
    settings.NATIONAL_API_SECRET = ""
    seed_institution()
    demo.seed()
    demo.seed()  # idempotent
    config = current_config()
    assert (config.url, config.institution, config.secret) == \
        ("http://127.0.0.1:8765", "CDSH01", sandbox.DEFAULT_SECRET)


@pytest.mark.django_db
def test_the_dashboard_speaks_vietnamese_first(client, superuser, settings):
    settings.NATIONAL_API_URL = ""
    client.force_login(superuser)
    html = client.get(DASHBOARD, HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "đồng bộ đang tắt: chưa đặt NATIONAL_API_URL" in html
    assert "Các lần đẩy gần đây" in html


# --- "sync now" never runs in the request: a real worker runs it -----------------------------
def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # closed again when the block ends: nobody listens



@pytest.fixture
def unreachable_national_api(settings):
    url = f"http://127.0.0.1:{_closed_port()}"
    settings.NATIONAL_API_URL, settings.NATIONAL_API_SECRET = url, SECRET
    settings.NATIONAL_API_INSTITUTION = INSTITUTION
    return url


def _fresh_broker_connections(app) -> None:
    """Forget the app's broker connections and producers (kombu keeps producer pools
    globally, keyed by the broker URL): the next message goes to the broker now set."""
    app.close()
    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def filesystem_worker(transactional_db, tmp_path, monkeypatch, unreachable_national_api):
    """A Celery worker process on a `filesystem://` broker in tmp_path (as under make run),
    and this process's app sending to it instead of running tasks eagerly."""
    from vetschool.celery import app, filesystem_transport_options

    broker, folder = "filesystem://localhost/", tmp_path / "celery"
    options = filesystem_transport_options(folder)
    monkeypatch.setenv("CELERY_BROKER_URL", broker)  # wins over the app's own broker
    previous = app.conf.broker_transport_options
    _fresh_broker_connections(app)
    app.conf.broker_transport_options = options
    app.conf.task_always_eager = False
    env = {**os.environ, "DATABASE_URL": test_database_url(), "CELERY_BROKER_URL": broker,
           "CELERY_FILESYSTEM_DIR": str(folder), "CELERY_RESULT_BACKEND": "cache+memory://",
           "NATIONAL_API_URL": unreachable_national_api, "NATIONAL_API_SECRET": SECRET,
           "NATIONAL_API_INSTITUTION": INSTITUTION, "NATIONAL_API_TIMEOUT": "2",
           # Retries every second, and the push gives up after 4 s (the drain goes on).
           "NATIONAL_SYNC_RETRY_BASE_SECONDS": "1", "NATIONAL_SYNC_RETRY_MAX_SECONDS": "1",
           "NATIONAL_SYNC_PUSH_SECONDS": "4"}
    log = tmp_path / "worker.log"
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "vetschool", "worker", "--pool=solo",
         "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "info"],
        cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
    try:
        wait_for(lambda: "ready." in log.read_text() or process.poll() is not None,
                 timeout=90, message="the worker to start")
        assert process.poll() is None, log.read_text()
        yield process
    finally:
        process.terminate()
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        _fresh_broker_connections(app)
        app.conf.broker_transport_options = previous


def test_sync_now_to_an_unreachable_national_api_returns_at_once_and_the_error_shows(
        client, registrar, filesystem_worker):
    make_people(3)
    client.force_login(registrar)

    started = time.monotonic()
    response = client.post(DASHBOARD + "sync-now/")
    assert time.monotonic() - started < 2
    assert response.status_code == 302
    run = Run.objects.get()
    assert run.status == Run.Status.QUEUED  # the request only queued it
    page = client.get(DASHBOARD).content.decode()
    assert '<meta http-equiv="refresh"' in page  # the page follows the run by itself

    # The worker's first failed attempt already shows, with its error, while it retries.
    failing = wait_for(lambda: Run.objects.filter(pk=run.pk).exclude(error="").first(),
                       timeout=60, message="the worker to record the error")
    page = client.get(DASHBOARD).content.decode()
    assert escape(failing.error)[:60] in page
    if failing.status == Run.Status.RUNNING:
        assert "sync-run-retrying" in page

    done = wait_for(lambda: Run.objects.filter(pk=run.pk).exclude(
        status__in=[Run.Status.QUEUED, Run.Status.RUNNING]).first(), timeout=60,
        message="the push to give up")
    assert done.status == Run.Status.INCOMPLETE
    assert "127.0.0.1" in done.error or done.error_kind == "retrying"
    page = client.get(DASHBOARD).content.decode()
    assert "sync-run-incomplete" in page
    assert escape(done.error)[:60] in page
    assert '<meta http-equiv="refresh"' not in page
