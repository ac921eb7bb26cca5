"""Degrees' lines of the work queues (vetschool.workqueue): open graduation reviews and
copy requests for the training office; open reviews for QA."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from degrees import selectors
from degrees.models import RequestStatus, ReviewStatus
from vetschool import workqueue
from vetschool.workqueue import Item


def review_item() -> Item:
    url = reverse("admin:degrees_graduationreview_changelist")
    return Item(_("Graduation reviews still open"), selectors.open_review_count(),
                f"{url}?status__exact={ReviewStatus.OPEN}")


@workqueue.register_items(workqueue.OFFICE, order=40)
def office_items(user) -> list[Item]:
    url = reverse("admin:degrees_copyrequest_changelist")
    return [
        review_item(),
        Item(_("Copy requests received (certified copies, transcript copies)"),
             selectors.copy_requests_received_count(),
             f"{url}?status__exact={RequestStatus.RECEIVED}"),
    ]


@workqueue.register_items(workqueue.QUALITY, order=30)
def quality_items(user) -> list[Item]:
    return [review_item()]
