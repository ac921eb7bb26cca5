"""Self-assessment by staff and confirmation by an assessor, per period."""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from staff.models import (
    AssessmentPeriod,
    AssessmentStatus,
    CompetencyArea,
    CompetencyAssessment,
    CompetencyFramework,
    CompetencyLevel,
    CompetencyRating,
    StaffMember,
)

PERIOD_CLOSED = _("Self-assessment for %(period)s is closed.")
PERIOD_NOT_CURRENT = _("%(period)s runs from %(start)s to %(end)s; self-assess within it.")
ALREADY_CONFIRMED = _("Your assessment for %(period)s has been confirmed and cannot be changed.")
LEVEL_REQUIRED = _("Choose a level for every area.")
WRONG_FRAMEWORK = _("This level does not belong to the framework of the period.")
UNKNOWN_AREA = _("This area does not belong to the framework of the period.")
SELF_ONLY = _("You can only assess yourself.")
FRAMEWORK_IN_USE = _("This framework already has assessment periods; its areas and levels "
                     "cannot be removed.")

LevelChoice = Mapping[int, CompetencyLevel | None]  # area id → level


@transaction.atomic
def framework_activate(*, framework: CompetencyFramework, by=None) -> CompetencyFramework:
    CompetencyFramework.objects.exclude(pk=framework.pk).filter(is_active=True).update(
        is_active=False)
    framework.is_active = True
    framework.save(update_fields=["is_active"])
    return framework


@transaction.atomic
def period_save(*, period: AssessmentPeriod, by=None) -> AssessmentPeriod:
    period.full_clean()
    period.save()
    return period


def current_period(*, today=None) -> AssessmentPeriod | None:
    """The period of the framework in use that contains today and is open."""
    today = today or timezone.localdate()
    return (AssessmentPeriod.objects.select_related("framework")
            .filter(framework__is_active=True, self_assessment_open=True,
                    starts_on__lte=today, ends_on__gte=today)
            .order_by("-starts_on").first())


@transaction.atomic
def self_assessment_submit(*, staff: StaffMember, period: AssessmentPeriod, levels: LevelChoice,
                           by) -> CompetencyAssessment:
    """A staff member's own levels for every area; allowed until the assessor confirms."""
    if staff.user_id is None or by is None or staff.user_id != by.pk:
        raise ValidationError(SELF_ONLY, code="self_only")
    today = timezone.localdate()
    if not period.self_assessment_open:
        raise ValidationError(PERIOD_CLOSED % {"period": period}, code="period_closed")
    if not period.starts_on <= today <= period.ends_on:
        raise ValidationError(PERIOD_NOT_CURRENT % {
            "period": period, "start": f"{period.starts_on:%d/%m/%Y}",
            "end": f"{period.ends_on:%d/%m/%Y}"}, code="period_not_current")
    assessment, _created = CompetencyAssessment.objects.select_for_update().get_or_create(
        staff=staff, period=period)
    if assessment.status == AssessmentStatus.CONFIRMED:
        raise ValidationError(ALREADY_CONFIRMED % {"period": period}, code="confirmed")
    areas = _areas_with_levels(period, levels, required=True)
    for area, level in areas:
        CompetencyRating.objects.update_or_create(
            assessment=assessment, area=area, defaults={"self_level": level})
    assessment.status = AssessmentStatus.SELF_ASSESSED
    assessment.self_assessed_at = timezone.now()
    assessment.save(update_fields=["status", "self_assessed_at"])
    return assessment


@transaction.atomic
def assessment_start(*, staff: StaffMember, period: AssessmentPeriod,
                     by=None) -> CompetencyAssessment:
    """An (empty) assessment an assessor fills in, e.g. for someone who did not self-assess."""
    assessment = CompetencyAssessment(staff=staff, period=period)
    assessment.full_clean()
    assessment.save()
    for area in period.framework.areas.all():
        CompetencyRating.objects.create(assessment=assessment, area=area)
    return assessment


@transaction.atomic
def assessment_confirm(*, assessment: CompetencyAssessment, levels: LevelChoice, by,
                       note: str = "") -> CompetencyAssessment:
    """The assessor confirms (or adjusts) the level of every area."""
    assessment = CompetencyAssessment.objects.select_for_update().select_related(
        "period__framework").get(pk=assessment.pk)
    areas = _areas_with_levels(assessment.period, levels, required=True)
    for area, level in areas:
        CompetencyRating.objects.update_or_create(
            assessment=assessment, area=area, defaults={"level": level})
    assessment.status = AssessmentStatus.CONFIRMED
    assessment.assessor = by
    assessment.confirmed_at = timezone.now()
    assessment.assessor_note = note
    assessment.full_clean()
    assessment.save()
    return assessment


def _areas_with_levels(period: AssessmentPeriod, levels: LevelChoice, *, required: bool):
    framework = period.framework
    areas = list(framework.areas.all())
    area_ids = {area.pk for area in areas}
    errors = {}
    for area_id in levels:
        if area_id not in area_ids:
            errors[f"area_{area_id}"] = [UNKNOWN_AREA]
    out = []
    for area in areas:
        level = levels.get(area.pk)
        if level is None:
            if required:
                errors[f"area_{area.pk}"] = [LEVEL_REQUIRED]
            continue
        if level.framework_id != framework.pk:
            errors[f"area_{area.pk}"] = [WRONG_FRAMEWORK]
            continue
        out.append((area, level))
    if errors:
        raise ValidationError(errors)
    return out


def levels_from_codes(period: AssessmentPeriod, codes: Mapping[int, str]) -> dict:
    """{area number: level code} (as the API takes them) → {area id: level}."""
    framework = period.framework
    areas = {area.number: area for area in CompetencyArea.objects.filter(framework=framework)}
    by_code = {level.code: level for level in CompetencyLevel.objects.filter(framework=framework)}
    errors = {}
    out = {}
    for number, code in codes.items():
        area = areas.get(int(number))
        if area is None:
            errors[f"area_{number}"] = [UNKNOWN_AREA]
            continue
        level = by_code.get(code)
        if level is None:
            errors[f"area_{number}"] = [WRONG_FRAMEWORK]
            continue
        out[area.pk] = level
    if errors:
        raise ValidationError(errors)
    return out
