"""Training's lines of the work queues (vetschool.workqueue): the program indicator page,
and for QA the IT programs due for an update."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from training import rules, selectors
from vetschool import workqueue
from vetschool.workqueue import Item

workqueue.register_page(gettext_lazy("Program indicators"), "training:program-indicators",
                        applies=rules.can_view_program_indicators, order=40)


@workqueue.register_items(workqueue.QUALITY, order=20)
def quality_items(user) -> list[Item]:
    return [Item(_("IT programs not updated in time"), selectors.outdated_it_program_count(),
                 reverse("training:program-indicators"))]
