"""Staff's lines of the work queues (vetschool.workqueue): the HR office's competency
assessments and trainings; for QA the teachers without a confirmed digital competency;
the staff indicator page."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from staff import rules, selectors
from staff.admin.people import CompetencyFilter
from staff.models import AssessmentStatus, EmploymentStatus, ParticipationResult
from vetschool import workqueue
from vetschool.workqueue import Item

workqueue.register_page(gettext_lazy("Staff indicators"), "staff:indicators",
                        applies=rules.can_view_indicators, order=50)


def competency_item() -> Item:
    url = reverse("admin:staff_staffmember_changelist")
    return Item(_("Teachers without a confirmed digital-competency assessment"),
                selectors.teachers_without_competency_count(),
                f"{url}?{CompetencyFilter.parameter_name}={CompetencyFilter.NONE}"
                f"&is_teacher__exact=1&employment_status__exact={EmploymentStatus.ACTIVE}")


@workqueue.register_items(workqueue.STAFF, order=10)
def staff_items(user) -> list[Item]:
    assessments = reverse("admin:staff_competencyassessment_changelist")
    participations = reverse("admin:staff_participation_changelist")
    return [
        competency_item(),
        Item(_("Self-assessments awaiting confirmation"),
             selectors.assessments_awaiting_confirmation_count(),
             f"{assessments}?status__exact={AssessmentStatus.SELF_ASSESSED}"),
        Item(_("Training participations without a result"),
             selectors.participations_without_result_count(),
             f"{participations}?result__exact={ParticipationResult.REGISTERED}"),
    ]


@workqueue.register_items(workqueue.QUALITY, order=40)
def quality_items(user) -> list[Item]:
    return [competency_item()]
