"""Reads of enrolment, scoped to the asking user, with the joins that avoid N+1 (STYLE #2).

Who sees what:
- staff holding the app's view permission (registrar, QA officer): everything;
- a learner: their own learner record and enrolments, no application;
- anyone else: nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from enrollment.models import (
    AdmissionRound,
    Application,
    ApplicationLog,
    ApplicationStatus,
    ApplicationWish,
    Enrollment,
    EnrollmentStatusChange,
    Learner,
    RoundQuota,
)
from enrollment.search import name_matches, search_words
from vetschool.accounts import roles

HOLDS_A_PLACE = (ApplicationStatus.ADMITTED, ApplicationStatus.ENROLLED)


def _can_view(user, model: str) -> bool:
    return user.is_authenticated and user.has_perm(f"enrollment.view_{model}")


def _own_learner_only(user) -> bool:
    return user.is_authenticated and roles.has_role(user, roles.LEARNER)


# =============================================================================
# Search
# =============================================================================


def search_condition(query: str, *, code_fields: tuple[str, ...] = (),
                     exact_fields: tuple[str, ...] = (), name_field: str = "full_name") -> Q:
    """Accent-insensitive name words, or a code prefix, or an exact identifier."""
    query = " ".join(search_words(query))
    if not query:
        return Q()
    condition = name_matches(query, name_field)
    compact = query.replace(" ", "")
    for field in code_fields:
        condition |= Q(**{f"{field}__istartswith": compact})
    for field in exact_fields:
        condition |= Q(**{field: compact})
    return condition


def learner_search(queryset: QuerySet, query: str) -> QuerySet:
    return queryset.filter(
        search_condition(query, code_fields=("code",), exact_fields=("national_id",))
    )


def application_search(queryset: QuerySet, query: str) -> QuerySet:
    return queryset.filter(
        search_condition(query, code_fields=("tracking_code",), exact_fields=("national_id",))
    )


def enrollment_search(queryset: QuerySet, query: str) -> QuerySet:
    return queryset.filter(
        search_condition(query, code_fields=("learner__code",),
                         exact_fields=("learner__national_id",),
                         name_field="learner__full_name")
    )


# =============================================================================
# Applications
# =============================================================================


def application_list(*, user, filters: dict[str, Any] | None = None) -> QuerySet:
    if not _can_view(user, "application"):
        return Application.objects.none()
    filters = filters or {}
    qs = Application.objects.select_related(
        "round", "admitted_occupation", "ethnic_group", "province", "decided_by"
    ).prefetch_related(
        Prefetch("wishes", queryset=ApplicationWish.objects.select_related("occupation"))
    )
    if filters.get("round"):
        qs = qs.filter(round_id=filters["round"])
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("occupation"):
        qs = qs.filter(_occupation_condition(filters["occupation"]))
    if filters.get("level"):
        qs = qs.filter(
            Q(admitted_occupation__level=filters["level"])
            | Q(admitted_occupation__isnull=True, wishes__rank=1,
                wishes__occupation__level=filters["level"])
        )
    if filters.get("admission_year"):
        qs = qs.filter(round__year=filters["admission_year"])
    if filters.get("search"):
        qs = application_search(qs, filters["search"])
    return qs.order_by("-submitted_at", "-id")


def _occupation_condition(value) -> Q:
    # By occupation code (the national key) or id; admitted occupation, else any wish.
    key = "code" if not str(value).isdigit() or len(str(value)) == 7 else "pk"
    return Q(**{f"admitted_occupation__{key}": value}) | Q(
        admitted_occupation__isnull=True, **{f"wishes__occupation__{key}": value}
    )


def application_log(application: Application) -> QuerySet:
    return application.log.select_related("by").order_by("at", "id")


# =============================================================================
# Rounds
# =============================================================================


def round_quota_usage(round: AdmissionRound) -> QuerySet:
    """Quotas with `taken` (admitted + enrolled) and `first_wishes` annotated."""
    taken = (
        Application.objects.filter(
            round=OuterRef("round"), status__in=HOLDS_A_PLACE,
            admitted_occupation=OuterRef("occupation"),
        )
        .order_by()
        .values("admitted_occupation")
        .annotate(n=Count("id"))
        .values("n")
    )
    first = (
        ApplicationWish.objects.filter(
            application__round=OuterRef("round"), occupation=OuterRef("occupation"), rank=1
        )
        .order_by()
        .values("occupation")
        .annotate(n=Count("id"))
        .values("n")
    )
    return (
        RoundQuota.objects.filter(round=round)
        .select_related("occupation")
        .annotate(taken=Coalesce(Subquery(taken), 0), first_wishes=Coalesce(Subquery(first), 0))
        .annotate(left=F("places") - F("taken"))
        .order_by("occupation__level", "occupation__code")
    )


def round_status_counts(round: AdmissionRound) -> dict[str, int]:
    rows = Application.objects.filter(round=round).values("status").annotate(n=Count("id"))
    return {row["status"]: row["n"] for row in rows}


# =============================================================================
# Learners and enrolments
# =============================================================================


def learner_list(*, user, filters: dict[str, Any] | None = None) -> QuerySet:
    filters = filters or {}
    qs = Learner.objects.select_related("ethnic_group", "province", "user").prefetch_related(
        Prefetch("enrollments",
                 queryset=Enrollment.objects.select_related("occupation").order_by(
                     "-admission_year", "-id"))
    )
    if _can_view(user, "learner"):
        pass
    elif _own_learner_only(user):
        qs = qs.filter(user=user)
    else:
        return Learner.objects.none()
    enrolment_filters = {
        f"enrollments__{name}": filters[key]
        for key, name in (("status", "status"), ("level", "level"),
                          ("admission_year", "admission_year"), ("mode", "mode"))
        if filters.get(key)
    }
    if filters.get("occupation"):
        value = str(filters["occupation"])
        enrolment_filters["enrollments__occupation__" + ("code" if len(value) == 7 else "pk")] = (
            value
        )
    if enrolment_filters:
        qs = qs.filter(pk__in=Enrollment.objects.filter(
            **{k.removeprefix("enrollments__"): v for k, v in enrolment_filters.items()}
        ).values("learner_id"))
    if filters.get("search"):
        qs = learner_search(qs, filters["search"])
    return qs.order_by("code")


def enrollment_list(*, user, filters: dict[str, Any] | None = None) -> QuerySet:
    filters = filters or {}
    qs = Enrollment.objects.select_related("learner", "occupation", "application__round")
    if _can_view(user, "enrollment"):
        pass
    elif _own_learner_only(user):
        qs = qs.filter(learner__user=user)
    else:
        return Enrollment.objects.none()
    for key in ("status", "level", "admission_year", "mode"):
        if filters.get(key):
            qs = qs.filter(**{key: filters[key]})
    if filters.get("occupation"):
        value = str(filters["occupation"])
        qs = qs.filter(**{"occupation__" + ("code" if len(value) == 7 else "pk"): value})
    if filters.get("round"):
        qs = qs.filter(application__round_id=filters["round"])
    if filters.get("search"):
        qs = enrollment_search(qs, filters["search"])
    return qs.order_by("learner__code", "-admission_year")


def learner_of_user(user) -> Learner | None:
    if not user.is_authenticated:
        return None
    return Learner.objects.select_related("ethnic_group", "province").filter(user=user).first()


# =============================================================================
# A learner's full history, on one page
# =============================================================================


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    kind: str  # "status", "application", "record"
    title: str
    detail: str
    by: str
    changes: tuple[tuple[str, str, str], ...] = ()  # (field, before, after)


def learner_history(learner: Learner) -> list[HistoryEntry]:
    """Status decisions, the application's log and every change of the learner's and
    enrolments' rows (django-pghistory), newest first."""
    import pghistory.models

    entries: list[HistoryEntry] = []
    enrollments = list(learner.enrollments.select_related("occupation", "application"))
    changes = (
        EnrollmentStatusChange.objects.filter(enrollment__learner=learner)
        .select_related("by", "enrollment__occupation", "reverts")
    )
    for change in changes:
        title = _("%(occupation)s: %(from)s → %(to)s") % {
            "occupation": change.enrollment.occupation.code,
            "from": change.get_from_status_display() or "—",
            "to": change.get_to_status_display(),
        }
        detail = _("Decision %(number)s of %(date)s, effective %(effective)s. %(reason)s") % {
            "number": change.decision_number or "—",
            "date": change.decision_date or "—",
            "effective": change.effective_date,
            "reason": change.reason,
        }
        if change.reverts_id:
            detail += " " + _("(corrects the change of %(date)s)") % {
                "date": change.reverts.effective_date
            }
        entries.append(HistoryEntry(change.at, "status", title, detail.strip(),
                                    _user_label(change.by), ()))
    applications = [e.application for e in enrollments if e.application_id]
    for event in ApplicationLog.objects.filter(application__in=applications).select_related(
        "by", "application"
    ):
        entries.append(HistoryEntry(
            event.at, "application", f"{event.application.tracking_code}: {event.label}",
            event.message, _user_label(event.by),
        ))
    events = list(pghistory.models.MiddlewareEvents.objects.tracks(learner))
    if enrollments:
        events += list(pghistory.models.MiddlewareEvents.objects.tracks(*enrollments))
    user_ids = {e.pgh_context.get("user") for e in events if e.pgh_context}
    users = _users_by_id(user_ids)
    for event in events:
        is_learner = event.pgh_obj_model == "enrollment.Learner"
        title = (_("Personal data") if is_learner else _("Enrolment")) + " · " + (
            _("created") if event.pgh_label == "insert" else _("changed")
        )
        model = Learner if is_learner else Enrollment
        shown = tuple(
            _described_change(model, field, before, after)
            for field, (before, after) in sorted((event.pgh_diff or {}).items())
            if field not in _HIDDEN_HISTORY_FIELDS
        )
        if event.pgh_label != "insert" and not shown:
            continue
        user_id = (event.pgh_context or {}).get("user")
        entries.append(HistoryEntry(event.pgh_created_at, "record", title, "",
                                    users.get(user_id, ""), shown))
    entries.sort(key=lambda e: e.at, reverse=True)
    return entries


_HIDDEN_HISTORY_FIELDS = ("id", "created_at", "learner_id", "application_id")


def _described_change(model, attname: str, before, after) -> tuple[str, str, str]:
    from vetschool.reference.models import EthnicGroup, Occupation, Province
    from vetschool.reference.national_id import mask_national_id

    field = next((f for f in model._meta.concrete_fields if f.attname == attname), None)
    label = str(field.verbose_name) if field else attname
    related = {"ethnic_group_id": EthnicGroup, "province_id": Province,
               "occupation_id": Occupation}.get(attname)

    def show(value) -> str:
        if value in (None, ""):
            return "—"
        if attname == "national_id":
            return mask_national_id(str(value))  # history is a list: masked too
        if related is not None:
            return str(related.objects.filter(pk=value).first() or value)
        if field is not None and field.choices:
            return str(dict(field.flatchoices).get(value, value))
        return str(value)

    return label, show(before), show(after)


def _users_by_id(ids) -> dict:
    from django.contrib.auth import get_user_model

    ids = {i for i in ids if i is not None}
    if not ids:
        return {}
    return {u.pk: _user_label(u) for u in get_user_model().objects.filter(pk__in=ids)}


def _user_label(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.username
