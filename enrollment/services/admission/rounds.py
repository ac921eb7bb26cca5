"""Admission rounds and their quotas."""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count

from enrollment.models import AdmissionRound, Application, ApplicationWish, RoundQuota
from enrollment.services.admission.common import (
    HOLDS_A_PLACE,
    QUOTA_BELOW_ADMITTED,
    QUOTA_HAS_APPLICATIONS,
)
from enrollment.services.common import normalize_name
from vetschool.reference.models import Occupation


def admission_round_save(*, round: AdmissionRound, by) -> AdmissionRound:
    """Create or change a round (dates, name, publication); the DB checks the dates."""
    with transaction.atomic():
        round.name = normalize_name(round.name)
        round.full_clean()
        round.save()
    return round


def admitted_counts(round: AdmissionRound) -> dict[int, int]:
    """Occupation id → applicants holding a place (admitted or enrolled) in the round."""
    rows = (
        Application.objects.filter(round=round, status__in=HOLDS_A_PLACE)
        .values("admitted_occupation")
        .annotate(n=Count("id"))
    )
    return {row["admitted_occupation"]: row["n"] for row in rows}


def round_quota_problems(*, round: AdmissionRound,
                         places: Mapping[Occupation, int]) -> list[ValidationError]:
    """Why `places` (occupation → places) cannot become the round's quotas, if at all.

    A quota never goes below the places already taken, and an occupation that applicants
    chose cannot be removed.
    """
    if round.pk is None:
        return []
    problems = []
    wanted = {occupation.pk: n for occupation, n in places.items()}
    taken = admitted_counts(round)
    removed = RoundQuota.objects.filter(round=round).exclude(occupation_id__in=wanted)
    for quota in removed.select_related("occupation"):
        if ApplicationWish.objects.filter(application__round=round,
                                          occupation_id=quota.occupation_id).exists():
            problems.append(ValidationError(QUOTA_HAS_APPLICATIONS, code="in_use",
                                            params={"occupation": quota.occupation}))
    for occupation, n in places.items():
        if n < taken.get(occupation.pk, 0):
            problems.append(ValidationError(
                QUOTA_BELOW_ADMITTED, code="below_admitted",
                params={"occupation": occupation, "admitted": taken[occupation.pk]},
            ))
    return problems


def round_quotas_set(*, round: AdmissionRound, places: Mapping[Occupation, int], by) -> None:
    """Make the round's quotas exactly `places` (occupation → places), or change nothing."""
    with transaction.atomic():
        # Lock the round's quotas first: an admission counting places waits for us.
        existing = {
            q.occupation_id: q
            for q in RoundQuota.objects.select_for_update().filter(round=round).order_by("id")
        }
        problems = round_quota_problems(round=round, places=places)
        if problems:
            raise ValidationError(problems)
        wanted = {occupation.pk: (occupation, n) for occupation, n in places.items()}
        for occupation_id, quota in existing.items():
            if occupation_id not in wanted:
                quota.delete()
        for occupation_id, (occupation, n) in wanted.items():
            quota = existing.get(occupation_id)
            if quota is None:
                RoundQuota.objects.create(round=round, occupation=occupation, places=n)
            elif quota.places != n:
                quota.places = n
                quota.save(update_fields=["places"])
