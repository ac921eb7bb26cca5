"""Writes of the quality app."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from degrees.models import Diploma, DiplomaStatus
from quality.models import TracerRecord
from quality.models.tracer import EMPLOYED
from vetschool.dates import add_months

NOT_A_GRADUATE = _("Only a graduate holding a diploma in force is tracked.")
TOO_EARLY = _("The %(months)s-month checkpoint of this graduate opens on %(date)s.")
EMPLOYER_NEEDED = _("Name the employer: a partner enterprise or another one.")
JOB_FACTS_ONLY_WHEN_EMPLOYED = _("Relatedness and income are asked only of graduates "
                                 "who work.")


def checkpoint_opens(decision_date: date, checkpoint: int) -> date:
    """A checkpoint's answers are taken from one month before it (6 → from month 5)."""
    return add_months(decision_date, checkpoint - 1)


def tracer_record_problems(record: TracerRecord, *, today=None) -> dict:
    """What is wrong with a tracking record, by field (empty when it may be stored)."""
    today = today or timezone.localdate()
    errors = {}
    diploma = (Diploma.objects.filter(enrollment=record.enrollment_id,
                                      status=DiplomaStatus.ISSUED)
               .order_by("decision_date").first())
    if diploma is None:
        errors["enrollment"] = NOT_A_GRADUATE
    elif record.checkpoint and today < checkpoint_opens(diploma.decision_date, record.checkpoint):
        opens = checkpoint_opens(diploma.decision_date, record.checkpoint)
        errors["checkpoint"] = TOO_EARLY % {"months": record.checkpoint,
                                            "date": opens.strftime("%d/%m/%Y")}
    if record.status in ("in_occupation", "outside") and not (
            record.employer_id or record.employer_name.strip()):
        errors["employer"] = EMPLOYER_NEEDED
    if record.status not in EMPLOYED and (record.relatedness or record.income_band):
        errors["relatedness"] = JOB_FACTS_ONLY_WHEN_EMPLOYED
    return errors


@transaction.atomic
def tracer_record_save(*, record: TracerRecord, by=None, today=None) -> TracerRecord:
    """Record (or correct: history keeps the former values) a graduate's answer at a
    checkpoint, with its source."""
    errors = tracer_record_problems(record, today=today)
    if errors:
        raise ValidationError(errors)
    if by is not None:
        record.recorded_by = by
    record.full_clean()
    record.save()
    return record
