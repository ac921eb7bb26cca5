"""Checks for uploaded files, and the one way an uploaded file is served back.

Documents (applications, certificates, courseware): the type comes from the content, never
the name, and the content must parse as that type — a PDF opens with pypdf and has a page,
an image decodes with Pillow and carries no markup (nor anything after a PNG's end) — so a
PNG signature followed by SVG or HTML is refused. The size is checked from `upload.size`
before a byte is read, and the read is bounded even when no size is known.

Spreadsheets (every import): `check_xlsx_archive` reads only the ZIP's central directory —
each member's declared uncompressed size and compression ratio — so a zip bomb is refused
before openpyxl inflates anything.

Served files: `file_download` answers an attachment with `nosniff` and `no-store`; the
caller has checked the asker. Uploads are stored under generated names in MEDIA_ROOT, which
no URL serves (docs/security.md).
"""

from __future__ import annotations

import hashlib
import io
import secrets
import zipfile
from dataclasses import dataclass
from datetime import timedelta

from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MAX_DOCUMENT_BYTES = 5 * 1024 * 1024
# An image larger than this is refused before it is decoded (a 40-megapixel scan is ample).
MAX_IMAGE_PIXELS = 40_000_000

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
_PIL_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG"}
_PNG_END = b"IEND\xaeB`\x82"
_ACTIVE_MARKUP = (b"<script", b"<html", b"<svg", b"<body", b"<iframe", b"<!doctype",
                  b"javascript:")

TOO_LARGE = _("The file %(name)s is larger than 5 MB.")
EMPTY = _("The file %(name)s is empty.")
NOT_A_DOCUMENT = _("The file %(name)s is not a PDF, JPEG or PNG document (checked from its "
                   "content).")
NAME_MISMATCH = _("The file %(name)s is named like another type than its content (%(type)s).")
DAMAGED = _("The file %(name)s cannot be opened as a %(type)s document: it is damaged or "
            "holds something else.")


def sniff_content_type(head: bytes) -> str | None:
    for content_type, signatures in _SIGNATURES.items():
        if any(head.startswith(sig) for sig in signatures):
            return content_type
    return None


def read_bounded(upload, limit: int) -> bytes | None:
    """The upload's bytes, or None when it holds more than `limit` (never reading more than
    limit + 1 bytes, whatever its declared size)."""
    position = upload.tell() if hasattr(upload, "tell") else 0
    upload.seek(0)
    content = upload.read(limit + 1)
    upload.seek(position)
    return None if len(content) > limit else content


def validate_document(upload) -> str:
    """Validate an uploaded document; return its content type. Raises ValidationError."""
    name = getattr(upload, "name", "") or ""
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_DOCUMENT_BYTES:
        raise ValidationError(TOO_LARGE, code="too_large", params={"name": name})
    if size == 0:
        raise ValidationError(EMPTY, code="empty", params={"name": name})
    content = read_bounded(upload, MAX_DOCUMENT_BYTES)
    if content is None:
        raise ValidationError(TOO_LARGE, code="too_large", params={"name": name})
    if not content:
        raise ValidationError(EMPTY, code="empty", params={"name": name})
    content_type = sniff_content_type(content[:16])
    if content_type is None:
        raise ValidationError(NOT_A_DOCUMENT, code="bad_type", params={"name": name})
    lower = name.lower()
    if "." in lower and not lower.endswith(_EXTENSIONS[content_type]):
        raise ValidationError(NAME_MISMATCH, code="name_mismatch",
                              params={"name": name, "type": content_type})
    opens = _pdf_opens if content_type == "application/pdf" else _image_decodes
    if not opens(content, content_type):
        raise ValidationError(DAMAGED, code="damaged",
                              params={"name": name, "type": content_type.split("/")[1].upper()})
    return content_type


def _pdf_opens(content: bytes, content_type: str) -> bool:
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(content), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            return False  # nobody at the college could read it
        return len(reader.pages) > 0
    except Exception:  # pypdf raises assorted errors on what is not a PDF
        return False


