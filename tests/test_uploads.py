import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from vetschool.uploads import MAX_DOCUMENT_BYTES, validate_document

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [("ban-sao-cccd.pdf", PDF, "application/pdf"), ("anh.png", PNG, "image/png"),
     ("anh.JPG", JPEG, "image/jpeg"), ("anh.jpeg", JPEG, "image/jpeg")],
)
def test_accepts_documents_by_content(name, content, expected):
    assert validate_document(SimpleUploadedFile(name, content)) == expected


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("hoc-ba.pdf", b"MZ\x90\x00 this is an exe", "bad_type"),
        ("hoc-ba.pdf", b"<html>not a pdf</html>", "bad_type"),
        ("anh.png", PDF, "name_mismatch"),
        ("trong.pdf", b"", "empty"),
    ],
)
def test_refuses_disguised_or_empty_files(name, content, code):
    with pytest.raises(ValidationError) as excinfo:
        validate_document(SimpleUploadedFile(name, content))
    assert excinfo.value.code == code


def test_refuses_files_over_5_mb():
    big = SimpleUploadedFile("lon.pdf", PDF + b"0" * MAX_DOCUMENT_BYTES)
    with pytest.raises(ValidationError) as excinfo:
        validate_document(big)
    assert excinfo.value.code == "too_large"
