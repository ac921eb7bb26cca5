"""Migration staff/0003 tightens completion evidence without rewriting earlier records."""

from datetime import date

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from tests.staff import helpers

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("staff", "0002_digcompedu_framework")]


def _migrate(targets) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def test_a_completion_recorded_with_a_number_only_survives_the_migration():
    member = helpers.staff("GV0003")
    course = helpers.course("KN-OLD")
    participation = helpers.complete(member, course)
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes("staff")
    _migrate(BEFORE)
    try:
        with connection.cursor() as cursor:
            # As the rules of 0002 allowed: a certificate number, no file.
            cursor.execute("UPDATE staff_participation SET certificate = '' WHERE id = %s",
                           [participation.pk])
    finally:
        _migrate(latest)
    with connection.cursor() as cursor:
        cursor.execute("SELECT certificate, certificate_number, result FROM staff_participation "
                       "WHERE id = %s", [participation.pk])
        assert cursor.fetchone() == ("", "CC-1", "completed")
        # Any change to it now needs the file: the check holds for every written row.
        with pytest.raises(IntegrityError), transaction.atomic():
            cursor.execute("UPDATE staff_participation SET completed_on = %s WHERE id = %s",
                           [date(2024, 3, 30), participation.pk])
