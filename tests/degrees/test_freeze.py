"""A graduation decision freezes the results it relied on: the service refuses amendments,
and the database refuses any change to the results of a graduated enrolment."""

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction

from degrees.services.decisions import decision_record
from degrees.services.review import review_run
from enrollment.models import Enrollment
from grading.models import Amendment, ModuleResult, TermSummary
from grading.services.amendments import amendment_request
from tests.degrees.factories import DECISION_DATE, REVIEW_DATE, finished_class, institution
from tests.grading.factories import section, world
from tests.grading.test_gradebook import fill, submit_and_approve
from training.models import SectionLearner

pytestmark = pytest.mark.django_db


def test_results_of_a_graduated_enrolment_cannot_change(registrar):
    w = finished_class(2)
    decision_record(review=review_run(homeroom_class=w.homeroom_class, by=registrar,
                                      review_date=REVIEW_DATE),
                    number="1/QĐ", date_=DECISION_DATE, signer_name="A", signer_title="",
                    by=registrar)
    graduated = w.enrollments[0]
    with pytest.raises(DatabaseError, match="frozen"), transaction.atomic():
        ModuleResult.objects.filter(enrollment=graduated).update(passed=False,
                                                                 status="must_restudy")
    with pytest.raises(DatabaseError, match="frozen"), transaction.atomic():
        TermSummary.objects.filter(enrollment=graduated).delete()
    # A recomputation that changes nothing passes.
    assert ModuleResult.objects.filter(enrollment=graduated).update(attempts=1) == 5


def test_an_amendment_of_a_graduated_learner_is_refused(teacher, registrar):
    institution()
    w = world(2)
    sec = section(w, "MH08", teacher=teacher)
    fill(sec, teacher, {"TX1": ["8.5", "7"], "DK1": ["8", "7"], "THI1": ["9", "8"]})
    submit_and_approve(sec, teacher, registrar)
    enrollment = w.enrollments[0]
    Enrollment.objects.filter(pk=enrollment.pk).update(status="graduated")
    section_learner = SectionLearner.objects.get(section=sec, enrollment=enrollment)
    with pytest.raises(ValidationError, match="graduated"):
        amendment_request(gradebook=sec.gradebook, section_learner=section_learner,
                          column="THI1", value="5", reason="typo", by=teacher)
    assert not Amendment.objects.exists()
