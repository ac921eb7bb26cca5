"""Reads of the enterprises app."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from enterprises.models import Agreement, Enterprise, JobPosting
from vetschool.search import name_matches, search_words


def reminder_days() -> int:
    return settings.ENTERPRISE_AGREEMENT_REMINDER_DAYS


def enterprise_search(queryset: QuerySet | None = None, *, query: str = "", occupation=None,
                      province=None) -> QuerySet:
    """Enterprises by name words (accents ignored) or tax code prefix, taking `occupation`
    (an Occupation or its id) and located in `province` (a ProvincialUnit or its id)."""
    queryset = Enterprise.objects.all() if queryset is None else queryset
    words = search_words(query)
    if words:
        digits = "".join(words)
        by_code = Q(tax_code__startswith=digits) if digits.replace("-", "").isdigit() else Q()
        queryset = queryset.filter(name_matches(query, field="name") | by_code
                                   if by_code else name_matches(query, field="name"))
    if occupation:
        queryset = queryset.filter(occupations=occupation)
    if province:
        queryset = queryset.filter(province=province)
    return queryset.distinct()


def agreements_in_force(*, day=None) -> QuerySet:
    day = day or timezone.localdate()
    return Agreement.objects.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day),
                                    starts_on__lte=day)


def agreements_to_remind(*, today) -> QuerySet:
    """Agreements in force that end within the reminder window and were not yet reminded."""
    return (agreements_in_force(day=today)
            .filter(ends_on__lte=today + timedelta(days=reminder_days()), reminded_at__isnull=True)
            .select_related("enterprise").order_by("ends_on", "number"))


def agreements_expiring(*, today=None) -> QuerySet:
    today = today or timezone.localdate()
    return (agreements_in_force(day=today)
            .filter(ends_on__lte=today + timedelta(days=reminder_days())))


def open_postings(*, occupation=None, today=None) -> QuerySet:
    """Published postings whose deadline has not passed, soonest deadline first."""
    today = today or timezone.localdate()
    queryset = (JobPosting.objects.filter(status=JobPosting.Status.OPEN, deadline__gte=today)
                .select_related("enterprise", "occupation", "province"))
    if occupation is not None:
        queryset = queryset.filter(occupation=occupation)
    return queryset.order_by("deadline", "title")


def pending_postings() -> QuerySet:
    return JobPosting.objects.filter(status=JobPosting.Status.PENDING)
