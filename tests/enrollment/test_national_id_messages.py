"""Every example of tests/examples/national_id.csv (copied from the domain examples,
REGULATIONS §6.2) through the enrolment path: a valid number is accepted, a wrong one is
refused with one message per wrong part, each naming that part — on the application
service (nothing stored) and on a learner correction."""

import csv
from datetime import date
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from enrollment import services
from enrollment.models import Application
from enrollment.services.common import national_id_errors, province_codes
from tests.enrollment.factories import LearnerFactory, occupation, open_round, submit

pytestmark = pytest.mark.django_db

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
with (EXAMPLES / "national_id.csv").open(encoding="utf-8", newline="") as _file:
    ROWS = list(csv.DictReader(_file))


def _expected_fragments(row) -> list[str]:
    """What the message of each wrong part must say, from the row itself."""
    number, year = row["national_id"], int(row["birth_year"])
    fragments = {
        "format": "exactly 12 digits",
        "province": f"The first 3 digits ({number[:3]})",
        "century": f"The 4th digit ({number[3:4]}) means born between",
        "gender": f"The 4th digit ({number[3:4]}) does not match the recorded gender",
        "birth_year": f"Digits 5-6 ({number[4:6]}) do not match the last two digits of the "
                      f"birth year {year}",
    }
    codes = row["expected_errors"].split(";") if row["expected_errors"] else []
    return [fragments[code] for code in codes]


@pytest.mark.parametrize("row", ROWS, ids=[row["id"] for row in ROWS])
def test_each_wrong_part_of_a_personal_id_is_named(row):
    dob = date(int(row["birth_year"]), 6, 15)
    messages = national_id_errors(row["national_id"], date_of_birth=dob, gender=row["gender"],
                                  codes=province_codes())
    expected = _expected_fragments(row)
    assert len(messages) == len(expected), messages
    for message, fragment in zip(messages, expected, strict=True):
        assert fragment in message, (message, fragment)
    assert (messages == []) is (row["expected_valid"] == "true")


INVALID = [row for row in ROWS if row["expected_valid"] != "true"]


@pytest.mark.parametrize("row", INVALID, ids=[row["id"] for row in INVALID])
def test_an_application_with_a_wrong_personal_id_is_refused_saying_which_part(row, settings):
    # The applicant's birth year keeps them old enough (18-25 in the round's year).
    it = occupation("5480201", "Tin học ứng dụng")
    round_ = open_round(year=int(row["birth_year"]) + 18, quotas={it: 5})
    with pytest.raises(ValidationError) as excinfo:
        submit(round_, [it], national_id=row["national_id"], gender=row["gender"],
               date_of_birth=date(int(row["birth_year"]), 6, 15))
    messages = excinfo.value.message_dict["national_id"]
    for fragment in _expected_fragments(row):
        assert any(fragment in m for m in messages), (fragment, messages)
    assert Application.objects.count() == 0
    media = Path(settings.MEDIA_ROOT)
    assert not media.exists() or not [p for p in media.rglob("*") if p.is_file()]


@pytest.mark.parametrize("row", INVALID[:6], ids=[row["id"] for row in INVALID[:6]])
def test_a_learner_correction_with_a_wrong_personal_id_says_which_part(row, registrar):
    dob = date(int(row["birth_year"]), 6, 15)
    learner = LearnerFactory(date_of_birth=dob, gender=row["gender"])
    before = learner.national_id
    with pytest.raises(ValidationError) as excinfo:
        services.learner_update(learner=learner, by=registrar, national_id=row["national_id"])
    messages = excinfo.value.message_dict["national_id"]
    for fragment in _expected_fragments(row):
        assert any(fragment in m for m in messages), (fragment, messages)
    learner.refresh_from_db()
    assert learner.national_id == before
