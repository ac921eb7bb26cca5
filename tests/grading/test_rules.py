"""grading.rules: who may do what, as a table of personas × rules."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from grading import rules
from tests.grading.factories import section, world

pytestmark = pytest.mark.django_db

PERSONAS = ["anonymous", "registrar", "teacher", "other_teacher", "learner", "qa_officer",
            "hr_officer", "superuser"]

# persona: (training office, reads all transcripts, writes the gradebook, asks amendments)
TABLE = {
    "anonymous": (False, False, False, False),
    "registrar": (True, True, False, True),
    "teacher": (False, False, True, True),
    "other_teacher": (False, False, False, False),
    "learner": (False, False, False, False),
    "qa_officer": (False, True, False, False),
    "hr_officer": (False, False, False, False),
    "superuser": (True, True, False, True),
}


@pytest.fixture
def book(teacher):
    return section(world(1), "MH08", teacher=teacher).gradebook


def _user(request, name):
    return AnonymousUser() if name == "anonymous" else request.getfixturevalue(name)


@pytest.mark.parametrize("persona", PERSONAS)
def test_rules_table(request, persona, book):
    user = _user(request, persona)
    office, transcripts, write, amend = TABLE[persona]
    assert rules.is_training_office(user) is office
    assert rules.can_read_all_transcripts(user) is transcripts
    assert rules.can_write_gradebook(user, book) is write
    assert rules.teaches(user, book.section_id) is write
    assert rules.can_request_amendment(user, book) is amend


@pytest.mark.parametrize("persona", PERSONAS)
def test_refusals_follow_the_table(request, persona, book):
    user = _user(request, persona)
    office, _transcripts, write, amend = TABLE[persona]
    for allowed, check in ((office, lambda: rules.require_office(user)),
                           (write, lambda: rules.require_teacher(user, book)),
                           (amend, lambda: rules.require_may_request_amendment(user, book))):
        if allowed:
            check()
        else:
            with pytest.raises(PermissionDenied):
                check()
