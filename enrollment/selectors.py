"""Reads of enrolment, scoped to the asking user, with the joins that avoid N+1 (STYLE #2).

Who sees what:
- staff holding the app's view permission (registrar, QA officer): everything;
- a learner: their own learner record and enrolments, no application;
- anyone else: nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from enrollment import rules
from enrollment.filters import ApplicationFilter, EnrollmentFilter, LearnerFilter
from enrollment.models import (
    AdmissionRound,
    Application,
    ApplicationLog,
    ApplicationStatus,
    ApplicationWish,
    DisciplineLevel,
    DisciplineRecord,
    Enrollment,
    EnrollmentStatusChange,
    GraduationHold,
    HoldKind,
    Learner,
    RoundQuota,
)
from vetschool.search import name_matches, search_words

HOLDS_A_PLACE = (ApplicationStatus.ADMITTED, ApplicationStatus.ENROLLED)


# =============================================================================
# Search
# =============================================================================


def search_condition(query: str, *, code_fields: tuple[str, ...] = (),
                     exact_fields: tuple[str, ...] = (), name_field: str = "full_name") -> Q:
    """What a search box means, by the shape of the query.

    With a digit in it (names have none) it is an identifier: a code or tracking-code
    prefix, or a full personal ID. Otherwise every word must be in the name, accents and
    case ignored. Keeping the two apart lets the name search use its trigram index (an OR
    with the code conditions would force a scan of the whole table).
    """
    query = " ".join(search_words(query))
    if not query:
        return Q()
    if any(ch.isdigit() for ch in query):
        compact = query.replace(" ", "")
        condition = Q(pk__in=[])
        for field in code_fields:
            condition |= Q(**{f"{field}__istartswith": compact})
        for field in exact_fields:
            condition |= Q(**{field: compact})
        return condition
    return name_matches(query, name_field)


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
    """Applications the user may see; `filters` as ApplicationFilter plus `search`."""
    if not rules.can_view(user, "application"):
        return Application.objects.none()
    qs = Application.objects.select_related(
        "round", "admitted_occupation", "ethnic_group", "province", "decided_by"
    ).prefetch_related(
        Prefetch("wishes", queryset=ApplicationWish.objects.select_related("occupation"))
    ).order_by("-submitted_at", "-id")
    return _filtered(qs, ApplicationFilter, filters, application_search)


def _filtered(qs: QuerySet, filterset_class, filters, search) -> QuerySet:
    filters = dict(filters or {})
    term = filters.pop("search", "")
    if filters:
        filterset = filterset_class(filters, queryset=qs)
        if not filterset.is_valid():
            raise ValidationError(filterset.errors)
        qs = filterset.qs
    return search(qs, term) if term else qs


def application_lookup(*, tracking_code: str, date_of_birth: date) -> Application | None:
    """The applicant's own lookup: both the code and the date of birth must match."""
    code = "".join((tracking_code or "").split()).upper()
    return (
        Application.objects.select_related("round", "admitted_occupation")
        .filter(tracking_code=code, date_of_birth=date_of_birth)
        .first()
    )


def application_log(application: Application) -> QuerySet:
    return application.log.select_related("by").order_by("at", "id")


# =============================================================================
# Rounds
# =============================================================================


def round_open_list(*, today: date | None = None) -> QuerySet:
    """Published rounds taking applications today."""
    today = today or timezone.localdate()
    return AdmissionRound.objects.filter(
        is_published=True, opens_on__lte=today, closes_on__gte=today
    ).order_by("closes_on", "year", "number")




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
    """Learners the user may see (staff: all; a learner: themself); `filters` as
    LearnerFilter plus `search`."""
    qs = Learner.objects.select_related("ethnic_group", "province", "user").prefetch_related(
        Prefetch("enrollments",
                 queryset=Enrollment.objects.select_related("occupation").order_by(
                     "-admission_year", "-id"))
    ).order_by("code")
    if rules.can_view(user, "learner"):
        pass
    elif rules.is_learner(user):
        qs = qs.filter(user=user)
    else:
        return Learner.objects.none()
    return _filtered(qs, LearnerFilter, filters, learner_search)


def enrollment_list(*, user, filters: dict[str, Any] | None = None) -> QuerySet:
    """Enrolments the user may see; `filters` as EnrollmentFilter plus `search`."""
    qs = Enrollment.objects.select_related(
        "learner", "occupation", "application__round"
    ).order_by("learner__code", "-admission_year")
    if rules.can_view(user, "enrollment"):
        pass
    elif rules.is_learner(user):
        qs = qs.filter(learner__user=user)
    else:
        return Enrollment.objects.none()
    return _filtered(qs, EnrollmentFilter, filters, enrollment_search)


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
    from vetschool.reference.models import EthnicGroup, Occupation, ProvincialUnit
    from vetschool.reference.national_id import mask_national_id

    field = next((f for f in model._meta.concrete_fields if f.attname == attname), None)
    label = str(field.verbose_name) if field else attname
    related = {"ethnic_group_id": EthnicGroup, "province_id": ProvincialUnit,
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


# --- Conduct (REGULATIONS §2.4, §4.1 d, §4.3 c) -------------------------------------------------


@dataclass
class ConductFacts:
    """What a graduation review reads of an enrolment's conduct on a given day."""

    discipline_levels: list[str]  # forms during study that count for §4.3 c
    under_suspension_or_higher: bool  # §4.1 d: suspended that day, or expelled
    prosecuted: bool  # §4.1 d: a prosecution hold in force that day
    discipline_pending: bool  # a disciplinary matter the principal must first review


def conduct_facts(enrollment_ids, on: date) -> dict[int, ConductFacts]:
    """Conduct of each enrolment on day `on`, from its disciplinary decisions and holds (two
    queries). Revoked decisions count for nothing; Art. 17(2)–(3) forms do not lower a
    classification but still hold back graduation while they last."""
    ids = list(enrollment_ids)
    facts = {pk: ConductFacts([], False, False, False) for pk in ids}
    for record in DisciplineRecord.objects.filter(
            enrollment_id__in=ids, decision_date__lte=on, revocation_number__isnull=True):
        item = facts[record.enrollment_id]
        if not record.art17_excluded:
            item.discipline_levels.append(record.level)
        if record.level == DisciplineLevel.EXPULSION or (
                record.level == DisciplineLevel.SUSPENSION
                and record.suspended_from <= on <= record.suspended_until):
            item.under_suspension_or_higher = True
    for hold in GraduationHold.objects.filter(enrollment_id__in=ids, since__lte=on):
        if hold.active_on(on):
            item = facts[hold.enrollment_id]
            if hold.kind == HoldKind.PROSECUTION:
                item.prosecuted = True
            else:
                item.discipline_pending = True
    return facts


# --- Work queues (vetschool.workqueue, registered in enrollment/queues.py) ---------------------
def applications_waiting_count() -> int:
    """Applications submitted and not yet reviewed by the training office."""
    return Application.objects.filter(status=ApplicationStatus.SUBMITTED).count()


def correction_requests_overdue_count(*, today) -> int:
    """Learners' correction requests still open past their due date (the law's limit)."""
    from enrollment.models import CorrectionRequest, CorrectionStatus

    return CorrectionRequest.objects.filter(status=CorrectionStatus.OPEN,
                                            due_on__lt=today).count()


def correction_requests_open_count() -> int:
    from enrollment.models import CorrectionRequest, CorrectionStatus

    return CorrectionRequest.objects.filter(status=CorrectionStatus.OPEN).count()
