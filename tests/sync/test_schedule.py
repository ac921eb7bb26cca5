"""Schedule: the nightly beat entry, one push per slot whatever runs it twice, e-mails."""

import datetime
import threading
import zoneinfo

import pytest
from celery.schedules import crontab
from django.core import mail
from django.db import connection

from tests.sync.conftest import make_people
from tests.sync_fixture.models import Person
from vetschool.celery import app
from vetschool.sync import services
from vetschool.sync.models import Run

HCM = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


def test_beat_runs_the_nightly_push_at_the_configured_time(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["national-sync-nightly"]
    assert entry["task"] == "vetschool.sync.push_nightly"
    assert entry["schedule"] == crontab(hour=1, minute=0)
    assert settings.CELERY_TIMEZONE == "Asia/Ho_Chi_Minh"
    drain = settings.CELERY_BEAT_SCHEDULE["national-sync-drain"]
    assert drain["schedule"] == crontab(minute="*/5")
    app.loader.import_default_modules()  # what a worker does at start: autodiscovery
    assert {"vetschool.sync.push_nightly", "vetschool.sync.drain",
            "vetschool.sync.push_queued"} <= set(app.tasks)


@pytest.mark.parametrize(("now", "slot"), [
    ((2025, 3, 10, 1, 0, 3), (2025, 3, 10)),
    ((2025, 3, 10, 0, 58, 0), (2025, 3, 10)),  # a worker clock a little behind the beat's
    ((2025, 3, 10, 23, 0, 0), (2025, 3, 10)),
    ((2025, 3, 10, 0, 30, 0), (2025, 3, 9)),
])
def test_the_slot_is_the_latest_scheduled_time(now, slot):
    local = datetime.datetime(*now, tzinfo=HCM)
    assert services.nightly_slot(local) == datetime.datetime(*slot, 1, 0, tzinfo=HCM)


@pytest.mark.django_db(transaction=True)
def test_two_beats_or_workers_run_one_push_per_slot(settings):
    settings.NATIONAL_API_URL = ""  # disabled: each run is recorded as skipped, quickly
    slot = datetime.datetime(2025, 3, 10, 1, 0, tzinfo=HCM)
    results = []

    def beat():
        try:
            results.append(services.push_nightly(slot=slot))
        finally:
            connection.close()

    threads = [threading.Thread(target=beat) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert Run.objects.filter(slot=slot).count() == 1
    assert sum(1 for r in results if r is not None) == 1
    assert services.push_nightly(slot=slot) is None  # a beat restarted at the trigger time
    assert Run.objects.get(slot=slot).status == Run.Status.SKIPPED


@pytest.mark.django_db(transaction=True)
def test_admins_get_an_email_when_nightly_records_are_rejected(national, settings):
    settings.ADMINS = [("Admin", "admin@cdsonghong.edu.vn")]
    make_people(3)
    Person.objects.create(national_id="999", code="X", full_name="X", birth_date="2005-01-01")

    run = services.push_nightly(slot=datetime.datetime(2025, 3, 11, 1, 0, tzinfo=HCM))

    assert (run.status, run.rejected) == (Run.Status.SUCCEEDED, 1)
    [message] = mail.outbox
    assert message.to == ["admin@cdsonghong.edu.vn"]
    assert "1 record(s) rejected" in message.subject


@pytest.mark.django_db(transaction=True)
def test_admins_get_an_email_when_the_nightly_push_fails(national, settings):
    settings.ADMINS = [("Admin", "admin@cdsonghong.edu.vn")]
    settings.NATIONAL_API_SECRET = "wrong"
    make_people(1)
    run = services.push_nightly(slot=datetime.datetime(2025, 3, 12, 1, 0, tzinfo=HCM))
    assert run.status == Run.Status.FAILED
    [message] = mail.outbox
    assert "nightly push failed" in message.subject
    assert "Wrong secret" in message.body


@pytest.mark.django_db(transaction=True)
def test_a_clean_nightly_push_sends_no_email(national, settings):
    settings.ADMINS = [("Admin", "admin@cdsonghong.edu.vn")]
    make_people(2)
    run = services.push_nightly(slot=datetime.datetime(2025, 3, 13, 1, 0, tzinfo=HCM))
    assert run.status == Run.Status.SUCCEEDED
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_a_lost_sync_now_message_is_started_by_the_drain(national):
    from vetschool.sync.models import Run as RunModel

    make_people(4)
    run = RunModel.objects.create(kind=RunModel.Kind.MANUAL, status=RunModel.Status.QUEUED)
    RunModel.objects.filter(pk=run.pk).update(
        created_at=datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=10))

    drained = services.drain()  # the task message never arrived (Redis flushed, say)

    assert drained.pk == run.pk
    assert drained.status == RunModel.Status.SUCCEEDED
    assert drained.accepted == 4
    assert services.push_queued(run_id=run.pk) is None  # the late message does nothing
