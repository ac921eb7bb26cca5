"""Admission letters as one PDF (WeasyPrint), always in Vietnamese: they are official
documents. The font ships with the project (static/fonts) so that rendering never depends
on the fonts installed on the server."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from enrollment.models import Application
from vetschool.reference.models import Institution

FONT_DIR = Path(settings.BASE_DIR) / "static" / "fonts"


def admission_letters_pdf(applications: Sequence[Application]) -> bytes:
    from weasyprint import HTML

    with translation.override("vi"):
        html = render_to_string("enrollment/pdf/admission_letter.html", {
            "applications": applications,
            "institution": Institution.current(),
            "today": timezone.localdate(),
            "font_regular": (FONT_DIR / "DejaVuSans.ttf").as_uri(),
            "font_bold": (FONT_DIR / "DejaVuSans-Bold.ttf").as_uri(),
        })
    return HTML(string=html, base_url=FONT_DIR.as_uri() + "/").write_pdf()
