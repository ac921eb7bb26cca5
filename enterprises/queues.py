"""Enterprises' lines of the training office's work queue (vetschool.workqueue): job postings
enterprises submitted, waiting for approval, and agreements ending soon."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from enterprises import selectors
from enterprises.models.agreements import ExpiryState
from vetschool import workqueue
from vetschool.workqueue import Item


@workqueue.register_items(workqueue.OFFICE, order=60)
def office_items(user) -> list[Item]:
    postings = reverse("admin:enterprises_jobposting_changelist")
    agreements = reverse("admin:enterprises_agreement_changelist")
    return [
        Item(_("Job postings from enterprises waiting for approval"),
             selectors.pending_postings().count(), f"{postings}?status__exact=pending"),
        Item(_("Cooperation agreements ending within %(days)d days")
             % {"days": selectors.reminder_days()},
             selectors.agreements_expiring().count(),
             f"{agreements}?validity={ExpiryState.EXPIRING}"),
    ]
