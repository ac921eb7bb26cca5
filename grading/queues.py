"""Grading's lines of the work queues (vetschool.workqueue): the training office's
gradebooks to approve, amendments to decide and learners under warning; what is due in
each of a teacher's sections; the office pages linked from the admin."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from grading import rules
from grading import selectors as sel
from grading.models import GradebookStatus
from training.models import Semester
from vetschool import workqueue
from vetschool.workqueue import Item

workqueue.register_page(gettext_lazy("Score approval"), "grading:office",
                        applies=rules.is_training_office, order=10)
workqueue.register_page(gettext_lazy("Score amendments"), "grading:amendments",
                        applies=rules.is_training_office, order=20)
workqueue.register_page(gettext_lazy("Academic warnings"), "grading:warnings",
                        applies=rules.can_read_all_transcripts, order=30)


def warning_semester() -> Semester | None:
    """This semester: the latest main semester begun by today (standing is decided after
    main semesters only), else the warnings page's default."""
    main = Semester.objects.filter(number__lt=3).order_by("-starts_on")
    return main.filter(starts_on__lte=timezone.localdate()).first() or main.first()


def warning_item(user) -> list[Item]:
    semester = warning_semester()
    if semester is None:
        return []
    return [Item(_("Learners under academic warning in %(semester)s") % {"semester": semester},
                 sel.warning_count(semester=semester),
                 f"{reverse('grading:warnings')}?semester={semester.pk}")]


@workqueue.register_items(workqueue.OFFICE, order=20)
def office_items(user) -> list[Item]:
    return [
        Item(_("Gradebooks submitted for approval"), sel.submitted_count(),
             f"{reverse('grading:office')}?status={GradebookStatus.SUBMITTED}"),
        Item(_("Score amendments awaiting a decision"), sel.amendment_requested_count(),
             reverse("grading:amendments")),
        *warning_item(user),
    ]


@workqueue.register_items(workqueue.QUALITY, order=10)
def quality_items(user) -> list[Item]:
    return warning_item(user)


@workqueue.register_section_dues
def section_dues(user, sections) -> dict[int, list[Item]]:
    """Attendance weeks not taken, check cells missing, a gradebook returned — each with the
    page where the teacher does it. Only the user's own sections are answered."""
    dues = sel.teacher_section_dues(user=user, section_ids=[s.pk for s in sections])
    answer: dict[int, list[Item]] = {}
    for section_id, due in dues.items():
        items = []
        if due.returned:
            items.append(Item(_("Gradebook returned for correction"), 1,
                              reverse("grading:grid", args=[section_id]),
                              help=due.return_reason))
        if due.weeks_without_attendance:
            items.append(Item(_("Past weeks without attendance taken"),
                              due.weeks_without_attendance,
                              reverse("grading:attendance", args=[section_id])))
        if due.checks_missing:
            items.append(Item(_("Check scores not entered"), due.checks_missing,
                              reverse("grading:grid", args=[section_id])))
        answer[section_id] = items
    return answer
