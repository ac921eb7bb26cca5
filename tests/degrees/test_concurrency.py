"""20 issuances at the same moment on PostgreSQL: serials and register numbers unique, in
order and gapless (counter rows locked SELECT ... FOR UPDATE in each issuing transaction)."""

import threading

import pytest
from django.db import connection, connections

from degrees.models import DecisionLine, Diploma
from degrees.services.register import diploma_issue
from tests.degrees.factories import ISSUE_DATE, decided, finished_class

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 20


def test_twenty_concurrent_issues_give_unique_gapless_numbers(registrar):
    assert connection.vendor == "postgresql"
    w = finished_class(THREADS)
    decision = decided(w, registrar)
    lines = list(DecisionLine.objects.filter(decision=decision))
    assert len(lines) == THREADS
    barrier = threading.Barrier(THREADS)
    errors = []

    def issue(line):
        try:
            barrier.wait(timeout=30)
            diploma_issue(line=line, by=registrar, issue_date=ISSUE_DATE)
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=issue, args=(line,)) for line in lines]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    rows = list(Diploma.objects.order_by("serial_sequence")
                .values_list("serial_sequence", "register_sequence", "status_index",
                             "serial_number", "issued_at"))
    assert [r[0] for r in rows] == list(range(1, THREADS + 1))
    assert sorted(r[1] for r in rows) == list(range(1, THREADS + 1))
    assert sorted(r[2] for r in rows) == list(range(1, THREADS + 1))
    assert len({r[3] for r in rows}) == THREADS
    # In order: a later serial was never committed before an earlier one's transaction began.
    by_register = sorted(rows, key=lambda r: r[1])
    assert [r[0] for r in by_register] == [r[0] for r in rows]
