"""Transcripts as PDF (WeasyPrint): one learner's, or a class's in one file.

Always in Vietnamese (an official document), with the DejaVu fonts shipped in static/fonts
so that the text is embedded, searchable and identical on every server; the body is the
same template fragment as the transcript page (`grading/_transcript.html`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from grading.transcripts import Transcript
from vetschool.reference.models import Institution

FONT_DIR = Path(settings.BASE_DIR) / "static" / "fonts"


def transcript_html(transcript: Transcript, *, institution=None) -> str:
    with translation.override("vi"):
        return render_to_string("grading/pdf/transcript.html", {
            "transcript": transcript,
            "institution": institution or Institution.objects.filter(pk=1).first(),
            "today": timezone.localdate(),
            "font_regular": (FONT_DIR / "DejaVuSans.ttf").as_uri(),
            "font_bold": (FONT_DIR / "DejaVuSans-Bold.ttf").as_uri(),
        })


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html, base_url=FONT_DIR.as_uri() + "/").write_pdf()


def transcript_pdf(transcript: Transcript) -> bytes:
    return html_to_pdf(transcript_html(transcript))


def transcripts_pdf(transcripts: Iterable[Transcript],
                    progress: Callable[[int], None] | None = None) -> bytes:
    """Several transcripts in one PDF, each with its own page numbers; `progress(n)` is
    called after each one is laid out."""
    from weasyprint import HTML

    institution = Institution.objects.filter(pk=1).first()
    documents = []
    for number, transcript in enumerate(transcripts, start=1):
        html = transcript_html(transcript, institution=institution)
        documents.append(HTML(string=html, base_url=FONT_DIR.as_uri() + "/").render())
        if progress:
            progress(number)
    if not documents:
        return b""
    pages = [page for document in documents for page in document.pages]
    return documents[0].copy(pages).write_pdf()


def transcript_filename(transcript: Transcript) -> str:
    return f"bang-diem-{transcript.learner.code}.pdf"
