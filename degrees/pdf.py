"""Diploma, transcript annex and register PDFs (WeasyPrint) with the DejaVu fonts shipped in
static/fonts (Vietnamese-complete, embedded). The diploma is bilingual by regulation
(REGULATIONS §5.2), so its template holds both languages as text, not translations.

Everything printed comes from the diploma's frozen facts, never from the learner's current
record: a later edit cannot change a reprint.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from degrees.models import CLASSIFICATION_VI, Diploma
from degrees.services.register import verify_url

FONT_DIR = Path(settings.BASE_DIR) / "static" / "fonts"
LEVEL_TITLES = {
    "intermediate": ("BẰNG TỐT NGHIỆP TRUNG CẤP", "INTERMEDIATE DIPLOMA"),
    "college": ("BẰNG TỐT NGHIỆP CAO ĐẲNG", "COLLEGE DIPLOMA"),
}
CLASSIFICATION_EN = {"excellent": "Excellent", "very_good": "Very good", "good": "Good",
                     "average": "Average"}
STATUS_VI = {"issued": "Còn hiệu lực", "replaced": "Đã thay thế", "revoked": "Đã thu hồi"}


def _fonts() -> dict:
    return {"font_regular": (FONT_DIR / "DejaVuSans.ttf").as_uri(),
            "font_bold": (FONT_DIR / "DejaVuSans-Bold.ttf").as_uri()}


def qr_data_uri(url: str) -> str:
    return segno.make(url, error="m").svg_data_uri(scale=4, border=1)


def diploma_context(diploma: Diploma, *, copy: bool = False) -> dict:
    url = verify_url(diploma.token)
    title_vi, title_en = LEVEL_TITLES[diploma.level]
    return {
        "d": diploma, "copy": copy, "url": url, "qr": qr_data_uri(url),
        "title_vi": title_vi, "title_en": title_en,
        "classification_vi": CLASSIFICATION_VI[diploma.classification],
        "classification_en": CLASSIFICATION_EN[diploma.classification],
        "status_vi": STATUS_VI[diploma.status],
        "annex": diploma.annex or {},
    }


def diploma_html(diploma: Diploma, *, copy: bool = False) -> str:
    return render_to_string("degrees/pdf/diploma.html",
                            {**_fonts(), **diploma_context(diploma, copy=copy)})


_font_config = None


def _render(html: str):
    """Lay out a document; the font configuration is shared by every document of the
    process, so the embedded fonts are loaded once, not once per diploma."""
    global _font_config
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    if _font_config is None:
        _font_config = FontConfiguration()
    return HTML(string=html, base_url=FONT_DIR.as_uri() + "/").render(font_config=_font_config)


def diploma_pdf(diploma: Diploma, *, copy: bool = False) -> bytes:
    """The diploma and its transcript annex; `copy` marks every page as a copy (the learner's
    download, never a second original)."""
    return _render(diploma_html(diploma, copy=copy)).write_pdf()


def diplomas_pdf(diplomas: Iterable[Diploma],
                 progress: Callable[[int], None] | None = None) -> bytes:
    """Several diplomas in one PDF; `progress(n)` after each one is laid out."""
    documents = []
    for number, diploma in enumerate(diplomas, start=1):
        documents.append(_render(diploma_html(diploma)))
        if progress:
            progress(number)
    if not documents:
        return b""
    pages = [page for document in documents for page in document.pages]
    return documents[0].copy(pages).write_pdf()


def register_pdf(diplomas: Iterable[Diploma], *, institution=None) -> bytes:
    html = render_to_string("degrees/pdf/register.html", {
        **_fonts(), "diplomas": list(diplomas), "institution": institution,
        "today": timezone.localdate(), "classification_vi": CLASSIFICATION_VI,
        "status_vi": STATUS_VI,
    })
    return _render(html).write_pdf()


def diploma_filename(diploma: Diploma, *, copy: bool = False) -> str:
    return f"{'ban-sao-' if copy else ''}bang-{diploma.serial_number}.pdf"
