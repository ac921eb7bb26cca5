"""Every PDF of the platform: a Django template laid out by WeasyPrint.

Official documents must look the same on every server, so the fonts are not the server's:
the DejaVu fonts shipped in static/fonts (complete for Vietnamese) are declared once here,
as the family `FONT_FAMILY`, and embedded (subset) in every PDF. Templates name that family
in their CSS and declare no @font-face of their own.

The font configuration and its stylesheet are built once per document, or once per batch
(`render_pdfs`), so hundreds of documents load the fonts once. Not once per process: a
configuration kept until the interpreter exits is freed after the Pango and fontconfig
libraries it points into, which crashed the process at exit (SIGSEGV).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.http import content_disposition_header

FONT_DIR = Path(settings.BASE_DIR) / "static" / "fonts"
FONT_FAMILY = "Document Sans"
_FONT_FACES = f"""
@font-face {{ font-family: "{FONT_FAMILY}"; src: url(DejaVuSans.ttf); font-weight: normal; }}
@font-face {{ font-family: "{FONT_FAMILY}"; src: url(DejaVuSans-Bold.ttf); font-weight: bold; }}
"""


def _fonts():
    """(font configuration, stylesheet declaring the fonts) for a document or a batch."""
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    font_config = FontConfiguration()
    stylesheet = CSS(string=_FONT_FACES, base_url=FONT_DIR.as_uri() + "/",
                     font_config=font_config)
    return font_config, stylesheet


def render_document(template_name: str, context: dict, *, language: str, fonts=None):
    """The template laid out as a WeasyPrint document (pages not yet written), rendered
    in `language` whatever the request's language: a document reads the same whoever
    prints it. `fonts` lets a batch share one font configuration."""
    with translation.override(language):
        return layout(render_to_string(template_name, context), fonts=fonts)


def layout(html: str, *, fonts=None):
    """The WeasyPrint step alone: HTML laid out with the embedded fonts."""
    from weasyprint import HTML

    font_config, stylesheet = fonts or _fonts()
    return HTML(string=html, base_url=FONT_DIR.as_uri() + "/").render(
        stylesheets=[stylesheet], font_config=font_config)


def font_subsetter() -> str:
    """Which library subsets the embedded fonts: "HarfBuzz" when the system has
    libharfbuzz-subset (Debian: libharfbuzz-subset0), else WeasyPrint's fallback
    "fontTools", pure Python and about 2.5 times slower per document (measured on the
    diploma and a transcript page): benchmarks print it beside their figures."""
    from weasyprint.text.ffi import harfbuzz_subset

    return "fontTools" if harfbuzz_subset is None else "HarfBuzz"


def render_pdf(template_name: str, context: dict, *, language: str) -> bytes:
    return render_document(template_name, context, language=language).write_pdf()


def merge_pdfs(documents: Iterable) -> bytes:
    """Rendered documents (`render_document`) as one PDF, each keeping its own page
    numbers; the fonts are embedded once for the whole file. Empty input gives b""."""
    documents = list(documents)
    if not documents:
        return b""
    pages = [page for document in documents for page in document.pages]
    return documents[0].copy(pages).write_pdf()


def render_pdfs(template_name: str, contexts: Iterable[dict], *, language: str,
                progress: Callable[[int], None] | None = None) -> bytes:
    """One document per context, merged into one PDF; `progress(n)` is called after the
    n-th document is laid out (background jobs report it)."""
    fonts = _fonts()

    def documents():
        for number, context in enumerate(contexts, start=1):
            yield render_document(template_name, context, language=language, fonts=fonts)
            if progress:
                progress(number)

    return merge_pdfs(documents())


def pdf_response(pdf: bytes, filename: str, *, inline: bool = True) -> HttpResponse:
    """`inline` opens in the browser's viewer; otherwise the browser saves the file."""
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(not inline, filename)
    return response
