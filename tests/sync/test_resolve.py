"""The resolver: changes -> records -> coalesced entries with growing versions; deletes
for deleted records, for unpushable ones and for the old key of a key change."""

import datetime

import pytest
from django.db import transaction

from tests.sync.conftest import make_people, national_id
from tests.sync_fixture.models import Ethnicity, Person, Residence
from vetschool.sync import outbox, registry
from vetschool.sync.models import Change, Entry, Record

pytestmark = pytest.mark.django_db


def resolve() -> outbox.Tally:
    return outbox.resolve_all()


def pending(**filters):
    return list(Entry.objects.filter(state=Entry.State.PENDING, **filters).order_by("id"))


def test_several_changes_of_one_record_coalesce_into_one_entry_with_a_growing_version():
    person = make_people(1)[0]
    resolve()
    first = pending()[0].version
    for name in ("B", "C", "D"):
        Person.objects.filter(pk=person.pk).update(full_name=name)
    resolve()

    entries = pending()
    assert len(entries) == 1
    assert entries[0].data["full_name"] == "D"
    assert entries[0].version > first
    assert Record.objects.get(type="learner", object_pk=str(person.pk)).version == \
        entries[0].version
    assert not Change.objects.exists()


def test_a_change_that_does_not_touch_the_payload_queues_nothing():
    person = make_people(1)[0]
    resolve()
    Entry.objects.update(state=Entry.State.SENT)
    Person.objects.filter(pk=person.pk).update(full_name=person.full_name)
    tally = resolve()
    assert tally.total == 0
    assert not pending()


def test_deleting_a_record_queues_a_delete_of_its_key():
    person = make_people(1)[0]
    resolve()
    Entry.objects.update(state=Entry.State.SENT)
    person.delete()
    resolve()
    [entry] = pending()
    assert (entry.op, entry.key) == ("delete", {"national_id": national_id(0)})
    assert not Record.objects.exists()


def test_a_record_that_becomes_unpushable_is_deleted_nationally():
    person = make_people(1)[0]
    resolve()
    Entry.objects.update(state=Entry.State.SENT)
    Person.objects.filter(pk=person.pk).update(national_id=None)
    resolve()
    [entry] = pending()
    assert entry.op == "delete"


def test_a_key_change_sends_a_delete_for_the_old_key_and_an_upsert_for_the_new():
    person = make_people(1)[0]
    resolve()
    Entry.objects.update(state=Entry.State.SENT)
    Person.objects.filter(pk=person.pk).update(national_id=national_id(99))
    resolve()
    ops = {(e.op, e.key_text) for e in pending()}
    assert ops == {("delete", national_id(0)), ("upsert", national_id(99))}
    delete = next(e for e in pending() if e.op == "delete")
    upsert = next(e for e in pending() if e.op == "upsert")
    assert delete.version > upsert.version > 0


def test_swapped_keys_are_not_deleted():
    first, second = make_people(2)
    resolve()
    Entry.objects.update(state=Entry.State.SENT)
    with transaction.atomic():
        Person.objects.filter(pk=first.pk).update(national_id="tmp")
        Person.objects.filter(pk=second.pk).update(national_id=national_id(0))
        Person.objects.filter(pk=first.pk).update(national_id=national_id(1))
    resolve()
    assert {(e.op, e.key_text) for e in pending()} == {("upsert", national_id(0)),
                                                        ("upsert", national_id(1))}


def test_a_child_row_affects_its_root_and_a_moved_child_both_roots():
    alice, bob = make_people(2)
    resolve()
    Entry.objects.update(state=Entry.State.SENT)
    residence = Residence.objects.create(person=alice, province_code="01",
                                         since=datetime.date(2020, 1, 1))
    resolve()
    [entry] = pending()
    assert (entry.key_text, entry.data["province_code"]) == (alice.national_id, "01")

    Entry.objects.update(state=Entry.State.SENT)
    Residence.objects.filter(pk=residence.pk).update(person=bob)
    resolve()
    by_key = {e.key_text: e.data["province_code"] for e in pending()}
    assert by_key == {alice.national_id: None, bob.national_id: "01"}

    Entry.objects.update(state=Entry.State.SENT)
    Residence.objects.filter(pk=residence.pk).delete()
    resolve()
    assert {e.key_text: e.data["province_code"] for e in pending()} == {bob.national_id: None}


