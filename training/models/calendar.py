"""The academic calendar: school years and their semesters (REGULATIONS.md §3.5).

A school year runs over two calendar years ("2025-2026") and has two main semesters
(1, 2) and an optional summer term (3, học kỳ phụ). Semesters never overlap, which the
database enforces, so "the semester of a day" is always one semester or none.
"""

import pghistory
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateRangeField, RangeBoundary, RangeOperators
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Func, Q
from django.utils.translation import gettext_lazy as _

from vetschool.regulation.config import rules_in_force

SUMMER_TERM = 3
MAIN_SEMESTER_TOO_SHORT = _("A main semester lasts at least %(minimum)s weeks, exams included "
                            "(REGULATIONS §3.5); these dates give %(weeks)s.")
SUB_SEMESTER_TOO_SHORT = _("A summer term (sub-semester) lasts at least %(minimum)s weeks "
                           "(REGULATIONS §3.5); these dates give %(weeks)s.")
MAIN_SEMESTERS = (1, 2)


class DateRange(Func):
    function = "DATERANGE"
    output_field = DateRangeField()


@pghistory.track()
class SchoolYear(models.Model):
    """A school year (năm học) such as 2025-2026."""

    start_year = models.PositiveSmallIntegerField(
        _("first calendar year"), unique=True,
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
        help_text=_("2025 for the school year 2025-2026."),
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))

    class Meta:
        ordering = ["-start_year"]
        verbose_name = _("school year")
        verbose_name_plural = _("school years")
        constraints = [
            models.CheckConstraint(condition=Q(start_year__gte=2000, start_year__lte=2100),
                                   name="school_year_start_year_range"),
            models.CheckConstraint(condition=Q(ends_on__gt=F("starts_on")),
                                   name="school_year_ends_after_start"),
            models.CheckConstraint(condition=Q(starts_on__year=F("start_year")),
                                   name="school_year_starts_in_its_first_year"),
        ]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        """The usual name, "2025-2026"."""
        return f"{self.start_year}-{self.start_year + 1}"


@pghistory.track()
class Semester(models.Model):
    """Semester 1 or 2 (main) or 3 (summer term) of a school year, with its dates."""

    school_year = models.ForeignKey(SchoolYear, on_delete=models.CASCADE,
                                    related_name="semesters", verbose_name=_("school year"))
    number = models.PositiveSmallIntegerField(
        _("semester"), validators=[MinValueValidator(1), MaxValueValidator(SUMMER_TERM)],
        help_text=_("1 and 2 are the main semesters; 3 is the optional summer term."),
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))

    class Meta:
        ordering = ["school_year__start_year", "number"]
        verbose_name = _("semester")
        verbose_name_plural = _("semesters")
        constraints = [
            models.UniqueConstraint(fields=["school_year", "number"], name="semester_unique"),
            models.CheckConstraint(condition=Q(number__gte=1, number__lte=SUMMER_TERM),
                                   name="semester_number_1_3"),
            models.CheckConstraint(condition=Q(ends_on__gt=F("starts_on")),
                                   name="semester_ends_after_start"),
            ExclusionConstraint(
                name="semester_dates_do_not_overlap",
                expressions=[
                    (DateRange("starts_on", "ends_on", RangeBoundary(inclusive_upper=True)),
                     RangeOperators.OVERLAPS),
                ],
            ),
        ]

    def __str__(self):
        return self.label

    @property
    def is_summer(self) -> bool:
        return self.number == SUMMER_TERM

    @property
    def label(self) -> str:
        year = self.school_year.name
        if self.is_summer:
            return _("Summer term %(year)s") % {"year": year}
        return _("Semester %(number)s %(year)s") % {"number": self.number, "year": year}

    @property
    def ordinal(self) -> int | None:
        """Main semesters counted from year 0: consecutive main semesters differ by 1."""
        if self.is_summer:
            return None
        return self.school_year.start_year * 2 + self.number - 1

    def contains(self, day) -> bool:
        return self.starts_on <= day <= self.ends_on

    @property
    def weeks(self) -> int:
        """Whole weeks from the first to the last day, both included."""
        return ((self.ends_on - self.starts_on).days + 1) // 7

    def clean(self):
        super().clean()
        if self.starts_on is None or self.ends_on is None or self.number is None:
            return
        # §3.5: a main semester lasts at least 15 weeks with its exams, a sub-semester 4.
        minimum = rules_in_force().semester_min_weeks(sub_semester=self.is_summer)
        if self.ends_on >= self.starts_on and self.weeks < minimum:
            message = SUB_SEMESTER_TOO_SHORT if self.is_summer else MAIN_SEMESTER_TOO_SHORT
            raise ValidationError({"ends_on": ValidationError(
                message, code="semester_too_short",
                params={"minimum": minimum, "weeks": self.weeks})})