def _image_decodes(content: bytes, content_type: str) -> bool:
    from PIL import Image

    # A polyglot (an image that is also HTML or SVG) keeps its second life after the image's
    # end marker or in a comment: nothing may follow a PNG's IEND chunk, and no image may
    # hold markup a browser would run. (Phones append metadata after a JPEG's end marker, so
    # a JPEG's tail is only checked for markup.)
    if content_type == "image/png" and not content.endswith(_PNG_END):
        return False
    lower = content.lower()
    if any(marker in lower for marker in _ACTIVE_MARKUP):
        return False
    try:
        with Image.open(io.BytesIO(content), formats=[_PIL_FORMATS[content_type]]) as image:
            width, height = image.size
            if width * height > MAX_IMAGE_PIXELS:
                return False
            image.verify()
        with Image.open(io.BytesIO(content)) as image:
            image.load()  # verify() does not decode the pixels; load() does
    except Exception:  # Pillow raises assorted errors on damaged images
        return False
    return True


# --- Spreadsheets (ZIP archives) --------------------------------------------------------------

XLSX_MAX_UNCOMPRESSED_BYTES = 30 * 1024 * 1024
XLSX_MAX_MEMBERS = 1000
# The compression ratio of a member larger than 1 MB once inflated; real sheet XML stays
# well under 100:1, a zip bomb is far above it.
XLSX_MAX_RATIO = 100
_RATIO_FROM_BYTES = 1024 * 1024


class SpreadsheetTooLarge(ValueError):
    """A workbook whose archive would inflate beyond the limits."""


def check_xlsx_archive(content: bytes) -> None:
    """Refuse, from the ZIP's directory alone (nothing is inflated), a workbook holding too
    many members, too much once inflated or a member compressed beyond any real sheet.
    Raises SpreadsheetTooLarge with the reason, or zipfile.BadZipFile."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        members = archive.infolist()
        if len(members) > XLSX_MAX_MEMBERS:
            raise SpreadsheetTooLarge(
                _("The workbook holds %(count)s parts (at most %(limit)s).")
                % {"count": len(members), "limit": XLSX_MAX_MEMBERS})
        total = sum(member.file_size for member in members)
        if total > XLSX_MAX_UNCOMPRESSED_BYTES:
            raise SpreadsheetTooLarge(
                _("The workbook is %(size)s MB once uncompressed (at most %(limit)s MB): "
                  "split it into several files.")
                % {"size": total // (1024 * 1024),
                   "limit": XLSX_MAX_UNCOMPRESSED_BYTES // (1024 * 1024)})
        for member in members:
            if (member.file_size > _RATIO_FROM_BYTES
                    and member.file_size > XLSX_MAX_RATIO * max(member.compress_size, 1)):
                raise SpreadsheetTooLarge(
                    _("The workbook part %(part)s is compressed more than any real "
                      "spreadsheet (%(ratio)s:1).")
                    % {"part": member.filename,
                       "ratio": member.file_size // max(member.compress_size, 1)})


# --- Serving -----------------------------------------------------------------------------------


def file_download(field_file, *, filename: str, content_type: str | None = None) -> FileResponse:
    """An uploaded file as an attachment (never rendered by the browser), not sniffed and not
    cached. The caller has checked that the asker may read it; a missing file is a 404."""
    if not field_file:
        raise Http404
    try:
        handle = field_file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(handle, as_attachment=True, filename=filename,
                            content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# --- Pending uploads (preview, then confirm) --------------------------------------------------

PENDING_UPLOAD_SECONDS = 60 * 60
_PENDING_SALT = "vetschool.uploads.pending"


@dataclass(frozen=True)
class PendingUpload:
    content: bytes
    filename: str
    extra: dict


def _pending_folder(user) -> str:
    return f"pending/{user.pk}"


def pending_upload_keep(*, user, content: bytes, filename: str, **extra) -> str:
    """Keep an upload between its preview and its confirmation: its bytes go once to private
    storage under a generated name in the user's folder (never in the session, which is
    read and written on every request); the answer is a signed token naming the file, its
    owner, its name and `extra`, good for PENDING_UPLOAD_SECONDS."""
    _forget_expired(user)
    name = secrets.token_hex(16)
    default_storage.save(f"{_pending_folder(user)}/{name}", ContentFile(content))
    return signing.dumps({"u": user.pk, "n": name, "f": filename, "x": extra},
                         salt=_PENDING_SALT, compress=True)


def pending_upload_take(*, user, token: str) -> PendingUpload | None:
    """The upload kept under `token` for this user, removed from storage; None when the
    token is not this user's, has expired or its file is gone (confirmed already)."""
    try:
        kept = signing.loads(token or "", salt=_PENDING_SALT, max_age=PENDING_UPLOAD_SECONDS)
    except signing.BadSignature:
        return None
    if kept.get("u") != user.pk:
        return None
    path = f"{_pending_folder(user)}/{kept['n']}"
    try:
        with default_storage.open(path, "rb") as handle:
            content = handle.read()
    except FileNotFoundError:
        return None
    default_storage.delete(path)
    return PendingUpload(content=content, filename=kept["f"], extra=kept["x"])


