"""Disciplinary decisions and graduation holds: recorded by the training office only, an
expulsion expelling the enrolment through the status service, never edited in place (a
revocation or a lifting is recorded once), constraints in the database."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, IntegrityError, transaction
from django.urls import reverse

from enrollment.models import (
    DisciplineLevel,
    DisciplineRecord,
    EnrollmentStatus,
    GraduationHold,
    HoldKind,
)
from enrollment.selectors import conduct_facts
from enrollment.services import discipline_record, discipline_revoke, hold_lift, hold_place
from tests.enrollment.factories import enrol

pytestmark = pytest.mark.django_db

DAY = date(2026, 3, 10)


def _warning(enrollment, by, **extra):
    values = {"level": DisciplineLevel.WARNING, "decision_number": "15/QĐ-CĐSH",
              "decision_date": DAY, "reason": "Vi phạm quy chế thi"} | extra
    return discipline_record(enrollment=enrollment, by=by, **values)


def test_the_registrar_records_a_warning_with_its_decision(registrar):
    enrollment = enrol()
    record = _warning(enrollment, registrar)
    assert (record.level, record.decision_number, record.recorded_by) == (
        "warning", "15/QĐ-CĐSH", registrar)
    assert record.status_change is None
    enrollment.refresh_from_db()
    assert enrollment.status == EnrollmentStatus.STUDYING
    assert record.events.count() == 1  # pghistory keeps the record's history


@pytest.mark.parametrize("who", ["qa_officer", "teacher", "learner"])
def test_no_one_but_the_training_office_records_discipline(who, request):
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        _warning(enrol(), user)
    assert not DisciplineRecord.objects.exists()


def test_an_expulsion_expels_through_the_status_service_and_a_revocation_restores(registrar):
    enrollment = enrol()
    record = discipline_record(enrollment=enrollment, level=DisciplineLevel.EXPULSION,
                               decision_number="30/QĐ-CĐSH", decision_date=DAY,
                               reason="Gian lận thi cử lần hai", by=registrar)
    enrollment.refresh_from_db()
    assert enrollment.status == EnrollmentStatus.EXPELLED
    change = record.status_change
    assert (change.to_status, change.decision_number, change.source) == (
        "expelled", "30/QĐ-CĐSH", "registrar")
    discipline_revoke(record=record, decision_number="41/QĐ-CĐSH", decision_date=date(2026, 4, 2),
                      reason="Khiếu nại được chấp nhận", by=registrar)
    enrollment.refresh_from_db()
    record.refresh_from_db()
    assert enrollment.status == EnrollmentStatus.STUDYING
    assert (record.revoked, record.revocation_number) == (True, "41/QĐ-CĐSH")
    with pytest.raises(ValidationError):
        discipline_revoke(record=record, decision_number="42/QĐ", decision_date=date(2026, 4, 3),
                          reason="Lần nữa", by=registrar)


@pytest.mark.parametrize(("extra", "field"), [
    ({"level": DisciplineLevel.SUSPENSION}, "suspended_until"),
    ({"suspended_from": date(2026, 3, 1), "suspended_until": date(2026, 4, 1)},
     "suspended_from"),
    ({"reason": " "}, "reason"),
    ({"decision_number": ""}, "decision_number"),
])
def test_the_service_refuses_an_incomplete_decision(extra, field, registrar):
    with pytest.raises(ValidationError) as caught:
        _warning(enrol(), registrar, **extra)
    assert field in caught.value.message_dict


def test_the_facts_are_frozen_and_nothing_is_deleted(registrar):
    record = _warning(enrol(), registrar)
    with pytest.raises(DatabaseError), transaction.atomic():
        DisciplineRecord.objects.filter(pk=record.pk).update(level="reprimand")
    with pytest.raises(DatabaseError), transaction.atomic():
        DisciplineRecord.objects.filter(pk=record.pk).delete()
    discipline_revoke(record=record, decision_number="16/QĐ", decision_date=DAY,
                      reason="Nhầm người", by=registrar)
    with pytest.raises(DatabaseError), transaction.atomic():
        DisciplineRecord.objects.filter(pk=record.pk).update(revocation_reason="khác")


def test_the_database_refuses_a_suspension_without_its_term(registrar):
    with pytest.raises(IntegrityError), transaction.atomic():
        DisciplineRecord.objects.create(
            enrollment=enrol(), level=DisciplineLevel.SUSPENSION, decision_number="1/QĐ",
            decision_date=DAY, reason="x", recorded_by=registrar)


def test_a_hold_counts_while_in_force_and_is_lifted_once(registrar):
    enrollment = enrol()
    hold = hold_place(enrollment=enrollment, kind=HoldKind.PROSECUTION, reference="CV 12/CA",
                      since=date(2026, 5, 4), reason="Khởi tố bị can", by=registrar)
    assert conduct_facts([enrollment.pk], date(2026, 6, 1))[enrollment.pk].prosecuted is True
    assert conduct_facts([enrollment.pk], date(2026, 5, 1))[enrollment.pk].prosecuted is False
    hold_lift(hold=hold, lifted_on=date(2026, 6, 10), reason="Đình chỉ điều tra", by=registrar)
    assert conduct_facts([enrollment.pk], date(2026, 6, 20))[enrollment.pk].prosecuted is False
    with pytest.raises(ValidationError):
        hold_lift(hold=hold, lifted_on=date(2026, 6, 11), reason="Lần nữa", by=registrar)
    with pytest.raises(DatabaseError), transaction.atomic():
        GraduationHold.objects.filter(pk=hold.pk).update(lifted_on=date(2026, 6, 12))


def test_conduct_facts_leave_out_revoked_and_art17_forms(registrar):
    enrollment = enrol()
    _warning(enrollment, registrar, art17_excluded=True)
    revoked = discipline_record(enrollment=enrollment, level=DisciplineLevel.SUSPENSION,
                                decision_number="17/QĐ", decision_date=DAY, reason="x",
                                suspended_from=DAY, suspended_until=date(2026, 9, 1),
                                by=registrar)
    discipline_revoke(record=revoked, decision_number="18/QĐ", decision_date=DAY, reason="y",
                      by=registrar)
    _warning(enrollment, registrar, level=DisciplineLevel.REPRIMAND, decision_number="19/QĐ")
    facts = conduct_facts([enrollment.pk], date(2026, 6, 1))[enrollment.pk]
    assert facts.discipline_levels == ["reprimand"]
    assert facts.under_suspension_or_higher is False


# --- Admin ------------------------------------------------------------------------------------


def test_the_registrar_records_discipline_in_the_admin(client, registrar):
    enrollment = enrol()
    client.force_login(registrar)
    url = reverse("admin:enrollment_disciplinerecord_add")
    assert client.get(url).status_code == 200
    response = client.post(url, {
        "enrollment": enrollment.pk, "level": "warning", "decision_number": "15/QĐ-CĐSH",
        "decision_date": "2026-03-10", "reason": "Vi phạm quy chế thi"})
    record = DisciplineRecord.objects.get()
    assert response.status_code == 302
    assert (record.enrollment, record.level) == (enrollment, "warning")
    page = client.get(reverse("admin:enrollment_disciplinerecord_change", args=[record.pk]))
    assert page.status_code == 200


@pytest.mark.parametrize("who", ["qa_officer", "hr_officer"])
def test_other_staff_cannot_record_discipline_in_the_admin(client, who, request):
    client.force_login(request.getfixturevalue(who))
    response = client.post(reverse("admin:enrollment_disciplinerecord_add"), {
        "enrollment": enrol().pk, "level": "warning", "decision_number": "15/QĐ",
        "decision_date": "2026-03-10", "reason": "x"})
    assert response.status_code == 403
    assert not DisciplineRecord.objects.exists()
