"""Enrolment's line of the training office's work queue (vetschool.workqueue)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from enrollment import selectors
from enrollment.models import ApplicationStatus
from vetschool import workqueue
from vetschool.workqueue import Item


@workqueue.register_items(workqueue.OFFICE, order=10)
def office_items(user) -> list[Item]:
    url = reverse("admin:enrollment_application_changelist")
    return [Item(_("Applications waiting for review"), selectors.applications_waiting_count(),
                 f"{url}?status__exact={ApplicationStatus.SUBMITTED}")]