def test_a_newer_state_supersedes_a_rejection_of_the_same_key():
    person = make_people(1)[0]
    resolve()
    Entry.objects.update(state=Entry.State.REJECTED, reject_code="invalid_record")
    Person.objects.filter(pk=person.pk).update(full_name="Fixed")
    resolve()
    assert Entry.objects.filter(state=Entry.State.SUPERSEDED).count() == 1
    assert pending()[0].data["full_name"] == "Fixed"


def test_a_record_that_cannot_be_built_waits_rejected_without_blocking_others(monkeypatch):
    people = make_people(3)
    record_type = registry.get_type("learner")
    original = record_type.build

    def broken(person):
        if person.pk == people[1].pk:
            raise KeyError("province")
        return original(person)

    monkeypatch.setattr(record_type, "build", broken)
    tally = resolve()
    assert tally.queued[("learner", "upsert")] == 2
    [failed] = Entry.objects.filter(state=Entry.State.REJECTED)
    assert failed.reject_code == outbox.BUILD_ERROR
    assert "KeyError" in failed.reject_message

    monkeypatch.setattr(record_type, "build", original)
    outbox.requeue_rejected([failed])
    failed.refresh_from_db()
    assert failed.state == Entry.State.SUPERSEDED
    assert len(pending()) == 3


def test_full_requeues_everything_and_deletes_what_is_gone():
    people = make_people(3)
    resolve()
    Entry.objects.update(state=Entry.State.SENT)
    Change.objects.all().delete()
    # Gone without a trace (say, rows removed while triggers were off).
    Person.objects.filter(pk=people[0].pk).delete()
    Change.objects.all().delete()
    tally = outbox.enqueue_full(registry.get_type("learner"))
    assert tally.queued[("learner", "upsert")] == 2
    assert tally.queued[("learner", "delete")] == 1


def test_versions_only_grow_across_records_and_changes():
    people = make_people(5)
    resolve()
    before = max(Entry.objects.values_list("version", flat=True))
    Entry.objects.update(state=Entry.State.SENT)
    Person.objects.filter(pk__in=[p.pk for p in people]).update(full_name="Z")
    resolve()
    assert min(e.version for e in pending()) > before


def test_retry_after_fix_rebuilds_from_data_the_triggers_did_not_see():
    ethnicity = Ethnicity.objects.create(code="X1", name="typo")
    person = make_people(1)[0]
    Person.objects.filter(pk=person.pk).update(ethnicity=ethnicity)
    resolve()
    entry = pending()[0]
    Entry.objects.filter(pk=entry.pk).update(state=Entry.State.REJECTED,
                                             reject_code="invalid_record")
    Ethnicity.objects.filter(pk=ethnicity.pk).update(code="17")  # not a declared source
    assert outbox.resolve_all().total == 0

    outbox.requeue_rejected(Entry.objects.filter(pk=entry.pk))
    [retried] = pending()
    assert retried.data["ethnicity_code"] == "17"
    assert retried.version > entry.version


def test_the_local_digest_computed_in_sql_is_the_contracts_digest_in_python():
    """Reconciliation's digest comes from PostgreSQL; the ministry (and the sandbox) take it
    with `contract.digest` over lines sorted by code points: both must agree byte for byte,
    Vietnamese keys, key fields joined with "|" and big versions included."""
    from vetschool.sync import contract, selectors

    keys = ["Đặng|B", "Zeta", "a|b", "Éclair", "Ăn", "079206000001|6480201|college|MĐ100",
            "z", "Ω", "a"]
    Record.objects.bulk_create([
        Record(type="staff", object_pk=str(n), key={}, key_text=key, version=10**12 + n,
               data_hash="") for n, key in enumerate(keys)])
    expected = contract.digest(sorted((k, 10**12 + n) for n, k in enumerate(keys)))
    assert selectors.local_summary("staff") == {"count": len(keys), "digest": expected}
    assert selectors.local_summary("diploma") == {"count": 0,
                                                  "digest": selectors.EMPTY_DIGEST}
