"""Reads behind the 2222 dashboard's own drill-downs (quality.indicators): the tile and the
list it links to come from these same querysets."""

from __future__ import annotations

from datetime import date

from django.db.models import CharField, Exists, OuterRef, QuerySet
from django.db.models.functions import Cast

from degrees.models import Diploma, DiplomaStatus
from vetschool.sync import selectors as sync_selectors


def diplomas_issued(*, as_of: date) -> QuerySet[Diploma]:
    """Diplomas in force (issued, not revoked or replaced) issued on or before `as_of`."""
    return Diploma.objects.filter(status=DiplomaStatus.ISSUED, issue_date__lte=as_of)


def _acknowledged():
    return Exists(sync_selectors.acknowledged_object_pks("diploma").filter(
        object_pk=Cast(OuterRef("pk"), output_field=CharField())))


def diplomas_acknowledged(*, as_of: date) -> QuerySet[Diploma]:
    """Of them, those whose current record the national database acknowledged (d2)."""
    return diplomas_issued(as_of=as_of).filter(_acknowledged())


def diploma_rows(*, as_of: date) -> QuerySet[Diploma]:
    """The records behind d2: every diploma counted, with whether it is acknowledged."""
    return (diplomas_issued(as_of=as_of).annotate(acknowledged=_acknowledged())
            .only("pk", "serial_number", "register_number", "holder_name", "occupation_code",
                  "occupation_name_vi", "level", "issue_date")
            .order_by("acknowledged", "issue_date", "register_number"))
