"""A bulk run through REAL Celery workers (a prefork pool of 2) and Redis: a decision's
diplomas printed as a chord of chunks spread over the workers, each stored document
rendered once; a second run reuses every unchanged file; a stale one is rendered again and
never joined as it was. Skipped without a Redis CELERY_BROKER_URL."""

import time
from io import BytesIO

import pytest
from pypdf import PdfReader

from degrees.documents import DIPLOMA
from degrees.models import DiplomaPrintJob
from tests.degrees.factories import finished_class, issued
from vetschool.documents.models import RenderedDocument

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

SIZE = 5  # diplomas: five chunks of one (a small run is cut in BULK_MIN_CHUNKS) over 2


def _print(send, log, decision, registrar) -> DiplomaPrintJob:
    job = DiplomaPrintJob.objects.create(decision=decision, created_by=registrar, total=SIZE)
    send("degrees.diploma_print_job_run", job.pk)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.finished:
            break
        time.sleep(0.3)
    assert job.status == "done", (job.status, job.error, log.read_text()[-3000:])
    return job


def _stored() -> dict[str, tuple]:
    return {row.key: (row.content_hash, row.file.name, row.rendered_at)
            for row in RenderedDocument.objects.filter(kind=DIPLOMA)}


def _fronts(job) -> list[str]:
    with job.file.open("rb") as file:
        pages = [page.extract_text() for page in PdfReader(BytesIO(file.read())).pages]
    return [page for page in pages if "BẰNG TỐT NGHIỆP" in page and "Số hiệu" in page]


def test_a_decisions_diplomas_are_rendered_once_over_the_workers_then_reused(
        workers, registrar, settings):
    settings.DOCUMENTS_PRERENDER = False  # nothing rendered at issue: the bulk run does it
    send, log = workers
    decision, diplomas = issued(finished_class(SIZE), registrar)
    assert not RenderedDocument.objects.exists()

    first = _print(send, log, decision, registrar)
    stored = _stored()
    assert set(stored) == {str(d.pk) for d in diplomas}
    for key, (digest, name, rendered_at) in stored.items():
        # Saved once: a second save of the same name would have had a suffix added.
        assert name == f"documents/{DIPLOMA}/{key}-{digest[:16]}.pdf"
        assert first.started_at <= rendered_at <= first.finished_at
    assert (first.done, first.total) == (SIZE, SIZE)
    fronts = _fronts(first)
    assert len(fronts) == SIZE
    assert all(d.serial_number in " ".join(fronts) for d in diplomas)
    # The chunks ran in the pool's processes, not in one.
    assert log.read_text().count("Task documents.bulk_chunk[") >= 2 * SIZE  # received, done

    second = _print(send, log, decision, registrar)
    assert _stored() == stored  # every unchanged file reused: nothing rendered again
    assert len(_fronts(second)) == SIZE

    # A file whose content changed since it was rendered is rendered again, alone.
    stale = str(diplomas[0].pk)
    RenderedDocument.objects.filter(kind=DIPLOMA, key=stale).update(content_hash="changed")
    third = _print(send, log, decision, registrar)
    now = _stored()
    assert now[stale][0] == stored[stale][0] and now[stale][2] > third.started_at
    assert {k: v for k, v in now.items() if k != stale} == \
        {k: v for k, v in stored.items() if k != stale}
    assert len(_fronts(third)) == SIZE
