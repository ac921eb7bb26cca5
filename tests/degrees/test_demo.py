"""seed_demo's degrees part: one class graduated with a decision and diplomas, one replaced
and one revoked, a certified copy and requests — idempotent."""

import pytest

from degrees.models import (
    CertifiedCopy,
    CopyRequest,
    Diploma,
    DiplomaStatus,
    GraduationDecision,
)
from enrollment.models import EnrollmentStatus
from vetschool import demo

pytestmark = pytest.mark.django_db


def test_seed_demo_degrees_part(client):
    demo.seed_all()
    decision = GraduationDecision.objects.get()
    assert decision.lines.count() == 9  # ten reviewed, one below the minimum
    statuses = sorted(Diploma.objects.values_list("status", flat=True))
    assert statuses.count(DiplomaStatus.ISSUED) == 8
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
    demo.seed_all()
    assert (Diploma.objects.count(), GraduationDecision.objects.count()) == counts
