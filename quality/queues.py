"""Quality's lines of the QA work queue (vetschool.workqueue): graduates whose tracking
checkpoint has opened without a record; the employment page among the office pages."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from quality import rules, selectors
from vetschool import workqueue
from vetschool.workqueue import Item

workqueue.register_page(gettext_lazy("Graduate employment"), "quality:employment",
                        applies=rules.can_read_quality, order=60)
workqueue.register_page(gettext_lazy("Decision 2222 indicators"), "quality:dashboard",
                        applies=rules.can_read_quality, order=61)
workqueue.register_page(gettext_lazy("Statistical reports"), "quality:reports",
                        applies=rules.can_read_quality, order=62)


@workqueue.register_items(workqueue.QUALITY, order=40)
def quality_items(user) -> list[Item]:
    return [Item(_("Graduates to contact: a tracking checkpoint is open without a record"),
                 selectors.tracking_due_count(), reverse("quality:employment"))]
