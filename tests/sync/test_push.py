"""A push against a real sandbox process: exact end state, coalescing, keys, deletes."""

import io
import time

import pytest
from django.core.management import CommandError, call_command

from tests.sync.conftest import (
    SECRET,
    Sandbox,
    assert_sandbox_matches_college,
    configure,
    make_people,
    national_id,
    start_sandbox,
)
from tests.sync_fixture.models import Person, Residence
from vetschool.sync import selectors, services
from vetschool.sync.models import Batch, Change, Entry, Run
from vetschool.sync.signals import batch_answered

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_push_leaves_exactly_the_colleges_records_in_the_sandbox(national):
    make_people(1200)
    Person.objects.create(national_id=None, code="F1", full_name="Foreign Learner",
                          birth_date="2004-02-02")

    run = services.push_command()

    assert run.status == Run.Status.SUCCEEDED, run.error
    assert run.accepted == 1200
    assert_sandbox_matches_college(national)
    assert not Entry.objects.exclude(state=Entry.State.SENT).exists()
    # Batches of at most 1000 records, stored (and sent) gzip-compressed.
    assert sorted(Batch.objects.values_list("size", flat=True)) == [200, 1000]
    assert bytes(Batch.objects.first().body)[:2] == b"\x1f\x8b"
    assert national.stats()["batches"] == 2


def test_key_changes_and_deletes_converge_to_the_same_end_state(national):
    people = make_people(30)
    services.push_command()
    Person.objects.filter(pk=people[0].pk).update(national_id=national_id(900))
    Person.objects.filter(pk=people[1].pk).delete()
    Person.objects.filter(pk=people[2].pk).update(national_id=None)
    Residence.objects.create(person=people[3], province_code="79", since="2024-09-01")

    run = services.push_command()

    assert run.status == Run.Status.SUCCEEDED
    assert_sandbox_matches_college(national)
    live = national.live()
    assert national_id(0) not in live and national_id(900) in live
    assert live[national_id(3)][1]["province_code"] == "79"


def test_a_rejected_record_does_not_block_the_others_and_is_sent_once_fixed(national):
    make_people(20)
    bad = Person.objects.create(national_id="12345", code="BAD", full_name="Bad Id",
                                birth_date="2005-01-01")

    run = services.push_command()

    assert (run.status, run.accepted, run.rejected) == (Run.Status.SUCCEEDED, 20, 1)
    [rejected] = Entry.objects.filter(state=Entry.State.REJECTED)
    assert rejected.reject_code == "invalid_national_id"
    assert "national_id" in rejected.reject_message
    assert len(national.live()) == 20

    Person.objects.filter(pk=bad.pk).update(national_id=national_id(500))
    run = services.push_command()

    assert run.rejected == 0
    assert_sandbox_matches_college(national)
    assert not Entry.objects.filter(state=Entry.State.REJECTED).exists()


def test_retry_after_fix_sends_a_record_fixed_where_no_trigger_looks(national):
    from tests.sync_fixture.models import Ethnicity

    typo = Ethnicity.objects.create(code="X1", name="typo")
    people = make_people(5)
    Person.objects.filter(pk=people[0].pk).update(ethnicity=typo)
    services.push_command()
    rejected = Entry.objects.filter(state=Entry.State.REJECTED)
    assert [e.reject_code for e in rejected] == ["invalid_record"]

    Ethnicity.objects.filter(pk=typo.pk).update(code="17")
    services.entries_retry(entries=rejected)
    run = services.push_command()

    assert (run.accepted, run.rejected) == (1, 0)
    assert national.live()[people[0].national_id][1]["ethnicity_code"] == "17"


def test_30_percent_failures_drops_and_latency_still_converge(settings, tmp_path):
    box = start_sandbox(tmp_path, "--fail-rate", "0.3", "--drop-rate", "0.2",
                        "--throttle-rate", "0.05", "--latency-ms", "20")
    try:
        configure(settings, box)
        settings.NATIONAL_SYNC_BATCH_SIZE = 20
        settings.NATIONAL_SYNC_RETRY_BASE_SECONDS = 0.02
        settings.NATIONAL_SYNC_RETRY_MAX_SECONDS = 0.3
        make_people(500)

        run = services.push_command()
        Person.objects.filter(pk__in=Person.objects.order_by("pk").values("pk")[:100]).update(
            full_name="Renamed")
        second = services.push_command()

        assert run.status == second.status == Run.Status.SUCCEEDED, (run.error, second.error)
        assert_sandbox_matches_college(box)
        stats = box.stats()
        assert stats["requests"].get("unavailable", 0) > 0
        assert stats["requests"].get("dropped", 0) > 0
        assert stats["replayed_batches"], "a dropped batch must have been replayed"
        # No duplicate: each record version accepted once, under one batch id of ours.
        assert stats["batches"] == Batch.objects.count()
        assert stats["accepted_total"] == 600
        assert Entry.objects.filter(state=Entry.State.SENT, outcome="accepted").count() == 600
    finally:
        box.stop()


