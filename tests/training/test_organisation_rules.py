"""Training-organisation checks (REGULATIONS §3.3, §3.5, §10.2), each a clear error where a
record breaks it, with the values of the one rule set. Cases: tests/examples/semester_weeks.csv."""

import csv
import json
from datetime import date
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from enrollment.models import Enrollment, EnrollmentStatus
from tests.enrollment.factories import application, enrol, occupation, open_round
from tests.training.factories import (
    IT_MODULES,
    enrolments,
    homeroom_class,
    program,
    school_year,
    semester,
)
from tests.training.test_programs import codes
from training import services
from training.models import Section, SectionLearnerSource

pytestmark = pytest.mark.django_db
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"

with (EXAMPLES / "semester_weeks.csv").open(encoding="utf-8", newline="") as _file:
    WEEKS = list(csv.DictReader(_file))


@pytest.mark.parametrize("row", WEEKS, ids=[row["id"] for row in WEEKS])
def test_semester_lengths(row, settings):
    settings.GRADING_RULES = json.loads(row["overrides"]) if row["overrides"] else {}
    year = services.school_year_create(start_year=2025, starts_on=date(2025, 9, 1),
                                       ends_on=date(2026, 8, 31))
    save = {"school_year": year, "number": int(row["number"]),
            "starts_on": date.fromisoformat(row["starts_on"]),
            "ends_on": date.fromisoformat(row["ends_on"])}
    if not row["expected_error"]:
        assert services.semester_save(**save).pk
        return
    with pytest.raises(ValidationError) as caught:
        services.semester_save(**save)
    assert codes(caught.value) == {row["expected_error"]}
    assert "REGULATIONS §3.5" in " ".join(caught.value.messages)


# --- §3.5 practice classes ----------------------------------------------------------------

def _practice_section(*, hazardous: bool, members: int):
    school_year(2025)
    occ = occupation()
    occ.hazardous = hazardous
    occ.save()
    prog = program(occ)
    klass = homeroom_class(prog, members=members)
    module = prog.modules.get(code="MĐ07")
    return klass, module


@pytest.mark.parametrize(("hazardous", "members", "allowed"), [
    (False, 18, True), (False, 19, False), (True, 10, True), (True, 11, False)])
def test_a_practice_class_takes_at_most_18_or_10_learners(hazardous, members, allowed):
    klass, module = _practice_section(hazardous=hazardous, members=members)
    create = {"module": module, "semester": semester(2025, 1), "classes": [klass], "practice": True}
    if allowed:
        assert services.section_create(**create).learners.count() == members
        return
    with pytest.raises(ValidationError) as caught:
        services.section_create(**create)
    assert codes(caught.value) == {"practice_class_too_large"}
    assert str(10 if hazardous else 18) in caught.value.messages[0]
    assert not Section.objects.filter(module=module, practice=True).exists()
    # An ordinary (non-practice) section of the same class is not limited.
    assert services.section_create(**dict(create, practice=False)).learners.count() == members


def test_a_full_practice_class_refuses_one_more_learner_and_a_class_joining():
    klass, module = _practice_section(hazardous=True, members=10)
    section = services.section_create(module=module, semester=semester(2025, 1),
                                      classes=[klass], practice=True)
    extra = enrol(occ=module.program.occupation)
    services.class_enroll(homeroom_class=homeroom_class(module.program), enrollments=[extra],
                          on=date(2025, 9, 5))
    with pytest.raises(ValidationError) as caught:
        services.section_learner_add(section=section, enrollment=extra,
                                     source=SectionLearnerSource.RESTUDY, reason="Học lại")
    assert codes(caught.value) == {"practice_class_too_large"}
    with pytest.raises(ValidationError) as caught:
        services.class_enroll(homeroom_class=klass,
                              enrollments=enrolments(1, occ=module.program.occupation),
                              on=date(2025, 9, 6))
    assert codes(caught.value) == {"practice_class_too_large"}
    assert section.learners.filter(removed_at__isnull=True).count() == 10


def test_a_practice_section_capacity_above_the_limit_is_refused():
    klass, module = _practice_section(hazardous=False, members=0)
    with pytest.raises(ValidationError) as caught:
        services.section_create(module=module, semester=semester(2025, 1), capacity=25,
                                practice=True)
    assert codes(caught.value) == {"practice_class_too_large"}


# --- §10.2 the 50-credit minimum for lower-secondary entrants --------------------------

def test_a_lower_secondary_entrant_needs_an_intermediate_program_of_50_credits():
    school_year(2025)
    occ = occupation("5480202", "Tin học ứng dụng")
    # 37 credits over four semesters: enough for 35, not for 50.
    small = program(occ, modules=[*IT_MODULES[:9], IT_MODULES[12]])
    assert small.total_credits == 37
    klass = homeroom_class(small)
    round_ = open_round(year=2025)
    lower, upper = enrolments(2, occ=occ)
    Enrollment.objects.filter(pk=lower.pk).update(application=application(
        round_, [occ], education_level="lower_secondary", school_name="THCS Đống Đa",
        date_of_birth=date(2009, 3, 1)))
    Enrollment.objects.filter(pk=upper.pk).update(application=application(
        round_, [occ], education_level="upper_secondary", date_of_birth=date(2007, 3, 1)))
    lower.refresh_from_db()
    upper.refresh_from_db()

    with pytest.raises(ValidationError) as caught:
        services.class_enroll(homeroom_class=klass, enrollments=[lower, upper],
                              on=date(2025, 9, 5))
    assert codes(caught.value) == {"too_few_credits_lower_secondary"}
    assert "50" in " ".join(caught.value.messages)
    assert services.class_enroll(homeroom_class=klass, enrollments=[upper],
                                 on=date(2025, 9, 5)) == 1
    assert upper.status == EnrollmentStatus.STUDYING


# --- §3.3 program lengths the maximum-duration rule covers -------------------------------

@pytest.mark.parametrize(("months", "allowed"), [(11, False), (12, True), (36, True),
                                                 (37, False), (48, False)])
def test_a_program_length_outside_12_to_36_months_is_refused(months, allowed):
    create = {"occupation": occupation(), "effective_year": 2025, "duration_months": months}
    if allowed:
        assert services.program_create(**create).duration_months == months
        return
    with pytest.raises(ValidationError) as caught:
        services.program_create(**create)
    assert codes(caught.value) == {"program_length_out_of_range"}
    assert "12 to 36 months" in " ".join(caught.value.messages)
