"""results_recompute writes only what changed (issue #17): a recompute with nothing changed
writes no result row, no history row and no sync-outbox capture; a change to one learner
rewrites that learner's rows only."""

import pytest
from django.db import connection

from grading import regulation
from grading.models import LearnerRound, ModuleResult, TermSummary
from grading.services.results import results_recompute
from tests.grading.factories import section, world
from tests.grading.test_gradebook import fill, submit_and_approve

pytestmark = pytest.mark.django_db

TABLES = ("training_moduleresult", "training_termsummary")
HISTORY = ("training_moduleresultevent", "training_termsummaryevent")


def _counts() -> dict[str, int]:
    """Rows of each history table and captured sync changes of each results table."""
    counts = {}
    with connection.cursor() as cursor:
        for table in HISTORY:
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 (constant)
            counts[table] = cursor.fetchone()[0]
        for table in TABLES:
            cursor.execute("SELECT count(*) FROM sync_change WHERE table_name = %s", [table])
            counts[f"change:{table}"] = cursor.fetchone()[0]
    return counts


def _history_of(pks_by_table: dict[str, list[int]], since: dict[str, int]) -> dict:
    """(history rows, captured changes) written after `since`, per results table, and
    whether all of them belong to the given rows."""
    out = {}
    with connection.cursor() as cursor:
        for table, history in zip(TABLES, HISTORY, strict=True):
            cursor.execute(f"SELECT pgh_obj_id FROM {history} ORDER BY pgh_id "  # noqa: S608
                           f"OFFSET %s", [since[history]])
            events = [row[0] for row in cursor.fetchall()]
            cursor.execute("SELECT row_pk FROM sync_change WHERE table_name = %s ORDER BY id "
                           "OFFSET %s", [table, since[f"change:{table}"]])
            changes = [int(row[0]) for row in cursor.fetchall()]
            out[table] = (len(events), len(changes),
                          set(events) <= set(pks_by_table[table]),
                          set(changes) <= set(pks_by_table[table]))
    return out


@pytest.fixture
def graded(teacher, registrar):
    """Four learners with an approved module: results written by the approval."""
    w = world(4)
    sec = section(w, "MH08", teacher=teacher)  # 1 continuous + 1 periodic check
    fill(sec, teacher, {"TX1": ["7.0", "6.0", "8.0", "5.5"], "DK1": ["7.0", "6.5", "8.0", "6.0"],
                        "THI1": ["6.0", "7.0", "9.0", "5.0"]})
    submit_and_approve(sec, teacher, registrar)
    return w


def test_a_recompute_with_nothing_changed_writes_nothing(graded):
    ids = [e.pk for e in graded.enrollments]
    assert ModuleResult.objects.filter(enrollment_id__in=ids).count() == 4
    before = _counts()
    assert all(before[table] >= 4 for table in HISTORY)  # the approval's writes were recorded
    stamps = list(ModuleResult.objects.order_by("pk").values_list("pk", "computed_at"))

    stats = results_recompute(enrollment_ids=ids)

    assert (stats.module_results_written, stats.term_summaries_written) == (0, 0)
    assert _counts() == before
    assert list(ModuleResult.objects.order_by("pk").values_list("pk", "computed_at")) == stamps


@pytest.mark.parametrize("sittings, rewritten", [
    (["9.5"], True),   # a better exam: this learner's result and summary change
    (None, False),     # the same round written again: nothing to rewrite
])
def test_a_change_to_one_learner_rewrites_only_that_learners_rows(graded, sittings, rewritten):
    ids = [e.pk for e in graded.enrollments]
    changed = graded.enrollments[0]
    round_ = LearnerRound.objects.get(enrollment=changed)
    LearnerRound.objects.filter(pk=round_.pk).update(sittings=sittings or round_.sittings)
    old_score = ModuleResult.objects.get(enrollment=changed).score_10
    before = _counts()
    others = list(ModuleResult.objects.exclude(enrollment=changed).order_by("pk").values())

    stats = results_recompute(enrollment_ids=ids)

    assert (ModuleResult.objects.get(enrollment=changed).score_10 != old_score) == rewritten
    mine = {"training_moduleresult": list(ModuleResult.objects.filter(enrollment=changed)
                                          .values_list("pk", flat=True)),
            "training_termsummary": list(TermSummary.objects.filter(enrollment=changed)
                                         .values_list("pk", flat=True))}
    written = _history_of(mine, before)
    expected = 1 if rewritten else 0
    assert (stats.module_results_written, stats.term_summaries_written) == (expected, expected)
    for table in TABLES:
        assert written[table] == (expected, expected, True, True), table
    assert list(ModuleResult.objects.exclude(enrollment=changed).order_by("pk").values()) == others
    expected_score = regulation.module_score(round_.checks_average,
                                             (sittings or round_.sittings)[0])
    assert ModuleResult.objects.get(enrollment=changed).score_10 == expected_score
