"""Selectors: who sees what, and the shared filters used outside the API."""

import pytest
from django.core.exceptions import ValidationError

from enrollment import selectors
from tests.enrollment.factories import LearnerFactory, application, enrol, occupation, open_round

pytestmark = pytest.mark.django_db


def test_learner_filters_need_one_enrolment_matching_them_all(registrar):
    it, welding = occupation("6480201"), occupation("5520123", "Hàn")
    both = LearnerFactory()
    enrol(both, welding, year=2024)
    enrol(both, it, year=2025)
    college_2024 = LearnerFactory()
    enrol(college_2024, it, year=2024)

    found = selectors.learner_list(user=registrar,
                                   filters={"level": "college", "admission_year": 2024})
    assert list(found) == [college_2024]
    assert set(selectors.learner_list(user=registrar, filters={"occupation": "5520123"})) == {
        both}


def test_application_filters_and_search_outside_the_api(registrar):
    it = occupation("6480201")
    round_ = open_round(quotas={it: 3})
    an = application(round_, [it], full_name="Nguyễn Văn An")
    application(round_, [it], full_name="Lê Thị Hoa")
    found = selectors.application_list(user=registrar,
                                       filters={"round": round_.pk, "search": "nguyen an"})
    assert list(found) == [an]
    with pytest.raises(ValidationError):
        list(selectors.application_list(user=registrar, filters={"status": "nonsense"}))


def test_people_without_the_right_see_nothing(teacher, learner):
    LearnerFactory()
    assert not selectors.learner_list(user=teacher).exists()
    assert not selectors.application_list(user=learner).exists()
    assert not selectors.enrollment_list(user=teacher).exists()