def _forget_expired(user) -> None:
    folder = _pending_folder(user)
    try:
        names = default_storage.listdir(folder)[1]
    except FileNotFoundError:
        return
    oldest = timezone.now() - timedelta(seconds=PENDING_UPLOAD_SECONDS)
    for name in names:
        if default_storage.get_modified_time(f"{folder}/{name}") < oldest:
            default_storage.delete(f"{folder}/{name}")


# --- Draft uploads (a form that failed keeps its files) ---------------------------------------

# A visitor's form (the online application) that fails validation keeps its valid files: each
# is stored once under pending/drafts/<owner digest>/ and named in the page by a signed token,
# so the next submission need not upload it again. The owner is a string the caller builds
# from what identifies the form's author and purpose (the session and the admission round);
# a token read with another owner is refused. Left-over drafts are removed by
# `manage.py uploads_forget_pending` (DRAFT_UPLOAD_SECONDS after they were stored).
DRAFT_UPLOAD_SECONDS = 24 * 60 * 60
_DRAFT_SALT = "vetschool.uploads.draft"


def _draft_folder(owner: str) -> str:
    return "pending/drafts/" + hashlib.sha256(owner.encode()).hexdigest()[:40]


def draft_upload_keep(*, owner: str, content: bytes, filename: str) -> str:
    """Store a (checked) upload for `owner`; the answer is the signed token naming it."""
    name = secrets.token_hex(16)
    default_storage.save(f"{_draft_folder(owner)}/{name}", ContentFile(content))
    return signing.dumps({"o": hashlib.sha256(owner.encode()).hexdigest(), "n": name,
                          "f": filename}, salt=_DRAFT_SALT, compress=True)


def _draft_path(owner: str, token: str) -> tuple[str, str] | None:
    try:
        kept = signing.loads(token or "", salt=_DRAFT_SALT, max_age=DRAFT_UPLOAD_SECONDS)
    except signing.BadSignature:
        return None
    if not isinstance(kept, dict) or kept.get("o") != hashlib.sha256(
            owner.encode()).hexdigest():
        return None  # another visitor's or another form's token
    name = str(kept.get("n", ""))
    if not name.isalnum():
        return None
    return f"{_draft_folder(owner)}/{name}", str(kept.get("f", ""))


def draft_upload_read(*, owner: str, token: str) -> PendingUpload | None:
    """The draft kept under `token` for `owner` (it stays kept); None when the token is
    not this owner's, has expired or its file is gone."""
    found = _draft_path(owner, token)
    if found is None:
        return None
    path, filename = found
    try:
        with default_storage.open(path, "rb") as handle:
            content = handle.read()
    except FileNotFoundError:
        return None
    return PendingUpload(content=content, filename=filename, extra={})


def draft_upload_forget(*, owner: str, token: str) -> None:
    """Remove a draft (once the form succeeded, or its file was replaced)."""
    found = _draft_path(owner, token)
    if found is not None:
        default_storage.delete(found[0])


def pending_uploads_forget_expired(*, now=None) -> int:
    """Remove every pending upload and draft older than its lifetime; the number removed.
    Run by `manage.py uploads_forget_pending` (e.g. nightly from cron)."""
    now = now or timezone.now()
    removed = 0
    try:
        owners = default_storage.listdir("pending")[0]
    except FileNotFoundError:
        return 0
    for owner in owners:
        if owner == "drafts":
            continue
        removed += _forget_older(f"pending/{owner}",
                                 now - timedelta(seconds=PENDING_UPLOAD_SECONDS))
    try:
        drafts = default_storage.listdir("pending/drafts")[0]
    except FileNotFoundError:
        drafts = []
    for owner in drafts:
        removed += _forget_older(f"pending/drafts/{owner}",
                                 now - timedelta(seconds=DRAFT_UPLOAD_SECONDS))
    return removed


def _forget_older(folder: str, oldest) -> int:
    removed = 0
    for name in default_storage.listdir(folder)[1]:
        if default_storage.get_modified_time(f"{folder}/{name}") < oldest:
            default_storage.delete(f"{folder}/{name}")
            removed += 1
    return removed
