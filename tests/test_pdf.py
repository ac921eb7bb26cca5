"""vetschool.pdf renders for real: the PDFs are read back with pypdf."""

from io import BytesIO

import pytest
from django.test import override_settings
from django.utils import translation
from pypdf import PdfReader

from vetschool.pdf import merge_pdfs, pdf_response, render_document, render_pdf, render_pdfs

NAME = "Nguyễn Thị Ánh Tuyết, Đắk Lắk"
TEMPLATES = {
    "doc.html": (
        '{% load i18n %}<html><head><style>'
        '@page { size: A5; @bottom-center { content: counter(page) " / " counter(pages);'
        ' font-family: "Document Sans"; } }'
        'body { font-family: "Document Sans"; } .next { break-before: page; }'
        '</style></head><body><p>{% translate "Home" %}</p><p><strong>{{ name }}</strong></p>'
        '{% for n in extra %}<p class="next">{{ n }}</p>{% endfor %}</body></html>'),
}


@pytest.fixture(autouse=True)
def _templates():
    with override_settings(TEMPLATES=[{
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "OPTIONS": {"loaders": [("django.template.loaders.locmem.Loader", TEMPLATES)]},
    }]):
        yield


def _pages(pdf: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(BytesIO(pdf)).pages]


def _font_files(pdf: bytes) -> dict[str, bool]:
    """Base font name → whether the font program is embedded in the file."""
    fonts = {}
    for page in PdfReader(BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = (font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
                          if "/DescendantFonts" in font else font["/FontDescriptor"])
            fonts[str(font["/BaseFont"])] = any(
                key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
    return fonts


def test_render_pdf_extracts_vietnamese_text_with_the_shipped_fonts_embedded():
    pdf = render_pdf("doc.html", {"name": NAME, "extra": []}, language="vi")

    assert pdf.startswith(b"%PDF-")
    assert _pages(pdf) == [f"Trang chủ {NAME} 1 / 1"]
    fonts = _font_files(pdf)
    # WeasyPrint names a font declared by @font-face after its family: the shipped fonts,
    # not a font of the server's, and their programs are in the file.
    assert {name.split("+")[-1] for name in fonts} == {"Document-Sans", "Document-Sans-Bold"}
    assert all(fonts.values())


def test_render_pdf_uses_the_given_language_not_the_active_one():
    with translation.override("vi"):
        english = render_pdf("doc.html", {"name": "A", "extra": []}, language="en")
    with translation.override("en"):
        vietnamese = render_pdf("doc.html", {"name": "A", "extra": []}, language="vi")

    assert _pages(english)[0].startswith("Home A")
    assert _pages(vietnamese)[0].startswith("Trang chủ A")
    assert translation.get_language() == "vi"  # the override does not leak


def test_merge_pdfs_keeps_each_documents_pages_and_page_numbers():
    documents = [render_document("doc.html", {"name": NAME, "extra": extra}, language="vi")
                 for extra in (["hai"], [])]

    pages = _pages(merge_pdfs(documents))

    assert len(pages) == 3
    assert [page.split()[-3:] for page in pages] == [["1", "/", "2"], ["2", "/", "2"],
                                                      ["1", "/", "1"]]
    assert NAME in pages[2]


def test_merge_pdfs_of_nothing_is_empty():
    assert merge_pdfs([]) == b""


def test_render_pdfs_merges_one_document_per_context_and_reports_progress():
    seen = []
    contexts = ({"name": name, "extra": []} for name in ("Lê Văn Ơn", "Phạm Thị Ửng"))

    pdf = render_pdfs("doc.html", contexts, language="vi", progress=seen.append)

    assert seen == [1, 2]
    assert [page.split(" 1 / 1")[0] for page in _pages(pdf)] == [
        "Trang chủ Lê Văn Ơn", "Trang chủ Phạm Thị Ửng"]


def test_pdf_response_inline_or_attachment():
    inline = pdf_response(b"%PDF-1.7", "bang-diem-HS001.pdf")
    attachment = pdf_response(b"%PDF-1.7", "so-goc.pdf", inline=False)

    assert inline["Content-Type"] == "application/pdf"
    assert inline["Content-Disposition"] == 'inline; filename="bang-diem-HS001.pdf"'
    assert attachment["Content-Disposition"] == 'attachment; filename="so-goc.pdf"'
    assert inline.content == b"%PDF-1.7"


RENDER_THEN_EXIT = """
import django
django.setup()
from vetschool.pdf import render_pdfs
from django.template import engines
html = "<html><body style='font-family: \\"Document Sans\\"'>{{ n }} Nguyễn</body></html>"
import vetschool.pdf as pdf
pdf.render_to_string = lambda name, context: engines["django"].from_string(html).render(context)
assert render_pdfs("x", [{"n": n} for n in range(3)], language="vi").startswith(b"%PDF")
assert pdf.render_pdf("x", {"n": 9}, language="vi").startswith(b"%PDF")
"""


def test_a_process_that_rendered_pdfs_exits_cleanly():
    # A font configuration kept until interpreter exit was freed after Pango: SIGSEGV at exit,
    # after every test had passed (exit status 139 fails CI).
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", RENDER_THEN_EXIT], capture_output=True,
                          timeout=120, check=False)
    stderr = done.stderr.decode()
    assert done.returncode == 0, stderr[-2000:]
    assert "FontConfiguration.__del__" not in stderr  # freed after the libraries it uses
