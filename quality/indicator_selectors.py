"""Reads behind the 2222 dashboard's own drill-downs (quality.indicators): the tile and the
list it links to come from these same querysets."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db.models import CharField, Exists, OuterRef, QuerySet
from django.db.models.functions import Cast

from degrees.models import Diploma, DiplomaStatus
from enrollment.models import Enrollment, EnrollmentStatus
from grading.models import ModuleResult
from quality.models import StatisticalReport
from training.models import DeliveryForm, Section, SectionLearner
from vetschool.dates import add_months
from vetschool.jobs import JobStatus
from vetschool.sync import selectors as sync_selectors


def diplomas_issued(*, as_of: date) -> QuerySet[Diploma]:
    """Diplomas in force (issued, not revoked or replaced) issued on or before `as_of`."""
    return Diploma.objects.filter(status=DiplomaStatus.ISSUED, issue_date__lte=as_of)


def _acknowledged():
    return _acknowledged_as("diploma")


def diplomas_acknowledged(*, as_of: date) -> QuerySet[Diploma]:
    """Of them, those whose current record the national database acknowledged (d2)."""
    return diplomas_issued(as_of=as_of).filter(_acknowledged())


def diploma_rows(*, as_of: date) -> QuerySet[Diploma]:
    """The records behind d2: every diploma counted, with whether it is acknowledged."""
    return (diplomas_issued(as_of=as_of).annotate(acknowledged=_acknowledged())
            .only("pk", "serial_number", "register_number", "holder_name", "occupation_code",
                  "occupation_name_vi", "level", "issue_date")
            .order_by("acknowledged", "issue_date", "register_number"))


# --- d2: learners' enrolment and progress, module results -----------------------------------

def _acknowledged_as(record_type: str, ref: str = "pk"):
    return Exists(sync_selectors.acknowledged_object_pks(record_type).filter(
        object_pk=Cast(OuterRef(ref), output_field=CharField())))


def enrolments_studying() -> QuerySet[Enrollment]:
    """Enrolments whose status is "studying" today (the status keeps its history in the
    status changes, the ledger only its current state: this figure is today's)."""
    return Enrollment.objects.filter(status=EnrollmentStatus.STUDYING)


def enrolment_rows() -> QuerySet[Enrollment]:
    """The records behind d2 (learners): every enrolment studying, with whether the national
    database acknowledged its current record."""
    return (enrolments_studying().annotate(acknowledged=_acknowledged_as("enrollment"))
            .select_related("learner", "occupation")
            .only("pk", "admission_year", "learner__code", "learner__full_name",
                  "occupation__code", "occupation__name_vi")
            .order_by("acknowledged", "learner__code"))


def results_due(*, as_of: date) -> QuerySet[SectionLearner]:
    """One module result due per learner on a section list (not removed) whose semester
    ended on or before `as_of`."""
    return SectionLearner.objects.filter(removed_at__isnull=True,
                                         section__semester__ends_on__lte=as_of)


def _result_acknowledged():
    results = ModuleResult.objects.filter(enrollment=OuterRef("enrollment_id"),
                                          module=OuterRef("module_id"))
    return Exists(results.filter(_acknowledged_as("module_result")))


def result_rows(*, as_of: date) -> QuerySet[SectionLearner]:
    """The records behind d2 (results): each result due, with whether its module result is
    recorded and acknowledged by the national database."""
    return (results_due(as_of=as_of).annotate(acknowledged=_result_acknowledged())
            .select_related("enrollment__learner", "section__module", "section__semester")
            .only("pk", "enrollment__learner__code", "enrollment__learner__full_name",
                  "section__code", "section__module__code", "section__module__name_vi",
                  "section__semester__ends_on")
            .order_by("acknowledged", "section__code", "enrollment__learner__code"))


# --- d5: periodic and statistical reports produced digitally --------------------------------

def reports_due(*, as_of: date) -> list[tuple[date, date]]:
    """The periodic reports due in the 12 months up to `as_of`: each runs from 1 January to
    a day of QUALITY_PERIODIC_REPORT_ENDS ("06-30,12-31": half-year and annual) and is due
    once that day has passed."""
    due = []
    for year in (as_of.year - 1, as_of.year):
        for month_day in settings.QUALITY_PERIODIC_REPORT_ENDS:
            month, day = month_day
            end = date(year, month, day)
            if add_months(as_of, -12) < end <= as_of:
                due.append((date(year, 1, 1), end))
    return sorted(due)


def reports_produced(*, as_of: date) -> dict[tuple[date, date], StatisticalReport]:
    """Of the reports due, the frozen report produced in the system for each period (the
    latest when asked more than once), whenever it was produced: an annual report due on 31
    December is produced in January and still counts for that year."""
    due = reports_due(as_of=as_of)
    produced = {}
    for report in StatisticalReport.objects.filter(
            status=JobStatus.DONE, period_end__in=[end for _start, end in due]).order_by(
            "created_at"):
        key = (report.period_start, report.period_end)
        if key in due:
            produced[key] = report
    return produced


# --- d6: programs offered in digital or online form -------------------------------------------

def sections_online(*, as_of: date) -> QuerySet[Section]:
    """Sections taught online or blended in the school year that holds `as_of`."""
    return (Section.objects.filter(
        delivery_form__in=[DeliveryForm.ONLINE, DeliveryForm.BLENDED],
        semester__school_year__starts_on__lte=as_of,
        semester__school_year__ends_on__gte=as_of)
        .select_related("module__program__occupation", "semester")
        .order_by("semester__starts_on", "code"))
