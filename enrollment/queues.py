"""Enrolment's line of the training office's work queue (vetschool.workqueue)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from enrollment import selectors
from enrollment.models import ApplicationStatus, CorrectionStatus
from vetschool import workqueue
from vetschool.workqueue import Item


@workqueue.register_items(workqueue.OFFICE, order=10)
def office_items(user) -> list[Item]:
    url = reverse("admin:enrollment_application_changelist")
    corrections = reverse("admin:enrollment_correctionrequest_changelist")
    return [
        Item(_("Applications waiting for review"), selectors.applications_waiting_count(),
             f"{url}?status__exact={ApplicationStatus.SUBMITTED}"),
        Item(_("Personal data corrections waiting for an answer"),
             selectors.correction_requests_open_count(),
             f"{corrections}?status__exact={CorrectionStatus.OPEN}"),
        Item(_("Personal data corrections past the legal deadline"),
             selectors.correction_requests_overdue_count(today=timezone.localdate()),
             f"{corrections}?overdue=yes"),
    ]
