"""seed_demo's degrees part: this year's class graduated with a decision and diplomas, one
replaced and one revoked, a certified copy and requests; last year's class graduated plainly
(its employment checkpoints have opened) — idempotent."""

import pytest

from degrees import graduation
from degrees.models import (
    CertifiedCopy,
    CopyRequest,
    Diploma,
    DiplomaStatus,
    GraduationApplication,
    GraduationDecision,
)
from enrollment.models import EnrollmentStatus
from vetschool import demo

pytestmark = pytest.mark.django_db


def test_seed_demo_degrees_part(client):
    demo.seed_all()
    earlier, decision = GraduationDecision.objects.order_by("date")
    assert decision.date.year == earlier.date.year + 1
    # last year's: the learner below the minimum is the only one left out
    assert (earlier.lines.count(), Diploma.objects.filter(
        decision_line__decision=earlier, status=DiplomaStatus.ISSUED).count()) == (9, 9)
    # Ten reviewed: one below the minimum, one without the defence-security certificate, one
    # without the IT certificate, one prosecuted, one late without an application.
    assert decision.lines.count() == 5
    statuses = sorted(Diploma.objects.filter(decision_line__decision=decision)
                      .values_list("status", flat=True))
    assert statuses.count(DiplomaStatus.ISSUED) == 4
    assert statuses.count(DiplomaStatus.REPLACED) == 1
    assert statuses.count(DiplomaStatus.REVOKED) == 1
    assert all(line.enrollment.status == EnrollmentStatus.GRADUATED
               for line in decision.lines.select_related("enrollment"))
    replacement = Diploma.objects.get(replaces__isnull=False)
    assert replacement.holder_name.endswith(" Anh")
    assert replacement.register_number.startswith(f"{replacement.year}/TC/")
    assert CertifiedCopy.objects.count() == 2
    assert set(CopyRequest.objects.values_list("status", flat=True)) == {"ready", "received"}
    response = client.get(f"/verify/{replacement.token}/")
    assert response.status_code == 200 and replacement.serial_number in response.content.decode()
    counts = (Diploma.objects.count(), GraduationDecision.objects.count())
    _every_condition_decided_from_records(decision.review)
    demo.seed_all()
    assert (Diploma.objects.count(), GraduationDecision.objects.count()) == counts


def _every_condition_decided_from_records(review):
    """The demo review decides every §4.1 condition from records: each reason is met by some
    learner and unmet by another; the warned learner is lowered without an adjustment."""
    lines = list(review.lines.select_related("enrollment__learner"))
    for code in graduation.ELIGIBILITY_REASONS:
        assert {code in line.reasons for line in lines} == {True, False}, code
    warned = next(line for line in lines if line.discipline_level == "warning")
    assert (warned.proposed_classification, warned.downgrade_reasons) == (
        "very_good", ["DISCIPLINE"])
    assert not warned.adjustments.exists()
    reprimanded = next(line for line in lines if line.discipline_level == "reprimand")
    assert reprimanded.downgraded is False
    assert GraduationApplication.objects.filter(
        enrollment__in=[line.enrollment for line in lines if line.final_eligible]).exists()
