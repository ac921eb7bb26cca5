"""The diploma register: numbers by the §5.4 formats, frozen facts, replacement, revocation,
certified copies; nothing deleted."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction

from degrees.models import CertifiedCopy, Diploma, DiplomaStatus
from degrees.services.register import (
    certified_copy_issue,
    diploma_issue,
    diploma_replace,
    diploma_revoke,
)
from enrollment.models import Learner
from tests.degrees.factories import ISSUE_DATE, finished_class, issued

pytestmark = pytest.mark.django_db


def test_issuing_numbers_the_diplomas_in_order_and_copies_the_facts(registrar):
    w = finished_class(3)
    decision, diplomas = issued(w, registrar)
    assert [d.serial_number for d in diplomas] == [
        "CDSH01-2026-000001", "CDSH01-2026-000002", "CDSH01-2026-000003"]
    level_code = {"college": "CD", "intermediate": "TC"}[diplomas[0].level]
    assert [d.register_number for d in diplomas] == [
        f"2026/{level_code}/0000{n}" for n in (1, 2, 3)]
    first = diplomas[0]
    assert first.holder_name == "Lê Hoàng Cường"  # issued in the order of names
    assert (first.decision_number, first.classification, first.graduation_year) == (
        "245/QĐ-CĐSH", "very_good", 2026)
    assert first.annex["credits"] == 17 and len(first.annex["modules"]) == 5
    assert first.annex["cumulative_gpa_4"] == "3.20"
    assert first.credential_id.startswith("urn:uuid:")
    assert len({d.status_index for d in diplomas}) == 3
    with pytest.raises(ValidationError):
        diploma_issue(line=first.decision_line, by=registrar)


def test_facts_are_frozen_a_later_edit_of_the_learner_changes_nothing(registrar):
    w = finished_class(1)
    _decision, (diploma,) = issued(w, registrar)
    Learner.objects.filter(pk=w.enrollments[0].learner_id).update(full_name="Tên Khác")
    diploma.refresh_from_db()
    assert diploma.holder_name == "Nguyễn Thị Ánh"
    with pytest.raises(DatabaseError), transaction.atomic():
        Diploma.objects.filter(pk=diploma.pk).update(holder_name="Tên Khác")
    with pytest.raises(DatabaseError), transaction.atomic():
        Diploma.objects.filter(pk=diploma.pk).delete()


def test_a_replacement_gets_new_numbers_and_the_old_one_is_marked_replaced(registrar):
    w = finished_class(2)
    _decision, diplomas = issued(w, registrar)
    old = diplomas[0]
    Learner.objects.filter(pk=old.enrollment.learner_id).update(full_name="Nguyễn Thị Ánh Hồng")
    new = diploma_replace(diploma=old, reason="Name misspelt on the diploma", by=registrar,
                          issue_date=date(2026, 8, 1))
    old.refresh_from_db()
    assert old.status == DiplomaStatus.REPLACED
    assert new.replaces == old and new.replacement_reason == "Name misspelt on the diploma"
    assert new.serial_number == "CDSH01-2026-000003"
    assert new.holder_name == "Nguyễn Thị Ánh Hồng"
    assert new.status == DiplomaStatus.ISSUED
    with pytest.raises(ValidationError):
        diploma_replace(diploma=old, reason="again", by=registrar)
    with pytest.raises(ValidationError):  # replaced is final
        diploma_revoke(diploma=old, reason="x", decision_number="1/QĐ",
                       decision_date=date(2026, 8, 2), by=registrar)
    with pytest.raises(DatabaseError), transaction.atomic():
        Diploma.objects.filter(pk=old.pk).update(status="issued")


def test_revocation_needs_reason_and_decision_and_is_final(registrar):
    w = finished_class(1)
    _decision, (diploma,) = issued(w, registrar)
    with pytest.raises(ValidationError) as exc:
        diploma_revoke(diploma=diploma, reason="", decision_number="", decision_date=None,
                       by=registrar)
    assert set(exc.value.message_dict) == {"reason", "decision_number"}
    diploma_revoke(diploma=diploma, reason="Forged admission documents",
                   decision_number="301/QĐ-CĐSH", decision_date=date(2026, 9, 1), by=registrar)
    diploma.refresh_from_db()
    assert diploma.status == DiplomaStatus.REVOKED and diploma.status_changed_by == registrar
    with pytest.raises(ValidationError):  # a revoked graduation is not issued again
        diploma_issue(line=diploma.decision_line, by=registrar)


def test_certified_copies_are_numbered_and_a_lost_diploma_is_not_reissued(registrar):
    w = finished_class(1)
    _decision, (diploma,) = issued(w, registrar)
    first = certified_copy_issue(diploma=diploma, requester_name="Nguyễn Thị Ánh",
                                 by=registrar, note="diploma lost")
    second = certified_copy_issue(diploma=diploma, requester_name="Nguyễn Thị Ánh",
                                  by=registrar)
    assert (first.number, second.number) == (1, 2)
    with pytest.raises(ValidationError):
        certified_copy_issue(diploma=diploma, requester_name=" ", by=registrar)
    with pytest.raises(DatabaseError), transaction.atomic():
        CertifiedCopy.objects.filter(pk=first.pk).delete()
    with pytest.raises(ValidationError):
        diploma_issue(line=diploma.decision_line, by=registrar, issue_date=ISSUE_DATE)


def test_without_an_institution_code_nothing_is_issued(registrar):
    from vetschool.reference.models import Institution

    w = finished_class(1)
    Institution.objects.filter(pk=1).update(ministry_code="")
    with pytest.raises(ValidationError, match="ministry code"):
        issued(w, registrar)
    assert not Diploma.objects.exists()
