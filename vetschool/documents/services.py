"""Documents are files, not waits: a PDF is rendered once per content and then served
from storage.

A document is a kind (`"transcript"`, `"diploma-copy"`, …) and a key (the pk of what it
shows). Each app declares its kinds in its `documents.py` with `@document_kind(name)`: a
function from the key to a `Source`, the template, its context and its language.

The content hash is the SHA-256 of the HTML the template gives for that context: exactly
what WeasyPrint would lay out, so anything the document shows (reached through any
relation) is in it. Filling the template costs milliseconds; the layout, the part that
costs (most of a second), runs only when the hash changed. Values that change with the day
and not with the content (the print date) are named in `Source.unhashed` and filled with a
fixed value for the hash: a document reads the date it was last rendered.

Bulk runs (a class's transcripts, a graduation decision's diplomas) go the same way:
`documents_bulk` renders what is stale or missing in small chunks spread over every worker
(a Celery chord: a group of chunk tasks, then the job's last step), reusing every stored
file whose hash is unchanged. Each chunk also joins its own documents into a part file
(hashing and reading them is work the workers share); the last step (`documents_joined`)
only copies the parts' pages into one PDF (qpdf, through pikepdf), in the order asked.
Each document is joined as it was when its chunk ran, during the job; one whose stored
file was replaced since (its content changed meanwhile and was rendered again), or that
its chunk could not join, is taken as it is now (`document_pdf`).

A download (`document_pdf`) computes the hash and serves the stored file when it was
rendered from that hash; otherwise (content changed, never rendered, file lost) it renders
once, stores and serves the new file. A stale file is never served. The services that
change a document's content call `documents_queue` so a worker renders it before anyone
asks (`DOCUMENTS_PRERENDER`).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Callable, Iterable
from contextlib import suppress
from dataclasses import dataclass, field
from io import BytesIO

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from vetschool.documents import tasks
from vetschool.documents.models import RenderedDocument
from vetschool.jobs import job_advance, queue_after_commit
from vetschool.pdf import layout

logger = logging.getLogger(__name__)

FOLDER = "documents"
KEYS_PER_TASK = 50  # a class's transcripts in a few tasks, spread over the workers
# A bulk run's chunks: small, so the workers finish together (the last chunk is short),
# and at least BULK_MIN_CHUNKS of them when there are enough documents (a class's 35).
BULK_KEYS_PER_TASK = 10
BULK_MIN_CHUNKS = 8


@dataclass(frozen=True)
class Source:
    template: str
    context: dict
    language: str
    # Context values that follow the day, not the content, and their value for the hash.
    unhashed: dict = field(default_factory=dict)


KINDS: dict[str, Callable[[str], Source]] = {}

# Documents laid out by WeasyPrint in this process: tests and the benchmark read it to tell
# a file read from a render.
renders = 0


def document_kind(name: str):
    """Declare a kind of document: the decorated function gives the `Source` of a key
    (and raises the model's DoesNotExist when the key names nothing)."""

    def register(source: Callable[[str], Source]):
        KINDS[name] = source
        return source

    return register


def _html(source: Source, *, for_hash: bool) -> str:
    context = {**source.context, **source.unhashed} if for_hash else source.context
    with translation.override(source.language):
        return render_to_string(source.template, context)


def content_hash(source: Source) -> str:
    return _hashed(source)[0]


def _hashed(source: Source) -> tuple[str, str | None]:
    """(content hash, the HTML to lay out when it is the HTML hashed, else None): with no
    `unhashed` values a render reuses the HTML the hash was taken of."""
    html = _html(source, for_hash=True)
    digest = hashlib.sha256(f"{source.template}\n{source.language}\n{html}".encode()).hexdigest()
    return digest, None if source.unhashed else html


def _stored(kind: str, key: str, digest: str) -> bytes | None:
    """The stored file rendered from `digest`, or None (stale, missing, file lost)."""
    row = RenderedDocument.objects.filter(kind=kind, key=key, content_hash=digest).first()
    if row is None:
        return None
    try:
        with default_storage.open(row.file.name, "rb") as stored:
            return stored.read()
    except OSError:  # replaced under our feet, or lost: render it again
        logger.warning("stored document %s %s missing: %s", kind, key, row.file.name)
        return None


def _render_and_store(kind: str, key: str, source: Source, digest: str,
                      html: str | None = None) -> bytes:
    global renders
    pdf = layout(html if html is not None else _html(source, for_hash=False)).write_pdf()
    renders += 1
    name = default_storage.save(f"{FOLDER}/{kind}/{key}-{digest[:16]}.pdf", ContentFile(pdf))
    with transaction.atomic():
        row, created = RenderedDocument.objects.select_for_update().get_or_create(
            kind=kind, key=key, defaults={"content_hash": digest, "file": name,
                                          "rendered_at": timezone.now()})
        old = None if created else row.file.name
        if not created:
            row.content_hash, row.file, row.rendered_at = digest, name, timezone.now()
            row.save(update_fields=["content_hash", "file", "rendered_at"])
    if old and old != name:
        default_storage.delete(old)
    return pdf


def document_pdf(kind: str, key) -> bytes:
    """The PDF of the document as its content is now: the stored file, or rendered once
    (and stored) when the content changed since."""
    return _current(kind, str(key))[1]


def _current(kind: str, key: str) -> tuple[str, bytes]:
    """(content hash, PDF) of the document as it is now."""
    source = KINDS[kind](key)
    digest, html = _hashed(source)
    stored = _stored(kind, key, digest)
    return digest, stored if stored is not None else _render_and_store(kind, key, source,
                                                                       digest, html)


def documents_prerender(kind: str, keys: Iterable) -> int:
    """Render and store the documents whose stored file is stale or missing; returns how
    many were rendered. A key naming nothing any more is skipped."""
    rendered = 0
    for key in map(str, keys):
        try:
            source = KINDS[kind](key)
        except ObjectDoesNotExist:
            continue
        digest, html = _hashed(source)
        if not RenderedDocument.objects.filter(kind=kind, key=key, content_hash=digest).exists():
            _render_and_store(kind, key, source, digest, html)
            rendered += 1
    return rendered


def documents_queue(kind: str, keys: Iterable) -> None:
    """After the current transaction commits, have workers render these documents. Off
    when `DOCUMENTS_PRERENDER` is (without a broker a task would run in the request: the
    first download renders instead)."""
    if not settings.DOCUMENTS_PRERENDER:
        return
    keys = sorted({str(key) for key in keys})
    for start in range(0, len(keys), KEYS_PER_TASK):
        queue_after_commit(tasks.documents_prerender, kind, keys[start:start + KEYS_PER_TASK])


def documents_bulk(kind: str, keys: Iterable, *, then, job) -> int:
    """Render what is stale or missing among these documents in chunks (at most
    BULK_KEYS_PER_TASK keys, at least BULK_MIN_CHUNKS chunks) spread over every worker (a
    Celery group), then run the task signature `then` once, after the last chunk (a
    chord). `job` (a `BackgroundJob`) has its progress advanced by each chunk, and names
    the folder of the chunks' part files, which `then` joins with `documents_joined(kind,
    keys, job)`. Returns the number of chunks.

    A chunk never fails the chord: a document it could not render is logged and left to
    the last step, whose `document_pdf` renders what is not stored. The chord needs a
    result backend shared by the workers (Redis in production; the settings' default)."""
    from celery import chord

    keys = list(dict.fromkeys(str(key) for key in keys))
    label, job_id = job._meta.label, job.pk
    _parts_remove(label, job_id)  # a job run again starts from no parts
    size = max(1, min(BULK_KEYS_PER_TASK, -(-len(keys) // BULK_MIN_CHUNKS)))
    chunks = [keys[start:start + size] for start in range(0, len(keys), size)]
    if not chunks:
        then.delay()
        return 0
    chord(tasks.documents_bulk_chunk.si(kind, chunk, label, job_id, number)
          for number, chunk in enumerate(chunks))(then)
    return len(chunks)


def documents_bulk_chunk(kind: str, keys: list[str], job_label: str = "",
                         job_id: int = 0, number: int = 0) -> int:
    """One chunk of `documents_bulk`: each document as it is now (rendered when stale or
    missing), joined into the job's part file `number`; returns how many were rendered.
    Without a job (a worker's warm-up) it only renders."""
    before = renders
    current = []
    for key in keys:
        try:
            current.append((key, *_current(kind, key)))
        except ObjectDoesNotExist:  # gone since the job was queued: the last step skips it
            continue
        except Exception:  # left to the last step, which renders what is not stored
            logger.exception("bulk render of %s %s failed", kind, key)
    if job_label:
        _part_save(job_label, job_id, number, current)
        job_advance(apps.get_model(job_label), job_id, len(keys))
    return renders - before


def documents_joined(kind: str, keys: Iterable, job) -> bytes:
    """The last step of `documents_bulk` for `job`: the documents in the order of `keys`,
    joined into one PDF from the chunks' part files, then the parts removed. A document
    that no part holds, or whose stored file has been replaced since its chunk joined it
    (its content changed meanwhile), is taken as it is now: never an old file."""
    import pikepdf

    label = job._meta.label
    keys = [str(key) for key in keys]
    try:
        placed = _parts(label, job.pk)
        stored = dict(RenderedDocument.objects.filter(kind=kind, key__in=keys)
                      .values_list("key", "content_hash"))
        parts: dict[str, pikepdf.Pdf] = {}  # open until `out` is saved, as below
        out, sources = pikepdf.new(), []
        for key in keys:
            place = placed.get(key)
            if place is not None and stored.get(key) == place["hash"]:
                name = place["file"]
                if name not in parts:
                    with default_storage.open(name, "rb") as file:
                        parts[name] = pikepdf.open(BytesIO(file.read()))
                start, stop = place["pages"]
                out.pages.extend(parts[name].pages[start:stop])
            else:
                sources.append(pikepdf.open(BytesIO(document_pdf(kind, key))))
                out.pages.extend(sources[-1].pages)
        joined = BytesIO()
        out.save(joined)
        return joined.getvalue()
    finally:  # done or failed, the job is not run again from these parts
        _parts_remove(label, job.pk)


def _parts_folder(job_label: str, job_id: int) -> str:
    return f"{FOLDER}/parts/{job_label.replace('.', '-')}-{job_id}"


def _part_save(job_label: str, job_id: int, number: int,
               current: list[tuple[str, str, bytes]]) -> None:
    """The chunk's documents ((key, hash, PDF) each) joined into its part file and, beside
    it, which pages hold which document. A chunk delivered twice writes its part again;
    the index names the file it wrote."""
    import pikepdf

    # The sources stay open until the part is saved: qpdf copies their streams then.
    part, sources, joined = pikepdf.new(), [], []
    for key, digest, pdf in current:
        start = len(part.pages)
        sources.append(pikepdf.open(BytesIO(pdf)))
        part.pages.extend(sources[-1].pages)
        joined.append({"key": key, "hash": digest, "pages": [start, len(part.pages)]})
    folder = _parts_folder(job_label, job_id)
    pdf = BytesIO()
    part.save(pdf)
    name = default_storage.save(f"{folder}/{number:05d}.pdf", ContentFile(pdf.getvalue()))
    index = f"{folder}/{number:05d}.json"
    if default_storage.exists(index):
        default_storage.delete(index)
    default_storage.save(index, ContentFile(json.dumps({"file": name,
                                                        "documents": joined}).encode()))


def _parts(job_label: str, job_id: int) -> dict[str, dict]:
    """key → {"file", "hash", "pages"} over the job's part files."""
    folder = _parts_folder(job_label, job_id)
    try:
        _folders, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return {}
    placed = {}
    for name in sorted(f for f in files if f.endswith(".json")):
        with default_storage.open(f"{folder}/{name}", "rb") as file:
            index = json.loads(file.read())
        for document in index["documents"]:
            placed[document["key"]] = {**document, "file": index["file"]}
    return placed


def _parts_remove(job_label: str, job_id: int) -> None:
    folder = _parts_folder(job_label, job_id)
    try:
        _folders, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in files:
        default_storage.delete(f"{folder}/{name}")
    with suppress(NotImplementedError, OSError):  # the emptied folder, on a file system
        os.rmdir(default_storage.path(folder))
