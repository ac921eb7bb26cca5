"""Training courses, registrations and results (with evidence)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from staff import indicators
from staff.models import (
    Department,
    EmploymentRecord,
    EmploymentStatus,
    Participation,
    ParticipationResult,
    StaffMember,
    TrainingCourse,
)
from vetschool.uploads import validate_document

COURSE_HAS_RESULTS = _(
    "The course %(course)s cannot be deleted: %(count)s participant(s) already have a "
    "result (completed or not completed). Results are records of fact; correct them instead."
)
KIND_FIXED = _("The kind of a course cannot change once completions are recorded: it would "
               "change the 2222 indicators of past dates.")
COMPLETION_DATE_REQUIRED = _("Give the date the training was completed.")
COMPLETION_IN_FUTURE = _("The completion date cannot be in the future.")
COMPLETION_BEFORE_COURSE = _("The completion date cannot be before the course starts (%(start)s).")
EVIDENCE_REQUIRED = _("A completed training needs evidence: upload the certificate (PDF, JPEG "
                      "or PNG). A certificate number alone is not evidence.")
NO_COMPLETION_DATE = _("Only a completed training has a completion date.")
HAS_RESULT = _("%(staff)s already has a result in this course; it cannot be withdrawn.")
NOT_EMPLOYED = _("%(staff)s was not employed by the college during this course.")


@transaction.atomic
def course_save(*, course: TrainingCourse, by=None) -> TrainingCourse:
    """Create or change a course; its kind is fixed once completions exist."""
    if course.pk:
        previous = TrainingCourse.objects.select_for_update().get(pk=course.pk)
        if previous.kind != course.kind and previous.participations.filter(
                result=ParticipationResult.COMPLETED).exists():
            raise ValidationError({"kind": [KIND_FIXED]})
    course.full_clean()
    course.save()
    return course


def course_results_count(course: TrainingCourse) -> int:
    return course.participations.exclude(result=ParticipationResult.REGISTERED).count()


@transaction.atomic
def course_delete(*, course: TrainingCourse, by=None) -> None:
    """Delete a course; refused when any participant has a result.

    Registrations without a result are withdrawn with the course.
    """
    course = TrainingCourse.objects.select_for_update().get(pk=course.pk)
    results = course_results_count(course)
    if results:
        raise ValidationError(
            COURSE_HAS_RESULTS % {"course": course.code, "count": results},
            code="course_has_results",
        )
    course.participations.all().delete()
    course.delete()


@transaction.atomic
def participant_register(*, course: TrainingCourse, staff: StaffMember,
                         by=None) -> Participation:
    if not _employed_during(staff, course):
        raise ValidationError({"staff": [NOT_EMPLOYED % {"staff": staff}]})
    participation = Participation(course=course, staff=staff)
    participation.full_clean()
    participation.save()
    return participation


@transaction.atomic
def course_register_department(*, course: TrainingCourse, department: Department,
                               teachers_only: bool = False, by=None) -> list[Participation]:
    """Register every current member of a department (not yet registered) for a course.

    Staff who have left are skipped, and so is anyone not employed during the course (the
    rule of a single registration); with `teachers_only`, only teachers. By default the
    staff the 2222 indicators count — teachers and managers — are registered.
    """
    members = StaffMember.objects.filter(department=department).exclude(
        employment_status=EmploymentStatus.LEFT).exclude(participations__course=course)
    if teachers_only:
        members = members.filter(is_teacher=True)
    else:
        members = members.filter(Q(is_teacher=True) | Q(is_manager=True))
    members = list(members.order_by("staff_code"))
    records: dict[int, list[EmploymentRecord]] = {}
    for record in EmploymentRecord.objects.filter(
            staff__in=members, effective_date__lte=course.ends_on).order_by("effective_date"):
        records.setdefault(record.staff_id, []).append(record)
    created = [Participation(course=course, staff=member) for member in members
               if _employed_in(records.get(member.pk, []), course)]
    return Participation.objects.bulk_create(created)


def _employed_during(staff: StaffMember, course: TrainingCourse) -> bool:
    records = EmploymentRecord.objects.filter(
        staff=staff, effective_date__lte=course.ends_on).order_by("effective_date")
    return _employed_in(list(records), course)


def _employed_in(records: list[EmploymentRecord], course: TrainingCourse) -> bool:
    """Employed (active or on leave) when the course starts, or hired before it ends.

    `records` are one person's employment records up to the course's end, oldest first.
    """
    at_start = [r for r in records if r.effective_date <= course.starts_on]
    if at_start:
        return at_start[-1].status != EmploymentStatus.LEFT
    return any(r.status != EmploymentStatus.LEFT for r in records)


def registered_message(count: int) -> str:
    return ngettext("%(count)d staff member registered.", "%(count)d staff members registered.",
                    count) % {"count": count}


@transaction.atomic
def participation_record_result(
    *,
    participation: Participation,
    result: str,
    completed_on: date | None = None,
    certificate=None,
    certificate_number: str | None = None,
    note: str | None = None,
    by=None,
) -> Participation:
    """Record (or correct) a participant's result with its date and evidence.

    `certificate` is a newly uploaded file (checked like enrolment documents);
    None keeps the stored one. A result other than completed clears the date.
    """
    participation = Participation.objects.select_for_update().select_related(
        "course", "staff").get(pk=participation.pk)
    errors: dict[str, list] = {}
    if certificate is not None:
        try:
            validate_document(certificate)
        except ValidationError as exc:
            errors["certificate"] = exc.messages
    if certificate_number is not None:
        participation.certificate_number = certificate_number.strip()
    if note is not None:
        participation.note = note
    participation.result = result
    if result == indicators.COMPLETED:
        today = timezone.localdate()
        if completed_on is None:
            errors["completed_on"] = [COMPLETION_DATE_REQUIRED]
        elif completed_on > today:
            errors["completed_on"] = [COMPLETION_IN_FUTURE]
        elif completed_on < participation.course.starts_on:
            errors["completed_on"] = [COMPLETION_BEFORE_COURSE % {
                "start": f"{participation.course.starts_on:%d/%m/%Y}"}]
        has_evidence = bool(participation.certificate) or certificate is not None
        if not has_evidence and "certificate" not in errors:
            errors["certificate"] = [EVIDENCE_REQUIRED]
        participation.completed_on = completed_on
    else:
        if completed_on is not None:
            errors["completed_on"] = [NO_COMPLETION_DATE]
        participation.completed_on = None
    if errors:
        raise ValidationError(errors)
    if certificate is not None:
        # Stored on save under a random name; a replaced file is kept (history names it).
        participation.certificate = certificate
    participation.full_clean()
    participation.save()
    return participation


@transaction.atomic
def participation_withdraw(*, participation: Participation, by=None) -> None:
    """Remove a registration that has no result yet."""
    participation = Participation.objects.select_for_update().select_related("staff").get(
        pk=participation.pk)
    if participation.is_result:
        raise ValidationError(HAS_RESULT % {"staff": participation.staff}, code="has_result")
    participation.delete()
