"""The learner's transcript as a stored document (vetschool.documents): rendered by a
worker when a recompute changes its content, read from storage by the download.

Keyed by the learner: the learner's download and the training office's are one file. The
Vietnamese transcript is rendered ahead; the English translation on its first download
after a change (few ask for it)."""

from __future__ import annotations

from datetime import date

from enrollment.models import Learner
from grading.pdf import TEMPLATE, transcript_context
from grading.transcripts import transcript_of
from vetschool.documents.services import Source, document_kind, documents_queue

TRANSCRIPT = "transcript"
TRANSCRIPT_EN = "transcript-en"
KIND_OF_LANGUAGE = {"vi": TRANSCRIPT, "en": TRANSCRIPT_EN}
# The "issued on" date follows the day, not the content: the file reads its render date.
_UNHASHED = {"today": date(2000, 1, 1)}


def _source(key: str, language: str) -> Source:
    learner = Learner.objects.get(pk=int(key))
    return Source(TEMPLATE, transcript_context(transcript_of(learner)), language, _UNHASHED)


@document_kind(TRANSCRIPT)
def transcript_source(key: str) -> Source:
    return _source(key, "vi")


@document_kind(TRANSCRIPT_EN)
def transcript_en_source(key: str) -> Source:
    return _source(key, "en")


def transcripts_queue(enrollment_ids) -> None:
    """Render ahead the transcripts of the learners of these enrolments (after commit)."""
    from enrollment.models import Enrollment

    learner_ids = (Enrollment.objects.filter(pk__in=list(enrollment_ids))
                   .values_list("learner_id", flat=True).distinct())
    documents_queue(TRANSCRIPT, learner_ids)
