"""A change of the rules in force is recorded (who, when, old and new value) and the
transcript's footnote names the rules and since when (REGULATIONS §11)."""

import pytest
from django.core.management import call_command
from django.db import DatabaseError, transaction
from django.urls import reverse
from django.utils import timezone

from grading.models import RuleSetChange
from grading.services.rulesets import rule_set_in_force, rule_set_record
from grading.transcripts import transcript_of
from tests.enrollment.factories import enrol

pytestmark = pytest.mark.django_db


def test_a_change_is_recorded_once_with_its_old_and_new_values(settings):
    rule_set_record(by="setup")  # whatever is recorded, the defaults are now
    assert rule_set_record(by="nobody") is None  # nothing changed: nothing recorded

    settings.GRADING_RULES = {"pass_mark": "5.0", "min_age_college": 18}
    settings.GRADING_RULES_CHANGED_BY = "Phòng Đào tạo"
    change = rule_set_record()

    assert change.by == "Phòng Đào tạo"
    assert change.changes == {"pass_mark": {"old": "4.0", "new": "5.0"},
                              "min_age_college": {"old": 17, "new": 18}}
    assert change.values["pass_mark"] == "5.0"
    assert rule_set_in_force() == change
    assert rule_set_record() is None
    # A record of fact: never rewritten.
    with pytest.raises(DatabaseError), transaction.atomic():
        RuleSetChange.objects.filter(pk=change.pk).update(by="someone else")


def test_the_command_records_and_an_unrecorded_change_is_not_dated(settings, capsys):
    rule_set_record(by="setup")
    settings.GRADING_RULES = {"graduation_min_gpa": "2.10"}
    assert rule_set_in_force() is None  # changed, not recorded yet
    call_command("record_grading_rules", by="ops")
    assert "graduation_min_gpa" in capsys.readouterr().out
    assert RuleSetChange.objects.latest().by == "ops"
    assert rule_set_in_force() is not None


def test_the_transcript_footnote_shows_the_rules_in_force_and_since_when(
        settings, client, registrar):
    settings.GRADING_RULES = {"pass_mark": "5.0"}
    change = rule_set_record(by="ops")
    enrollment = enrol()
    note = transcript_of(enrollment.learner).rules
    assert note.since == change.at and note.pass_mark == "5.0"
    assert note.graduation_min_gpa == "2.00" and "A ≥ 8.5" in note.letters
    client.force_login(registrar)
    page = client.get(reverse("grading:transcript", args=[enrollment.learner_id]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "rules-in-force" in text and "5.0" in text
    assert timezone.localtime(change.at).strftime("%d/%m/%Y %H:%M") in text
