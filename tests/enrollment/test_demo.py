"""seed_demo's enrolment part: the promised volumes, every status, valid data, idempotent."""

import pytest
from django.core.management import call_command
from django.db.models import Count

from enrollment.eligibility import is_old_enough_for_admission
from enrollment.models import (
    AdmissionRound,
    Application,
    ApplicationStatus,
    Enrollment,
    EnrollmentStatus,
    Learner,
)
from enrollment.services.common import national_id_errors, province_codes

pytestmark = pytest.mark.django_db


def test_seed_demo_adds_rounds_applications_and_learners_once(client):
    call_command("seed_demo", verbosity=0)
    counts = (AdmissionRound.objects.count(), Application.objects.count(),
              Learner.objects.count(), Enrollment.objects.count())
    call_command("seed_demo", verbosity=0)
    assert (AdmissionRound.objects.count(), Application.objects.count(),
            Learner.objects.count(), Enrollment.objects.count()) == counts

    assert AdmissionRound.objects.count() == 2
    assert 180 <= Application.objects.count() <= 220
    assert set(Application.objects.values_list("status", flat=True)) == set(ApplicationStatus)
    assert 280 <= Learner.objects.count() <= 320
    assert set(Enrollment.objects.values_list("status", flat=True)) == set(EnrollmentStatus)
    assert Enrollment.objects.values("occupation").distinct().count() >= 10

    codes = province_codes()
    for person in [*Learner.objects.all(), *Application.objects.all()]:
        assert not national_id_errors(person.national_id, date_of_birth=person.date_of_birth,
                                      gender=person.gender, codes=codes), person
    for application in Application.objects.prefetch_related("wishes__occupation").select_related(
            "round"):
        for wish in application.wishes.all():
            assert is_old_enough_for_admission(application.date_of_birth.year,
                                               application.round.year, wish.occupation.level)
    over_quota = [
        row for row in Application.objects.filter(status__in=["admitted", "enrolled"])
        .values("round", "admitted_occupation").annotate(n=Count("id"))
        if row["n"] > AdmissionRound.objects.get(pk=row["round"]).quotas.get(
            occupation=row["admitted_occupation"]).places
    ]
    assert over_quota == []

    demo = Learner.objects.get(user__username="learner")
    assert demo.full_name == "Trần Thị Ánh Dương"
    response = client.post("/accounts/login/", {"username": "learner",
                                                "password": "vetschool-demo"})
    assert response.status_code == 302
    assert demo.code in client.get("/student/record/").content.decode()
