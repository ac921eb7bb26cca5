"""What must hold when two registrars (or two applicants) act at the same moment.

Real PostgreSQL, real transactions in threads. The test holds the contended row's lock
itself while the threads start, so both reach the critical section together: without
the service's SELECT ... FOR UPDATE they would both see the same state.
"""

import threading
import time
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from enrollment import services
from enrollment.models import Application, Learner, LearnerCodeCounter, RoundQuota
from tests.enrollment.factories import application, occupation, open_round, pdf, person

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]


def _in_threads(*calls):
    """Run each call in its own thread (own connection, own transaction)."""
    results: list = [None] * len(calls)

    def runner(index, call):
        try:
            results[index] = call()
        except Exception as exc:
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=runner, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    return threads, results


def _join(threads):
    for thread in threads:
        thread.join(timeout=30)
        assert not thread.is_alive()


def test_two_registrars_admitting_at_once_never_exceed_the_quota(registrar, superuser):
    it = occupation("6480201", "Công nghệ thông tin")
    round_ = open_round(quotas={it: 1})
    first, second = application(round_, [it]), application(round_, [it])

    with transaction.atomic():
        RoundQuota.objects.select_for_update().get(round=round_, occupation=it)
        threads, results = _in_threads(
            lambda: services.application_admit(application=first, by=registrar),
            lambda: services.application_admit(application=second, by=superuser),
        )
        time.sleep(0.5)  # both threads are now waiting for the quota row
    _join(threads)

    admitted = [r for r in results if not isinstance(r, Exception)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(admitted) == 1, results
    assert len(refused) == 1 and refused[0].code == "quota_full"
    assert Application.objects.filter(status="admitted").count() == 1


def test_many_parallel_admissions_fill_the_quota_exactly(registrar):
    it = occupation("6480201", "Công nghệ thông tin")
    round_ = open_round(quotas={it: 3})
    applications = [application(round_, [it]) for _ in range(8)]
    barrier = threading.Barrier(len(applications))

    def admit(app):
        def call():
            barrier.wait()
            return services.application_admit(application=app, by=registrar)
        return call

    threads, results = _in_threads(*(admit(a) for a in applications))
    _join(threads)
    assert Application.objects.filter(status="admitted").count() == 3
    assert sum(isinstance(r, ValidationError) for r in results) == 5


def test_concurrent_enrolments_get_distinct_consecutive_learner_codes(registrar):
    it = occupation("6480201", "Công nghệ thông tin")
    round_ = open_round(year=2026, quotas={it: 10})
    admitted = [
        services.application_admit(application=application(round_, [it]), by=registrar)
        for _ in range(3)
    ]
    services.application_enroll(application=admitted[0], by=registrar,
                                decision_number="1/QĐ", decision_date=date(2026, 1, 5))

    with transaction.atomic():
        LearnerCodeCounter.objects.select_for_update().get(prefix="266201")
        threads, results = _in_threads(*(
            (lambda a=a: services.application_enroll(
                application=a, by=registrar, decision_number="2/QĐ",
                decision_date=date(2026, 1, 5)))
            for a in admitted[1:]
        ))
        time.sleep(0.5)
    _join(threads)

    assert not [r for r in results if isinstance(r, Exception)], results
    codes = sorted(Learner.objects.values_list("code", flat=True))
    assert codes == ["2662010001", "2662010002", "2662010003"]


def test_the_same_person_submitting_twice_at_once_gets_one_application(settings):
    it = occupation("6480201", "Công nghệ thông tin")
    round_ = open_round(quotas={it: 10})
    data = person()
    barrier = threading.Barrier(2)

    def submit():
        barrier.wait()
        return services.application_submit(
            round=round_, wishes=[it], documents=[("id_card", pdf()), ("certificate", pdf())],
            consent=True, **data,
        )

    threads, results = _in_threads(submit, submit)
    _join(threads)
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert Application.objects.count() == 1
    assert len(refused) == 1
    assert "cannot be submitted twice" in refused[0].message_dict["national_id"][0]
    stored = [p for p in settings.MEDIA_ROOT.rglob("*") if p.is_file()]
    assert len(stored) == 2  # the refused submission left no file behind
