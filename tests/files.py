"""Small real documents for upload tests: uploads are checked by parsing them
(vetschool.uploads), so a bare signature is not enough."""

import functools
from io import BytesIO

from PIL import Image
from pypdf import PdfWriter


def pdf_bytes(pages: int = 1) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def image_bytes(fmt: str = "PNG", size: tuple[int, int] = (8, 8)) -> bytes:
    out = BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, format=fmt)
    return out.getvalue()


PDF = pdf_bytes()
PNG = image_bytes("PNG")
JPEG = image_bytes("JPEG")


def xlsx_bytes(rows: list[list]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()


@functools.cache
def xlsx_bomb(sheet_megabytes: int = 120) -> bytes:
    """A real workbook whose first sheet is `sheet_megabytes` of XML once inflated, a few
    hundred KB compressed (a zip bomb, as the outside probe sent)."""
    import zipfile

    source = zipfile.ZipFile(BytesIO(xlsx_bytes([["code", "name"]])))
    out = BytesIO()
    row = b'<row r="2"><c r="A2" t="inlineStr"><is><t>' + b"A" * 4000 + b"</t></is></c></row>"
    chunk = row * (1024 * 1024 // len(row))
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as bomb:
        for item in source.infolist():
            if item.filename != "xl/worksheets/sheet1.xml":
                bomb.writestr(item, source.read(item))
                continue
            with bomb.open(item.filename, "w", force_zip64=True) as sheet:
                sheet.write(b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxml'
                            b'formats.org/spreadsheetml/2006/main"><sheetData>')
                for _ in range(sheet_megabytes):
                    sheet.write(chunk)
                sheet.write(b"</sheetData></worksheet>")
    return out.getvalue()