def test_a_change_committed_while_a_push_runs_is_sent_by_that_push_or_the_next(national,
                                                                               settings):
    settings.NATIONAL_SYNC_BATCH_SIZE = 100
    people = make_people(500)
    written = []

    def write_during_push(sender, **kwargs):
        if not written:  # after the first answer: one person already sent, one not yet
            for person in (people[0], people[-1]):
                Person.objects.filter(pk=person.pk).update(full_name="Changed mid-push")
            written.append(True)

    batch_answered.connect(write_during_push)
    try:
        services.push_command()
    finally:
        batch_answered.disconnect(write_during_push)
    assert written
    assert Change.objects.exists() or Entry.objects.filter(state=Entry.State.PENDING).exists() \
        or national.live()[people[0].national_id][1]["full_name"] == "Changed mid-push"

    services.push_command()

    live = national.live()
    assert live[people[0].national_id][1]["full_name"] == "Changed mid-push"
    assert live[people[-1].national_id][1]["full_name"] == "Changed mid-push"
    assert_sandbox_matches_college(national)


class Crash(BaseException):
    """Stands for a kill between the ministry's answer and our record of it."""


def test_a_crash_after_the_answer_replays_the_same_batch_and_stores_nothing_twice(national,
                                                                                 settings):
    settings.NATIONAL_SYNC_LEASE_SECONDS = 1
    make_people(300)

    def crash(sender, **kwargs):
        raise Crash

    batch_answered.connect(crash)
    try:
        with pytest.raises(Crash):
            services.push_command()
    finally:
        batch_answered.disconnect(crash)
    [batch] = Batch.objects.all()
    assert batch.state == Batch.State.OPEN  # the answer was received, never recorded
    time.sleep(1.2)  # the dead sender's lease expires

    run = services.push_command()

    assert run.status == Run.Status.SUCCEEDED
    batch.refresh_from_db()
    assert (batch.state, batch.replayed) == (Batch.State.ANSWERED, True)
    assert batch.accepted == 300  # the stored first answer, replayed
    assert national.stats()["replayed_batches"] == [str(batch.pk)]
    assert national.stats()["accepted_total"] == 300
    assert_sandbox_matches_college(national)


def test_a_wrong_secret_is_reported_as_such(national, settings):
    settings.NATIONAL_API_SECRET = "not-the-secret"
    make_people(3)
    run = services.push_command()
    assert (run.status, run.error_kind) == (Run.Status.FAILED, "wrong_secret")
    assert "Wrong secret" in run.error
    assert "network" not in run.error.lower()
    assert Batch.objects.get().state == Batch.State.OPEN  # kept for the next push


def test_a_clock_five_minutes_off_is_reported_as_clock_skew(settings, tmp_path):
    box = start_sandbox(tmp_path, "--clock-offset", "400")
    try:
        configure(settings, box)
        make_people(3)
        run = services.push_command()
    finally:
        box.stop()
    assert (run.status, run.error_kind) == (Run.Status.FAILED, "clock_skew")
    assert "Clock off by" in run.error and "behind" in run.error
    assert any(f"{n} s" in run.error for n in (399, 400, 401))
    assert "network" not in run.error.lower()


def test_reconciliation_finds_a_ministry_reset_and_full_repairs_it(national):
    make_people(40)
    services.push_command()
    assert selectors.latest_reconciliation().ok

    national.reset()
    reconciliation = services.reconcile()
    state = reconciliation.types["learner"]
    assert not reconciliation.ok
    assert (state["status"], state["national"]["count"], state["ours"]["count"]) == \
        ("diverged", 0, 40)
    assert state["repair"] == "python manage.py sync_national --full --type learner"

    out = io.StringIO()
    call_command("sync_national", "--full", "--type", "learner", stdout=out)
    assert "learner: ours 40, national 40 — ok" in out.getvalue()
    assert services.reconcile().ok
    assert_sandbox_matches_college(national)


def test_dry_run_shows_what_would_be_queued_and_changes_nothing(national):
    make_people(7)
    out = io.StringIO()
    call_command("sync_national", "--dry-run", stdout=out)
    assert "would queue learner: 7 upsert(s), 0 delete(s)" in out.getvalue()
    assert Change.objects.count() == 7
    assert not Entry.objects.exists() and not Run.objects.exists()
    assert national.stats()["batches"] == 0


def test_the_command_refuses_to_run_when_sync_is_disabled(settings):
    settings.NATIONAL_API_URL = ""
    with pytest.raises(CommandError, match="NATIONAL_API_URL not set"):
        call_command("sync_national")


def test_429_is_retried_after_the_servers_retry_after(settings, tmp_path):
    from vetschool.sync import sandbox

    box = sandbox.serve_in_thread(db=tmp_path / "throttle.sqlite3", secret=SECRET,
                                  faults=sandbox.Faults(throttle_rate=1.0, seed=3))
    try:
        configure(settings, Sandbox(None, box.url, None))
        settings.NATIONAL_SYNC_RETRY_BASE_SECONDS = 0.01
        settings.NATIONAL_SYNC_PUSH_SECONDS = 2.5
        make_people(2)
        run = services.push_command()
        batch = Batch.objects.get()
        assert run.status == Run.Status.INCOMPLETE
        assert "429" in batch.last_error
        assert batch.attempts <= 3  # about one try a second, as Retry-After: 1 asks

        box.faults.throttle_rate = 0
        time.sleep(1.1)
        assert services.drain().status == Run.Status.SUCCEEDED
    finally:
        box.shutdown()
        box.server_close()
