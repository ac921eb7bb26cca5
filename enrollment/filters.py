"""Filters of the enrolment lists (django-filter), shared by the selectors and the API."""

from __future__ import annotations

import re

import django_filters
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from enrollment.models import (
    Application,
    ApplicationStatus,
    ApplicationWish,
    Enrollment,
    EnrollmentStatus,
    Learner,
    StudyMode,
)
from vetschool.reference.models import Level, Occupation

UNKNOWN_OCCUPATION = _("There is no occupation %(code)s in the catalogue.")


def _is_number(value: str) -> bool:
    return re.fullmatch(r"[0-9]+", value) is not None


def occupation_condition(value) -> Q:
    """An occupation by its 7-digit code (the national key) or its id; a value that is
    neither names no occupation, rather than an id the database refuses."""
    value = str(value)
    return Q(pk=value) if len(value) != 7 and _is_number(value) else Q(code=value)


def _occupation_key(value: str) -> None:
    if not _is_number(value):
        raise ValidationError(UNKNOWN_OCCUPATION, code="unknown", params={"code": value})


class OccupationFilter(django_filters.CharFilter):
    """An occupation code or id; anything else is a 400 naming the value."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", "occupation code (7 digits) or id")
        super().__init__(validators=[_occupation_key], **kwargs)


class ApplicationFilter(django_filters.FilterSet):
    round = django_filters.NumberFilter(field_name="round_id")
    status = django_filters.ChoiceFilter(choices=ApplicationStatus.choices)
    occupation = OccupationFilter(method="by_occupation")
    level = django_filters.ChoiceFilter(choices=Level.choices, method="by_level")
    admission_year = django_filters.NumberFilter(field_name="round__year")

    class Meta:
        model = Application
        fields = ("round", "status", "occupation", "level", "admission_year")

    def by_occupation(self, queryset, name, value):
        occupations = Occupation.objects.filter(occupation_condition(value))
        wished = ApplicationWish.objects.filter(occupation__in=occupations).values(
            "application_id")
        return queryset.filter(Q(admitted_occupation__in=occupations)
                               | Q(admitted_occupation__isnull=True, pk__in=wished))

    def by_level(self, queryset, name, value):
        first = ApplicationWish.objects.filter(rank=1, occupation__level=value).values(
            "application_id")
        return queryset.filter(Q(admitted_occupation__level=value)
                               | Q(admitted_occupation__isnull=True, pk__in=first))


class LearnerFilter(django_filters.FilterSet):
    """Learners having one enrolment that matches every enrolment filter given."""

    status = django_filters.ChoiceFilter(choices=EnrollmentStatus.choices,
                                         method="by_enrolment")
    occupation = OccupationFilter(method="by_enrolment")
    level = django_filters.ChoiceFilter(choices=Level.choices, method="by_enrolment")
    admission_year = django_filters.NumberFilter(method="by_enrolment")
    round = django_filters.NumberFilter(method="by_enrolment")

    class Meta:
        model = Learner
        fields = ("status", "occupation", "level", "admission_year", "round")

    def by_enrolment(self, queryset, name, value):
        return queryset  # all enrolment filters are applied together in filter_queryset

    def filter_queryset(self, queryset):
        conditions = Q()
        for name, value in self.form.cleaned_data.items():
            if value in (None, ""):
                continue
            if name == "occupation":
                conditions &= Q(occupation__in=Occupation.objects.filter(
                    occupation_condition(value)))
            elif name == "round":
                conditions &= Q(application__round_id=value)
            else:
                conditions &= Q(**{name: value})
        if not conditions:
            return queryset
        return queryset.filter(pk__in=Enrollment.objects.filter(conditions).values(
            "learner_id"))


class EnrollmentFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=EnrollmentStatus.choices)
    occupation = OccupationFilter(method="by_occupation")
    level = django_filters.ChoiceFilter(choices=Level.choices)
    admission_year = django_filters.NumberFilter()
    mode = django_filters.ChoiceFilter(choices=StudyMode.choices)
    round = django_filters.NumberFilter(field_name="application__round_id")

    class Meta:
        model = Enrollment
        fields = ("status", "occupation", "level", "admission_year", "mode", "round")

    def by_occupation(self, queryset, name, value):
        return queryset.filter(occupation__in=Occupation.objects.filter(
            occupation_condition(value)))
