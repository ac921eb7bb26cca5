"""Diplomas as stored documents (vetschool.documents): the original (printed by the office)
and the learner's copy, rendered by a worker when a diploma is issued, replaced or revoked,
read from storage by the download. Both come from the diploma's frozen facts; its status
(a revoked diploma's copy says so) is part of the content."""

from __future__ import annotations

from degrees.models import Diploma
from degrees.pdf import DIPLOMA_TEMPLATE, diploma_context
from degrees.services.register import DIPLOMA, DIPLOMA_COPY
from vetschool.documents.services import Source, document_kind


@document_kind(DIPLOMA)
def diploma_source(key: str) -> Source:
    return Source(DIPLOMA_TEMPLATE, diploma_context(Diploma.objects.get(pk=int(key))), "vi")


@document_kind(DIPLOMA_COPY)
def diploma_copy_source(key: str) -> Source:
    diploma = Diploma.objects.get(pk=int(key))
    return Source(DIPLOMA_TEMPLATE, diploma_context(diploma, copy=True), "vi")

