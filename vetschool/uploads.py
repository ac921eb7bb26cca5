"""Checks for uploaded documents: type from the content (magic bytes), never the name.

Used by every upload of a legal or personal document (applications, certificates).
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MAX_DOCUMENT_BYTES = 5 * 1024 * 1024

# Content signatures of the accepted document types.
_SIGNATURES = {
    "application/pdf": (b"%PDF-",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
}
_EXTENSIONS = {
    "application/pdf": (".pdf",),
    "image/jpeg": (".jpg", ".jpeg"),
    "image/png": (".png",),
}

TOO_LARGE = _("The file %(name)s is larger than 5 MB.")
EMPTY = _("The file %(name)s is empty.")
NOT_A_DOCUMENT = _("The file %(name)s is not a PDF, JPEG or PNG document (checked from its "
                   "content).")
NAME_MISMATCH = _("The file %(name)s is named like another type than its content (%(type)s).")


def sniff_content_type(head: bytes) -> str | None:
    for content_type, signatures in _SIGNATURES.items():
        if any(head.startswith(sig) for sig in signatures):
            return content_type
    return None


def validate_document(upload) -> str:
    """Validate an uploaded file; return its content type. Raises ValidationError."""
    name = getattr(upload, "name", "") or ""
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_DOCUMENT_BYTES:
        raise ValidationError(TOO_LARGE, code="too_large", params={"name": name})
    if size == 0:
        raise ValidationError(EMPTY, code="empty", params={"name": name})
    position = upload.tell() if hasattr(upload, "tell") else 0
    upload.seek(0)
    head = upload.read(16)
    upload.seek(position)
    content_type = sniff_content_type(head)
    if content_type is None:
        raise ValidationError(NOT_A_DOCUMENT, code="bad_type", params={"name": name})
    lower = name.lower()
    if "." in lower and not lower.endswith(_EXTENSIONS[content_type]):
        raise ValidationError(NAME_MISMATCH, code="name_mismatch",
                              params={"name": name, "type": content_type})
    return content_type
