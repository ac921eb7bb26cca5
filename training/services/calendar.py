"""The academic calendar: school years and semesters."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from training.models import SchoolYear, Semester
from training.services.common import error, integrity_as_validation

SCHOOL_YEAR_EXISTS = _("The school year %(name)s already exists.")
SCHOOL_YEAR_DATES = _("The school year must end after it starts and start in %(year)s.")
SEMESTER_OUTSIDE_YEAR = _("The semester must lie within the school year (%(start)s – %(end)s).")
SEMESTER_DATES = _("A semester must end after it starts.")
SEMESTERS_OVERLAP = _("These dates overlap another semester.")
SEMESTER_EXISTS = _("This school year already has that semester.")
SEMESTER_ORDER = _("Semester %(number)s must come after semester %(previous)s.")
SEMESTER_IN_USE = _("The semester has sections; its dates can only be widened.")


@transaction.atomic
def school_year_create(*, start_year: int, starts_on: date, ends_on: date,
                       by=None) -> SchoolYear:
    if SchoolYear.objects.filter(start_year=start_year).exists():
        raise error(SCHOOL_YEAR_EXISTS, code="school_year_exists", field="start_year",
                    name=f"{start_year}-{start_year + 1}")
    if ends_on <= starts_on or starts_on.year != start_year:
        raise error(SCHOOL_YEAR_DATES, code="school_year_dates", field="ends_on",
                    year=start_year)
    year = SchoolYear(start_year=start_year, starts_on=starts_on, ends_on=ends_on)
    year.full_clean()
    year.save()
    return year


@transaction.atomic
def school_year_update(*, school_year: SchoolYear, starts_on: date, ends_on: date,
                       by=None) -> SchoolYear:
    """Change the dates of a school year; its semesters must stay within them."""
    year = SchoolYear.objects.select_for_update().get(pk=school_year.pk)
    if ends_on <= starts_on or starts_on.year != year.start_year:
        raise error(SCHOOL_YEAR_DATES, code="school_year_dates", field="ends_on",
                    year=year.start_year)
    outside = year.semesters.exclude(starts_on__gte=starts_on, ends_on__lte=ends_on).first()
    if outside is not None:
        raise error(SEMESTER_OUTSIDE_YEAR, code="semester_outside_year", field="starts_on",
                    start=starts_on.strftime("%d/%m/%Y"), end=ends_on.strftime("%d/%m/%Y"))
    year.starts_on, year.ends_on = starts_on, ends_on
    year.save()
    return year


@transaction.atomic
def semester_save(*, school_year: SchoolYear, number: int, starts_on: date, ends_on: date,
                  semester: Semester | None = None, by=None) -> Semester:
    """Create a semester of a school year, or change the dates of `semester`."""
    if ends_on <= starts_on:
        raise error(SEMESTER_DATES, code="semester_dates", field="ends_on")
    if starts_on < school_year.starts_on or ends_on > school_year.ends_on:
        raise error(SEMESTER_OUTSIDE_YEAR, code="semester_outside_year", field="starts_on",
                    start=school_year.starts_on.strftime("%d/%m/%Y"),
                    end=school_year.ends_on.strftime("%d/%m/%Y"))
    siblings = Semester.objects.filter(school_year=school_year)
    if semester is not None:
        siblings = siblings.exclude(pk=semester.pk)
        if semester.sections.exists() and (starts_on > semester.starts_on
                                           or ends_on < semester.ends_on):
            raise error(SEMESTER_IN_USE, code="semester_in_use", field="starts_on")
    elif siblings.filter(number=number).exists():
        raise error(SEMESTER_EXISTS, code="semester_exists", field="number")
    for other in siblings:
        # Semesters of a year follow their numbers: 1, then 2, then the summer term.
        if other.number < number and other.starts_on >= starts_on:
            raise error(SEMESTER_ORDER, code="semester_order", field="starts_on",
                        number=number, previous=other.number)
        if other.number > number and other.starts_on <= starts_on:
            raise error(SEMESTER_ORDER, code="semester_order", field="starts_on",
                        number=other.number, previous=number)
    if semester is None:
        semester = Semester(school_year=school_year, number=number)
    semester.starts_on, semester.ends_on = starts_on, ends_on
    semester.full_clean(validate_constraints=False)
    overlap = error(SEMESTERS_OVERLAP, code="semesters_overlap", field="starts_on")
    with integrity_as_validation({"semester_dates_do_not_overlap": overlap}):
        semester.save()
    return semester
