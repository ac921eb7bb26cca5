"""Transcripts as PDF: one learner's, or a class's in one file.

In Vietnamese (an official document); the body is the same template fragment as the
transcript page (`grading/_transcript.html`). An English version is a second PDF, asked for
with `?lang=en` and labelled on its face as a translation for information.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.utils import timezone

from grading.transcripts import Transcript
from vetschool.pdf import render_pdf, render_pdfs
from vetschool.reference.models import Institution

TEMPLATE = "grading/pdf/transcript.html"


def transcript_context(transcript: Transcript, *, institution=None) -> dict:
    return {
        "transcript": transcript,
        "institution": institution or Institution.objects.filter(pk=1).first(),
        "today": timezone.localdate(),
    }


def transcript_pdf(transcript: Transcript, *, language: str = "vi") -> bytes:
    return render_pdf(TEMPLATE, transcript_context(transcript),
                      language="en" if language == "en" else "vi")


def transcripts_pdf(transcripts: Iterable[Transcript],
                    progress: Callable[[int], None] | None = None) -> bytes:
    """Several transcripts in one PDF, each with its own page numbers; `progress(n)` is
    called after each one is laid out."""
    institution = Institution.objects.filter(pk=1).first()
    contexts = (transcript_context(t, institution=institution) for t in transcripts)
    return render_pdfs(TEMPLATE, contexts, language="vi", progress=progress)


def transcript_filename(learner, *, language: str = "vi") -> str:
    if language == "en":
        return f"transcript-{learner.code}-en.pdf"
    return f"bang-diem-{learner.code}.pdf"
