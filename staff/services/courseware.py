"""Digital courseware items, written by HR or by their author in the portal."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from staff.models import Courseware, StaffMember
from vetschool.uploads import validate_document

NOT_AUTHOR = _("You can only change courseware you authored.")

COURSEWARE_FIELDS = frozenset({
    "title", "module_code", "module_name", "kind", "link", "status", "description",
})


@transaction.atomic
def courseware_save(*, item: Courseware, by=None, file=None,
                    acting_staff: StaffMember | None = None) -> Courseware:
    """Create or change an item. With `acting_staff` (the portal), only one's own items.

    `file` is a newly uploaded document (PDF/JPEG/PNG up to 5 MB); larger material
    (video, simulations, VR) is given as a link.
    """
    if acting_staff is not None:
        if item.pk:
            stored_author = Courseware.objects.values_list("author_id", flat=True).get(pk=item.pk)
            if stored_author != acting_staff.pk:
                raise ValidationError(NOT_AUTHOR, code="not_author")
        item.author = acting_staff
    if file is not None:
        try:
            validate_document(file)
        except ValidationError as exc:
            raise ValidationError({"file": exc.messages}) from exc
        # Stored on save under a random name; a replaced file is kept (history names it).
        item.file = file
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def courseware_delete(*, item: Courseware, by=None) -> None:
    # The file stays in storage: the row's history still names it.
    item.delete()
