"""seed_demo's grading part: two approved semesters with a realistic spread, work in
progress for the demo teacher — fast and idempotent."""

import time

import pytest
from django.contrib.auth import get_user_model

from grading.models import GradebookStatus, LearnerRound, ModuleResult, Score, Standing, TermSummary
from vetschool import demo

pytestmark = pytest.mark.django_db


def test_seed_demo_fills_two_semesters_of_approved_scores(client):
    started = time.perf_counter()
    demo.seed_all()
    elapsed = time.perf_counter() - started
    summaries = TermSummary.objects.all()
    # the classes studying now (degrees' demo adds its finished classes' last semesters)
    semesters = set(summaries.exclude(
        enrollment__class_memberships__homeroom_class__status="finished")
        .values_list("semester", flat=True))
    assert len(semesters) == 2
    results = ModuleResult.objects.all()
    assert results.count() > 100
    assert results.filter(passed=True).count() > results.count() * 0.7  # most pass
    assert results.filter(attempts=2, passed=True).exists()  # passed at the retake
    assert results.filter(status="must_restudy").exists()
    assert summaries.filter(standing=Standing.WARNING).exists()
    assert Score.objects.filter(locked=True, mark="KP").exists()
    # The demo learner has a transcript with both semesters and a GPA.
    learner = get_user_model().objects.get(username="learner")
    client.force_login(learner)
    data = client.get(f"/api/v1/learners/{learner.learner.pk}/transcript/").json()
    terms = data["enrollments"][0]["semesters"]
    assert len(terms) == 2 and terms[-1]["cumulative_gpa_4"] is not None
    # The demo teacher has one section in progress and one waiting for approval.
    teacher = get_user_model().objects.get(username="teacher")
    from grading.models import Gradebook

    mine = Gradebook.objects.filter(section__assignments__staff__user=teacher,
                                    section__semester__ends_on__gte=learner.date_joined.date())
    assert mine.filter(status=GradebookStatus.SUBMITTED).exists()
    assert mine.filter(status=GradebookStatus.DRAFT, version__gt=0).exists()

    # An internship section this semester: learners placed at partner enterprises, one
    # evaluated by its mentor, whose scores are in the section's gradebook.
    from grading.models import MentorEvaluation, Placement

    placements = Placement.objects.select_related("section_learner__section__module")
    assert placements.exists()
    assert all(p.section_learner.section.module.kind == "internship" for p in placements)
    evaluation = MentorEvaluation.objects.get()
    assert Score.objects.filter(section_learner=evaluation.placement.section_learner,
                                score__isnull=False).exists()

    before = (Score.objects.count(), LearnerRound.objects.count(), ModuleResult.objects.count(),
              Placement.objects.count())
    demo.seed_all()
    assert (Score.objects.count(), LearnerRound.objects.count(),
            ModuleResult.objects.count(), Placement.objects.count()) == before
    assert elapsed < 180
