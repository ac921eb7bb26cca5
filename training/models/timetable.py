"""The timetable (thời khóa biểu): when and where a section meets.

A meeting is one weekly slot of a section: a weekday, a run of periods (tiết) and a run
of weeks of its semester, in a room. Nobody may be in two places at once: a room, a
teacher or a learner is never booked twice in the same period of the same week. The
database refuses a room booked twice (an exclusion constraint); teachers and learners
reach a meeting through assignments and lists, so the services check them
(`training.services.timetable`).
"""

# Trigger SQL is assembled from table-name constants, never from input.
# ruff: noqa: S608

import pghistory
import pgtrigger
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import IntegerRangeField, RangeOperators
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Func, Q, Value
from django.utils.translation import gettext_lazy as _

from training.models.calendar import Semester
from training.models.sections import Section
from training.models.triggers import SECTION_TABLE, refuse_if_any

MAX_PERIOD = 15  # periods of a day, morning to evening
MAX_WEEK = 30  # weeks of a semester, exams included
ROOM_CLASH = "meeting_room_not_booked_twice"
PERIODS_ORDER = _("The last period comes after the first.")
WEEKS_ORDER = _("The last week comes after the first.")


class Weekday(models.IntegerChoices):
    """Days as Vietnamese timetables number them: Thứ 2 (Monday) … Chủ nhật (Sunday, 8)."""

    MONDAY = 2, _("Monday")
    TUESDAY = 3, _("Tuesday")
    WEDNESDAY = 4, _("Wednesday")
    THURSDAY = 5, _("Thursday")
    FRIDAY = 6, _("Friday")
    SATURDAY = 7, _("Saturday")
    SUNDAY = 8, _("Sunday")


class IntRange(Func):
    """int4range(lower, upper, '[]'): both ends included."""

    function = "INT4RANGE"
    output_field = IntegerRangeField()

    def __init__(self, lower, upper, **extra):
        super().__init__(lower, upper, Value("[]"), **extra)


@pghistory.track()
@pgtrigger.register(
    pgtrigger.ReadOnly(name="meeting_section_fixed", fields=["section", "semester"]),
    refuse_if_any(
        "meeting_matches_section", operation=pgtrigger.Insert,
        bad_rows=f"""
            SELECT 1 FROM new_rows n JOIN {SECTION_TABLE} s ON s.id = n.section_id
            WHERE s.semester_id <> n.semester_id
        """,
        message="the semester of a meeting must be that of its section",
    ),
)
class SectionMeeting(models.Model):
    """A section meets on `weekday`, periods `first_period`–`last_period`, in the weeks
    `first_week`–`last_week` of its semester, in `room` (empty: no room, e.g. at an
    enterprise)."""

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="meetings",
                                verbose_name=_("section"))
    # The section's, repeated so that one constraint can compare meetings of a semester.
    semester = models.ForeignKey(Semester, on_delete=models.PROTECT, related_name="+",
                                 db_constraint=False, verbose_name=_("semester"))
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday.choices)
    first_period = models.PositiveSmallIntegerField(
        _("first period"), validators=[MinValueValidator(1), MaxValueValidator(MAX_PERIOD)])
    last_period = models.PositiveSmallIntegerField(
        _("last period"), validators=[MinValueValidator(1), MaxValueValidator(MAX_PERIOD)])
    first_week = models.PositiveSmallIntegerField(
        _("first week"), validators=[MinValueValidator(1), MaxValueValidator(MAX_WEEK)],
        help_text=_("Week of the semester, from 1."))
    last_week = models.PositiveSmallIntegerField(
        _("last week"), validators=[MinValueValidator(1), MaxValueValidator(MAX_WEEK)])
    room = models.CharField(_("room"), max_length=30, blank=True)

    class Meta:
        ordering = ["section", "weekday", "first_period"]
        verbose_name = _("timetable slot")
        verbose_name_plural = _("timetable")
        constraints = [
            models.CheckConstraint(
                condition=Q(first_period__gte=1, first_period__lte=F("last_period"),
                            last_period__lte=MAX_PERIOD),
                name="meeting_periods_in_order"),
            models.CheckConstraint(
                condition=Q(first_week__gte=1, first_week__lte=F("last_week"),
                            last_week__lte=MAX_WEEK),
                name="meeting_weeks_in_order"),
            models.CheckConstraint(condition=Q(weekday__gte=2, weekday__lte=8),
                                   name="meeting_weekday_range"),
            ExclusionConstraint(
                name=ROOM_CLASH, index_type="GIST",
                expressions=[
                    (F("semester"), RangeOperators.EQUAL),
                    (F("room"), RangeOperators.EQUAL),
                    (F("weekday"), RangeOperators.EQUAL),
                    (IntRange(F("first_period"), F("last_period")), RangeOperators.OVERLAPS),
                    (IntRange(F("first_week"), F("last_week")), RangeOperators.OVERLAPS),
                ],
                condition=~Q(room=""),
            ),
        ]
        indexes = [models.Index(fields=["section"], name="meeting_by_section")]

    def __str__(self):
        return f"{self.section} · {self.when()}"

    def when(self) -> str:
        return slot_label(self.weekday, self.first_period, self.last_period,
                          self.first_week, self.last_week)

    def clean(self):
        super().clean()
        self.room = " ".join((self.room or "").split()).upper()
        errors = {}
        if self.first_period and self.last_period and self.last_period < self.first_period:
            errors["last_period"] = ValidationError(PERIODS_ORDER, code="periods_order")
        if self.first_week and self.last_week and self.last_week < self.first_week:
            errors["last_week"] = ValidationError(WEEKS_ORDER, code="weeks_order")
        if errors:
            raise ValidationError(errors)


SLOT = _("%(day)s, periods %(periods)s, weeks %(weeks)s")


def slot_label(weekday: int, first_period: int, last_period: int, first_week: int,
               last_week: int) -> str:
    """"Thứ Hai, tiết 1–5, tuần 1–15" (in the active language)."""
    def run(a, b):
        return f"{a}–{b}" if a != b else f"{a}"
    return str(SLOT) % {"day": Weekday(weekday).label, "periods": run(first_period, last_period),
                        "weeks": run(first_week, last_week)}
