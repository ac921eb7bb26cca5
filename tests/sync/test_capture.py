"""Triggers write a change for every committed write, whichever path wrote it; a
rollback leaves nothing (including a property test of random commits and rollbacks)."""

import datetime
import random

import pytest
from django.db import connection, transaction

from tests.sync.conftest import make_people, national_id
from tests.sync_fixture.models import Person, Residence
from vetschool.sync import triggers
from vetschool.sync.models import Change

pytestmark = pytest.mark.django_db(transaction=True)


def changes():
    return list(Change.objects.order_by("id").values_list("table_name", "row_pk", "op"))


def test_triggers_are_installed_on_every_source_table():
    assert triggers.installed_tables() >= {"sync_fixture_person", "sync_fixture_residence"}


def test_orm_bulk_update_raw_sql_and_delete_all_leave_changes():
    person = Person.objects.create(national_id=national_id(1), code="A", full_name="A",
                                   birth_date=datetime.date(2005, 1, 1))
    make_people(3, start=10)
    Person.objects.filter(pk=person.pk).update(full_name="B")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE sync_fixture_person SET code = 'C' WHERE id = %s", [person.pk])
    pk = str(person.pk)
    person.delete()

    ops = [(row_pk, op) for table, row_pk, op in changes() if table == "sync_fixture_person"]
    assert ops[0] == (pk, "I")
    assert [op for _pk, op in ops[1:4]] == ["I", "I", "I"]
    assert ops[4:] == [(pk, "U"), (pk, "U"), (pk, "D")]


def test_a_mapped_source_keeps_the_old_row_a_root_does_not():
    person = make_people(1)[0]
    residence = Residence.objects.create(person=person, province_code="01",
                                         since=datetime.date(2020, 1, 1))
    Change.objects.all().delete()
    Residence.objects.filter(pk=residence.pk).update(province_code="79")
    Person.objects.filter(pk=person.pk).update(full_name="X")

    by_table = {c.table_name: c for c in Change.objects.all()}
    assert by_table["sync_fixture_residence"].old["province_code"] == "01"
    assert by_table["sync_fixture_residence"].old["person_id"] == person.pk
    assert by_table["sync_fixture_person"].old is None


def test_a_rolled_back_transaction_leaves_no_change():
    with pytest.raises(RuntimeError), transaction.atomic():
        make_people(5)
        raise RuntimeError("boom")
    assert changes() == []


def test_a_rolled_back_savepoint_leaves_only_the_outer_changes():
    with transaction.atomic():
        make_people(1, start=1)
        try:
            with transaction.atomic():
                make_people(1, start=2)
                raise RuntimeError("inner")
        except RuntimeError:
            pass
    assert len(changes()) == 1
    assert Person.objects.get().pk == int(changes()[0][1])


def test_property_only_committed_writes_leave_changes():
    """Random transactions of random writes (ORM, bulk, QuerySet.update, raw SQL, deletes),
    each committed or rolled back at random, sometimes with a rolled-back savepoint inside:
    the changes table holds exactly the rows of the committed writes."""
    for seed in (1, 2, 3, 4):
        _random_transactions(seed)


def _random_transactions(seed):
    Change.objects.all().delete()
    rng = random.Random(seed)
    committed: list[tuple[str, str]] = []
    next_id = [seed * 1000]

    def random_write(log):
        people = list(Person.objects.values_list("pk", flat=True))
        choice = rng.choice(["create", "bulk", "update", "raw", "delete", "child"])
        if choice == "create" or not people:
            next_id[0] += 1
            person = make_people(1, start=next_id[0])[0]  # ids never reused: start moves on
            log.append(("sync_fixture_person", str(person.pk), "I"))
        elif choice == "bulk":
            next_id[0] += 3
            for person in make_people(3, start=next_id[0] - 2):
                log.append(("sync_fixture_person", str(person.pk), "I"))
        elif choice == "update":
            pk = rng.choice(people)
            Person.objects.filter(pk=pk).update(full_name=f"name {rng.random()}")
            log.append(("sync_fixture_person", str(pk), "U"))
        elif choice == "raw":
            pk = rng.choice(people)
            with connection.cursor() as cursor:
                cursor.execute("UPDATE sync_fixture_person SET code = %s WHERE id = %s",
                               [f"R{rng.randrange(1000)}", pk])
            log.append(("sync_fixture_person", str(pk), "U"))
        elif choice == "delete":
            pk = rng.choice(people)
            residences = list(Residence.objects.filter(person_id=pk).values_list("pk", flat=True))
            Person.objects.filter(pk=pk).delete()
            log.extend(("sync_fixture_residence", str(r), "D") for r in residences)
            log.append(("sync_fixture_person", str(pk), "D"))
        else:
            residence = Residence.objects.create(person_id=rng.choice(people),
                                                 province_code="01",
                                                 since=datetime.date(2020, 1, 1))
            log.append(("sync_fixture_residence", str(residence.pk), "I"))

    for _ in range(40):
        log: list = []
        commit = rng.random() < 0.5
        try:
            with transaction.atomic():
                for _ in range(rng.randint(1, 4)):
                    random_write(log)
                if rng.random() < 0.3:
                    try:
                        with transaction.atomic():
                            random_write([])  # thrown away with its savepoint
                            raise RuntimeError("savepoint")
                    except RuntimeError:
                        pass
                if not commit:
                    raise RuntimeError("rollback")
        except RuntimeError:
            assert not commit
        if commit:
            committed.extend(log)

    assert sorted(changes()) == sorted(committed), f"seed {seed}"
