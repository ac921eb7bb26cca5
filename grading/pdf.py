"""Transcripts as PDF: one learner's, or a class's in one file.

In Vietnamese (an official document); the body is the same template fragment as the
transcript page (`grading/_transcript.html`). An English version is a second PDF, asked for
with `?lang=en` and labelled on its face as a translation for information.
"""

from __future__ import annotations

from django.utils import timezone

from grading.transcripts import Transcript
from vetschool.pdf import render_pdf
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


def transcript_filename(learner, *, language: str = "vi") -> str:
    if language == "en":
        return f"transcript-{learner.code}-en.pdf"
    return f"bang-diem-{learner.code}.pdf"
