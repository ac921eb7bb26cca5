"""A push against a real sandbox process: exact end state, coalescing, keys, deletes."""

import pytest

from tests.sync.conftest import assert_sandbox_matches_college, make_people
from tests.sync_fixture.models import Person
from vetschool.sync import services
from vetschool.sync.models import Entry, Run

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_push_leaves_exactly_the_colleges_records_in_the_sandbox(national):
    make_people(2500)
    Person.objects.create(national_id=None, code="F1", full_name="Foreign Learner",
                          birth_date="2004-02-02")

    run = services.push_command()

    assert run.status == Run.Status.SUCCEEDED, run.error
    assert run.accepted == 2500
    assert_sandbox_matches_college(national)
    assert not Entry.objects.exclude(state=Entry.State.SENT).exists()
