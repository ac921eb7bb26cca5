"""The graduation review reads the one rule set (REGULATIONS §11) and keeps the values it
used: a later change of GRADING_RULES applies to later reviews only."""

import pytest
from django.db import DatabaseError, transaction

from degrees.models import GraduationReview, ReviewLine
from tests.degrees.factories import finished_class, reviewed

pytestmark = pytest.mark.django_db

RAISED_BANDS = {"class_bands": [["3.60", "excellent"], ["3.30", "very_good"],
                                ["2.50", "good"], ["2.00", "average"]]}


def _classes(review):
    return {line.enrollment.learner.full_name: line.proposed_classification for line in
            ReviewLine.objects.filter(review=review).select_related("enrollment__learner")}


def test_a_rule_change_applies_to_later_reviews_and_the_earlier_keeps_its_values(
        registrar, settings):
    w = finished_class(2, gpas={0: "3.55", 1: "3.20"})
    before = reviewed(w, registrar)
    assert sorted(_classes(before).values()) == ["excellent", "very_good"]
    assert before.rules["class_bands"][0] == ["3.50", "excellent"]

    settings.GRADING_RULES = RAISED_BANDS
    after = reviewed(w, registrar)

    # 3.55 < 3.60 and 3.20 < 3.30: each one band lower, as on the semester transcript.
    assert sorted(_classes(after).values()) == ["good", "very_good"]
    assert after.rules["class_bands"] == RAISED_BANDS["class_bands"]
    before.refresh_from_db()
    assert sorted(_classes(before).values()) == ["excellent", "very_good"]
    assert before.rules["class_bands"][0] == ["3.50", "excellent"]
    # The values a review applied are as fixed as its lines.
    with pytest.raises(DatabaseError), transaction.atomic():
        GraduationReview.objects.filter(pk=before.pk).update(rules={})


def test_the_retake_count_for_a_downgrade_is_read_from_the_rule_set(registrar, settings):
    w = finished_class(1, gpas={0: "3.60"}, retaken={0: 1})
    assert set(_classes(reviewed(w, registrar)).values()) == {"very_good"}
    settings.GRADING_RULES = {"downgrade_retakes": [["excellent", 2], ["very_good", 2]]}
    assert set(_classes(reviewed(w, registrar)).values()) == {"excellent"}
