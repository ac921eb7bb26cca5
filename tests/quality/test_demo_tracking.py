"""seed_demo's graduate tracking: records for the checkpoints open on the day it runs, through
the office's own service; a later run adds the checkpoints opened since, changes nothing
recorded before, and the employment figures show both cohorts."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from quality import selectors
from quality.models import TracerRecord
from vetschool import demo

pytestmark = pytest.mark.django_db

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def by_cohort():
    return {(f.graduation_year, f.checkpoint): (f.graduates, f.answered)
            for f in selectors.employment()}


def test_demo_tracks_last_years_graduates_and_this_years_once_their_checkpoint_opens():
    with time_machine.travel(datetime(2026, 12, 7, 9, tzinfo=HANOI), tick=False):
        demo.seed_all()
        figures = by_cohort()
        # last year's 9 graduates: most answered at 6 and 12 months, not all
        for checkpoint in (6, 12):
            graduates, answered = figures[(2025, checkpoint)]
            assert graduates == 9 and 5 <= answered < graduates
        # this year's: the 6-month checkpoint opens on 25/12/2026, nothing yet
        assert figures[(2026, 6)][1] == figures[(2026, 12)][1] == 0
        assert selectors.tracking_due_count() == 18 - figures[(2025, 6)][1] - \
            figures[(2025, 12)][1]
        before = set(TracerRecord.objects.values_list("pk", "status", "recorded_at"))
        assert {status for _pk, status, _at in before} >= {"in_occupation", "not_employed"}

    with time_machine.travel(datetime(2027, 1, 10, 9, tzinfo=HANOI), tick=False):
        demo.seed_all()
        figures = by_cohort()
        assert figures[(2026, 6)][1] > 0 and figures[(2026, 12)][1] == 0
        assert before <= set(TracerRecord.objects.values_list("pk", "status", "recorded_at"))
        total = TracerRecord.objects.count()
        demo.seed_all()
        assert TracerRecord.objects.count() == total
