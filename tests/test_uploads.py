"""Uploaded documents are checked by parsing their content (vetschool.uploads)."""

import io
import time

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.files import JPEG, PDF, PNG, image_bytes, pdf_bytes
from vetschool.uploads import (
    MAX_DOCUMENT_BYTES,
    MAX_IMAGE_PIXELS,
    pending_upload_keep,
    pending_upload_take,
    validate_document,
)

SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>'
HTML = b"<html><body><script>alert(document.cookie)</script></body></html>"


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [("ban-sao-cccd.pdf", PDF, "application/pdf"), ("hoc-ba.pdf", pdf_bytes(3), "application/pdf"),
     ("anh.png", PNG, "image/png"), ("anh.JPG", JPEG, "image/jpeg"),
     ("anh.jpeg", JPEG, "image/jpeg"), ("khong-duoi", PNG, "image/png")],
)
def test_accepts_documents_that_parse_as_their_type(name, content, expected):
    assert validate_document(SimpleUploadedFile(name, content)) == expected


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("hoc-ba.pdf", b"MZ\x90\x00 this is an exe", "bad_type"),
        ("hoc-ba.pdf", b"<html>not a pdf</html>", "bad_type"),
        ("anh.png", PDF, "name_mismatch"),
        ("trong.pdf", b"", "empty"),
        # A signature alone is not a document: the rest must parse as that type.
        ("anh.png", b"\x89PNG\r\n\x1a\n" + SVG, "damaged"),
        ("anh.png", b"\x89PNG\r\n\x1a\n" + HTML, "damaged"),
        ("anh.jpg", b"\xff\xd8\xff\xe0" + HTML, "damaged"),
        ("hoc-ba.pdf", b"%PDF-1.7\n" + HTML, "damaged"),
        ("hoc-ba.pdf", PDF[: len(PDF) // 2], "damaged"),
        ("anh.png", PNG[:-20], "damaged"),
        # A real image with a second life after its end marker (a polyglot) is refused.
        ("anh.png", PNG + SVG, "damaged"),
        ("anh.jpg", JPEG + HTML, "damaged"),
        ("anh.jpg", JPEG + SVG, "damaged"),
    ],
)
def test_refuses_disguised_damaged_or_empty_files(name, content, code):
    with pytest.raises(ValidationError) as excinfo:
        validate_document(SimpleUploadedFile(name, content))
    assert excinfo.value.code == code


def test_refuses_files_over_5_mb_from_their_size_before_reading():
    class Declared:  # an upload known by its name and size only: reading it would fail
        name, size = "lon.pdf", MAX_DOCUMENT_BYTES + 1

    big = Declared()
    with pytest.raises(ValidationError) as excinfo:
        validate_document(big)
    assert excinfo.value.code == "too_large"


def test_refuses_an_oversized_file_whose_size_is_not_told():
    big = SimpleUploadedFile("lon.pdf", PDF + b"0" * MAX_DOCUMENT_BYTES)
    big.size = None
    with pytest.raises(ValidationError) as excinfo:
        validate_document(big)
    assert excinfo.value.code == "too_large"


def test_refuses_an_image_of_too_many_pixels_without_decoding_it():
    # A small PNG file that would decode to 100 megapixels (a decompression bomb).
    out = io.BytesIO()
    Image.new("1", (10_000, 10_000)).save(out, format="PNG")
    assert len(out.getvalue()) < MAX_DOCUMENT_BYTES and MAX_IMAGE_PIXELS < 10_000 ** 2
    started = time.monotonic()
    with pytest.raises(ValidationError) as excinfo:
        validate_document(SimpleUploadedFile("anh.png", out.getvalue()))
    assert excinfo.value.code == "damaged"
    assert time.monotonic() - started < 1


def test_accepts_a_jpeg_with_a_trailer_as_phones_write_them():
    trailed = image_bytes("JPEG") + b"\x00" * 64 + b"SEFH\x00\x01Image_UTC_Data1700000000SEFT"
    assert validate_document(SimpleUploadedFile("anh.jpg", trailed)) == "image/jpeg"


@pytest.mark.django_db
def test_a_pending_upload_is_stored_once_and_read_back_only_by_its_owner(
        teacher, other_teacher, settings):
    token = pending_upload_keep(user=teacher, content=b"bytes of a workbook",
                                filename="diem.xlsx", gradebook=7)
    assert b"bytes" not in token.encode()
    assert pending_upload_take(user=other_teacher, token=token) is None
    assert pending_upload_take(user=teacher, token=token + "x") is None
    kept = pending_upload_take(user=teacher, token=token)
    assert (kept.content, kept.filename, kept.extra) == (b"bytes of a workbook", "diem.xlsx",
                                                         {"gradebook": 7})
    assert pending_upload_take(user=teacher, token=token) is None  # taken once
    assert not list((settings.MEDIA_ROOT / "pending" / str(teacher.pk)).iterdir())


@pytest.mark.django_db
def test_a_pending_upload_expires(teacher, monkeypatch):
    import vetschool.uploads as uploads

    token = pending_upload_keep(user=teacher, content=b"x", filename="a.xlsx")
    monkeypatch.setattr(uploads, "PENDING_UPLOAD_SECONDS", -1)  # an hour has passed
    assert pending_upload_take(user=teacher, token=token) is None
