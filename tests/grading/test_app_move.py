"""The grading models moved out of training (grading/0001) without touching their tables:
the triggers, content types and role permissions must have followed them."""

import pgtrigger
import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import connection

from vetschool.accounts import roles

pytestmark = pytest.mark.django_db


def grading_models():
    return list(apps.get_app_config("grading").get_models())


def installed_triggers(table: str) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE c.relname = %s AND t.tgname LIKE 'pgtrigger\\_%%'", [table])
        return {name for (name,) in cursor.fetchall()}


def test_the_tables_keep_their_training_names():
    tables = {model._meta.db_table for model in grading_models()}
    assert "training_gradebook" in tables and "training_moduleresultevent" in tables
    # Tables created in grading since the move carry its own label.
    born_in_grading = {"grading_rulesetchange", "grading_placement", "grading_mentorlink",
                       "grading_mentorevaluation", "grading_resultsstamp",
                       "grading_standingreviewjob", "grading_recomputejob"}
    assert born_in_grading - {"grading_rulesetchange"} <= tables
    assert all(table.startswith("training_") for table in tables - born_in_grading)


def test_every_trigger_is_installed_under_the_grading_label_and_no_other():
    expected: dict[str, set[str]] = {model._meta.db_table: set() for model in grading_models()}
    for model, trigger in pgtrigger.registered():
        if model._meta.app_label == "grading" and not model._meta.proxy:
            expected.setdefault(model._meta.db_table, set()).add(trigger.get_pgid(model))
    assert any(expected.values())
    for table, pgids in expected.items():
        assert installed_triggers(table) == pgids, table


def test_triggers_are_known_by_their_grading_uri():
    uris = {trigger.get_uri(model) for model, trigger in pgtrigger.registered()}
    assert "grading.Score:score_locked_no_update" in uris
    assert not any(uri.startswith("training.Score:") for uri in uris)


def test_content_types_and_role_permissions_follow_the_models():
    assert not ContentType.objects.filter(app_label="training", model="gradebook").exists()
    assert ContentType.objects.filter(app_label="grading", model="gradebook").exists()
    registrar = Group.objects.get(name=roles.REGISTRAR)
    granted = set(registrar.permissions.values_list("content_type__app_label", "codename"))
    assert ("grading", "change_gradebook") in granted
    assert ("grading", "view_moduleresult") in granted
    qa = set(Group.objects.get(name=roles.QA_OFFICER).permissions.values_list(
        "content_type__app_label", "codename"))
    assert ("grading", "view_moduleresult") in qa
    assert ("grading", "change_gradebook") not in qa
