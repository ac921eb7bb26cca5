"""Reads of the quality app."""

from __future__ import annotations

from django.db.models import Exists, OuterRef
from django.utils import timezone

from degrees.models import Diploma, DiplomaStatus
from quality.employment import Answer, Graduate, employment_figures
from quality.models import TracerRecord
from vetschool.dates import add_months


def graduates():
    """Graduates: one row per enrolment holding a diploma in force (issued, not revoked or
    replaced), from the facts printed on it."""
    rows = (Diploma.objects.filter(status=DiplomaStatus.ISSUED)
            .order_by("enrollment_id", "issue_date")
            .values_list("enrollment_id", "occupation_code", "occupation_name_vi", "level",
                         "graduation_year"))
    seen, out = set(), []
    for enrollment_id, code, name, level, year in rows:
        if enrollment_id not in seen:
            seen.add(enrollment_id)
            out.append(Graduate(enrollment_id, code, name, level, year))
    return out


def employment() -> list:
    answers = [Answer(*row) for row in TracerRecord.objects.values_list(
        "enrollment_id", "checkpoint", "status")]
    return employment_figures(graduates(), answers)


def tracer_records(*, occupation_code=None, level=None, year=None, checkpoint=None):
    """The records behind a figure: the graduates of the cohort who answered."""
    cohort = Diploma.objects.filter(status=DiplomaStatus.ISSUED)
    if occupation_code:
        cohort = cohort.filter(occupation_code=occupation_code)
    if level:
        cohort = cohort.filter(level=level)
    if year:
        cohort = cohort.filter(graduation_year=year)
    records = TracerRecord.objects.filter(enrollment__in=cohort.values("enrollment_id"))
    if checkpoint:
        records = records.filter(checkpoint=checkpoint)
    return (records.select_related("enrollment__learner", "employer", "recorded_by")
            .order_by("enrollment__learner__code", "checkpoint"))


def tracking_due_count(*, today=None) -> int:
    """Graduate × checkpoint pairs whose checkpoint has opened (quality.services.
    checkpoint_opens) with no tracking record yet."""
    today = today or timezone.localdate()
    due = 0
    for checkpoint in (6, 12):
        recorded = TracerRecord.objects.filter(enrollment=OuterRef("enrollment_id"),
                                               checkpoint=checkpoint)
        due += (Diploma.objects.filter(status=DiplomaStatus.ISSUED,
                                       decision_date__lte=add_months(today, 1 - checkpoint))
                .exclude(Exists(recorded)).values("enrollment_id").distinct().count())
    return due
