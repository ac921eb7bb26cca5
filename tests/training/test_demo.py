"""seed_demo's training part: programs, classes for two admission years, this semester's
sections with teachers — idempotent."""

import time
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model

from training import services
from training.models import (
    ClassMembership,
    HomeroomClass,
    Module,
    Program,
    ProgramStatus,
    Section,
    SectionLearner,
    SectionMeeting,
    TeachingAssignment,
)
from vetschool import demo

pytestmark = pytest.mark.django_db(transaction=False)


def counts():
    return (SectionMeeting.objects.count(), Program.objects.count(), Module.objects.count(),
            HomeroomClass.objects.count(),
            ClassMembership.objects.count(), Section.objects.count(),
            SectionLearner.objects.count(), TeachingAssignment.objects.count())


# The demo is built around today: a fixed day makes its years and semester known here.
@pytest.mark.time_machine(datetime(2026, 10, 1, 10, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")))
def test_seed_demo_training_part(client):
    started = time.perf_counter()
    demo.seed_all()
    elapsed = time.perf_counter() - started
    programs = Program.objects.filter(status=ProgramStatus.ACTIVE).select_related("occupation")
    levels = {(p.occupation.code, p.occupation.level) for p in programs}
    assert ("6480201", "college") in levels and ("5340302", "intermediate") in levels
    assert len({code for code, _level in levels}) >= 3
    # Condition modules exist and are outside the GPA.
    assert Module.objects.filter(name_vi="Giáo dục thể chất", counts_in_gpa=False).exists()
    assert Module.objects.filter(name_vi="Giáo dục quốc phòng và an ninh",
                                 counts_in_gpa=False).exists()
    # Two versions of the IT program, both in use by one cohort each.
    it = Program.objects.filter(occupation__code="6480201").order_by("effective_year")
    assert it.count() == 2 and all(p.is_locked for p in it)
    # (degrees' demo adds an older class, finished and graduated.)
    years = set(HomeroomClass.objects.filter(status="active")
                .values_list("admission_year", flat=True))
    assert years == {2025, 2026}
    assert ClassMembership.objects.exists()
    # This semester's sections have teachers; the demo teacher teaches some.
    sections = Section.objects.filter(semester__school_year__start_year=2026,
                                      semester__number=1)
    assert sections.exists()
    assert not sections.filter(assignments__isnull=True).exists()
    teacher = get_user_model().objects.get(username="teacher")
    client.force_login(teacher)
    response = client.get("/teacher/")
    assert response.status_code == 200
    assert len(response.context["sections"]) >= 3
    assert sum(s.learner_count for s in response.context["sections"]) > 0
    # The indicator has a version without digital outcomes and an outdated IT program.
    registrar = get_user_model().objects.get(username="registrar")
    client.force_login(registrar)
    page = client.get("/training/indicators/programs/")
    assert [p.occupation_code for p in page.context["digital"].missing] == ["6520227"]
    assert [p.occupation_code for p in page.context["it"].outdated] == ["6480209"]

    # Issue #14: every section of this semester has its weekly slot, and nobody — room,
    # teacher or learner (the re-study group's too) — is booked twice. An internship is
    # spent at the enterprise: it has no slot at the college (grading's demo adds one).
    assert not sections.exclude(module__kind="internship").filter(
        meetings__isnull=True).exists()
    restudy = Section.objects.get(code="MH02-HOCLAI")
    assert restudy.meetings.exists() and restudy.learners.exists()
    assert services.find_clashes() == []

    before = counts()
    demo.seed_all()
    assert counts() == before
    assert services.find_clashes() == []
    assert elapsed < 120
