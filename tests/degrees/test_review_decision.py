"""Graduation review of a class, adjustments with reasons, the decision and its effects."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction

from degrees.models import DecisionLine, ReviewLine, ReviewStatus
from degrees.services.decisions import decision_record
from degrees.services.review import review_adjust
from enrollment.models import EnrollmentStatus, EnrollmentStatusChange
from tests.degrees.factories import DECISION_DATE, finished_class, reviewed

pytestmark = pytest.mark.django_db


def _lines(review):
    return {line.enrollment.learner.full_name: line for line in
            ReviewLine.objects.filter(review=review).select_related("enrollment__learner")}


def test_review_gives_every_reason_and_the_downgraded_classification(registrar):
    w = finished_class(4, gpas={1: "1.80", 2: "3.60", 3: "3.10"}, failed={1: ["MH03", "MH08"]},
                       retaken={2: 1, 3: 2})
    review = reviewed(w, registrar)
    lines = _lines(review)

    first = lines["Nguyễn Thị Ánh"]
    assert (first.eligible, first.reasons, first.proposed_classification) == (
        True, [], "very_good")
    assert first.earned_credits == first.required_credits == 17
    failing = lines["Trần Văn Bình"]
    assert failing.eligible is False
    # MH08 missing, GPA 1.80 < 2.00, physical education (condition module MH03) not passed.
    assert failing.reasons == ["CREDITS_OR_MODULES", "GPA", "CONDITION_MODULES"]
    assert failing.final_eligible is False and failing.final_classification == ""
    excellent_retaken = lines["Lê Hoàng Cường"]
    assert (excellent_retaken.proposed_classification, excellent_retaken.downgraded) == (
        "very_good", True)
    very_good_two_retakes = lines["Phạm Thu Dung"]
    assert (very_good_two_retakes.proposed_classification,
            very_good_two_retakes.downgraded) == ("good", True)
    assert review.status == ReviewStatus.OPEN
    # Nothing decided yet: enrolments are still studying.
    assert all(e.status == EnrollmentStatus.STUDYING for e in
               type(w.enrollments[0]).objects.filter(pk__in=[e.pk for e in w.enrollments]))


def test_off_schedule_without_application_is_a_reason(registrar):
    w = finished_class(1)
    type(w.enrollments[0]).objects.filter(pk=w.enrollments[0].pk).update(
        expected_end_date=date(2028, 7, 1))
    line = reviewed(w, registrar).lines.get()
    assert line.reasons == ["NO_APPLICATION"]


def test_an_adjustment_needs_a_reason_and_changes_only_the_verdict(registrar):
    w = finished_class(2, gpas={1: "1.90"})
    review = reviewed(w, registrar)
    line = _lines(review)["Trần Văn Bình"]
    with pytest.raises(ValidationError) as exc:
        review_adjust(line=line, eligible=True, classification="average", reason="  ",
                      by=registrar)
    assert "reason" in exc.value.message_dict
    review_adjust(line=line, eligible=True, classification="average",
                  reason="GPA corrected by amendment 12/2026", by=registrar)
    line.refresh_from_db()
    assert (line.eligible, line.final_eligible, line.final_classification) == (
        False, True, "average")
    assert line.adjustments.get().by == registrar
    # The computed proposal itself cannot be rewritten.
    with pytest.raises(DatabaseError), transaction.atomic():
        ReviewLine.objects.filter(pk=line.pk).update(eligible=True)


def test_the_decision_graduates_the_recognised_with_history_and_closes_the_review(registrar):
    w = finished_class(3, gpas={2: "1.50"})
    review = reviewed(w, registrar)
    decision = decision_record(review=review, number="245/QĐ-CĐSH", date_=DECISION_DATE,
                               signer_name="TS. Vũ Quang Minh", signer_title="Hiệu trưởng",
                               by=registrar)
    assert decision.lines.count() == 2
    graduated = {line.enrollment_id for line in decision.lines.all()}
    for enrollment in w.enrollments:
        enrollment.refresh_from_db()
        expected = (EnrollmentStatus.GRADUATED if enrollment.pk in graduated
                    else EnrollmentStatus.STUDYING)
        assert enrollment.status == expected
    change = EnrollmentStatusChange.objects.get(enrollment_id=min(graduated),
                                                to_status=EnrollmentStatus.GRADUATED)
    assert (change.decision_number, change.source, change.by) == ("245/QĐ-CĐSH", "degrees",
                                                                  registrar)
    review.refresh_from_db()
    assert review.status == ReviewStatus.DECIDED
    with pytest.raises(ValidationError):
        review_adjust(line=review.lines.first(), eligible=False, classification="",
                      reason="late", by=registrar)
    with pytest.raises(ValidationError):
        decision_record(review=review, number="246/QĐ-CĐSH", date_=DECISION_DATE,
                        signer_name="X", signer_title="", by=registrar)
    # Decisions are append-only.
    with pytest.raises(DatabaseError), transaction.atomic():
        DecisionLine.objects.filter(decision=decision).delete()


def test_a_decision_number_is_used_once(registrar):
    w1, w2 = finished_class(1), finished_class(1)
    decision_record(review=reviewed(w1, registrar), number="7/QĐ", date_=DECISION_DATE,
                    signer_name="A", signer_title="", by=registrar)
    with pytest.raises(ValidationError) as exc:
        decision_record(review=reviewed(w2, registrar), number="7/QĐ", date_=DECISION_DATE,
                        signer_name="A", signer_title="", by=registrar)
    assert "number" in exc.value.message_dict
