"""The demo's graduate tracking: a record for most graduates at each checkpoint that has
opened on the day seed_demo runs (quality.services.checkpoint_opens), entered through the
same service as the office's, so the employment figures and the QA queue have data."""

from __future__ import annotations

import random

from django.utils import timezone

from degrees.models import Diploma, DiplomaStatus
from enterprises.models import Enterprise
from quality.models import TracerRecord
from quality.services import checkpoint_opens, tracer_record_save
from vetschool.demo import demo_user

# (status, source) drawn per graduate and checkpoint; about one graduate in five is not
# reached at each checkpoint (see _unreached).
OUTCOMES = [("in_occupation", "enterprise"), ("in_occupation", "survey"),
            ("in_occupation", "staff"), ("outside", "survey"), ("self_employed", "survey"),
            ("further_study", "staff"), ("not_employed", "staff")]
INCOMES = ["5-8", "8-12", "8-12", "12-20"]


def seed() -> None:
    today = timezone.localdate()
    qa = demo_user("qa")
    rng = random.Random(606)
    diplomas = (Diploma.objects.filter(status=DiplomaStatus.ISSUED)
                .select_related("enrollment").order_by("enrollment_id"))
    recorded = set(TracerRecord.objects.values_list("enrollment_id", "checkpoint"))
    for index, diploma in enumerate(diplomas):
        partners = list(Enterprise.objects.filter(
            occupations__code=diploma.occupation_code).order_by("pk")[:5]) or list(
            Enterprise.objects.order_by("pk")[:5])
        for checkpoint in (6, 12):
            # drawn before the skip, so a graduate's answers do not depend on the run date
            draw = (_unreached(index, checkpoint), rng.choice(OUTCOMES), rng.choice(INCOMES),
                    rng.choice(partners or [None]))
            if (diploma.enrollment_id, checkpoint) in recorded or \
                    today < checkpoint_opens(diploma.decision_date, checkpoint):
                continue
            _record(diploma, checkpoint, draw, qa)


def _unreached(index: int, checkpoint: int) -> bool:
    return (index + checkpoint // 6) % 5 == 0


def _record(diploma, checkpoint, draw, qa) -> None:
    unreached, (status, source), income, partner = draw
    if unreached:
        return  # counts in the response rate
    if source == "enterprise" and partner is None:
        source = "staff"
    works = status in ("in_occupation", "outside")
    at_partner = works and source == "enterprise"
    tracer_record_save(record=TracerRecord(
        enrollment=diploma.enrollment, checkpoint=checkpoint, status=status, source=source,
        employer=partner if at_partner else None,
        employer_name="Công ty TNHH Dịch vụ Kế toán Minh Phát" if works and not at_partner
        else "",
        relatedness={"in_occupation": "related", "outside": "unrelated"}.get(status, ""),
        income_band=income if status in ("in_occupation", "outside", "self_employed") else "",
        months_to_first_job=2 if works else None), by=qa)
