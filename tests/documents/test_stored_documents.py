"""Documents are files, not waits (vetschool.documents): a transcript or a diploma is
rendered when its content changes and the download reads the stored file; a download after
a change never gets the stale file. PDFs read back with pypdf; real database, real
WeasyPrint, Celery eager (the worker's task runs at commit)."""

from io import BytesIO

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from pypdf import PdfReader

from degrees.models import Diploma
from degrees.pdf import diploma_pdf
from degrees.services.register import diploma_replace, diploma_revoke
from enrollment.models import Learner
from grading.models import Amendment
from grading.services import amendments as am
from tests.degrees.factories import finished_class, issued
from tests.grading.factories import section, world
from tests.grading.test_gradebook import fill, submit_and_approve
from training.models import SectionLearner
from vetschool.accounts import roles
from vetschool.demo import seed_institution
from vetschool.documents import services as documents
from vetschool.documents.models import RenderedDocument

pytestmark = pytest.mark.django_db


def _text(pdf: bytes) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(BytesIO(pdf)).pages).split())


def _stored(kind, key) -> RenderedDocument:
    return RenderedDocument.objects.get(kind=kind, key=str(key))


@pytest.fixture
def prerender(settings):
    settings.DOCUMENTS_PRERENDER = True
    return settings


@pytest.fixture
def approved_learner(prerender, teacher, registrar, learner,
                     django_capture_on_commit_callbacks):
    """A learner with MH08 approved: 0.4×8.5 + 0.6×9 = 8.8; the worker's render ran at
    commit, as a worker would after the approval."""
    seed_institution()
    w = world(2, users=[learner])
    sec = section(w, "MH08", teacher=teacher)
    fill(sec, teacher, {"TX1": ["8.5"] * 2, "DK1": ["8.5"] * 2, "THI1": ["9"] * 2})
    with django_capture_on_commit_callbacks(execute=True):
        submit_and_approve(sec, teacher, registrar)
    return Learner.objects.get(user=learner), sec


def _download(client, user, name="grading:my-transcript-pdf", *args):
    client.force_login(user)
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return response.content


def test_the_first_download_after_approval_reads_the_stored_file(client, approved_learner):
    record, _sec = approved_learner
    stored = _stored("transcript", record.pk)
    renders = documents.renders
    pdf = _download(client, record.user)
    assert documents.renders == renders  # no WeasyPrint in the request
    assert _stored("transcript", record.pk).rendered_at == stored.rendered_at
    with default_storage.open(stored.file.name, "rb") as file:
        assert pdf == file.read()
    assert "8,8" in _text(pdf) and "BẢNG ĐIỂM" in _text(pdf)


def test_the_office_download_of_the_same_learner_is_the_same_file(client, approved_learner,
                                                                 registrar):
    record, _sec = approved_learner
    renders = documents.renders
    mine = _download(client, record.user)
    office = _download(client, registrar, "grading:transcript-pdf", record.pk)
    assert mine == office and documents.renders == renders


@pytest.mark.parametrize("prerender_on", [True, False], ids=["prerendered", "fallback"])
def test_after_an_amendment_the_next_download_shows_the_new_score(
        client, approved_learner, registrar, settings, prerender_on,
        django_capture_on_commit_callbacks):
    record, sec = approved_learner
    before = _text(_download(client, record.user))
    assert "8,8" in before and "7,6" not in before
    settings.DOCUMENTS_PRERENDER = prerender_on
    row = SectionLearner.objects.get(section=sec, enrollment__learner=record)
    with django_capture_on_commit_callbacks(execute=True):
        am.amendment_record(gradebook=sec.gradebook, section_learner=row, column="THI1",
                            value="7", reason="Sai sót khi cộng điểm", by=registrar)
    assert Amendment.objects.count() == 1
    renders = documents.renders
    after = _text(_download(client, record.user))
    # 0.4×8.5 + 0.6×7 = 7.6: never the stored file of 8.8.
    assert "7,6" in after
    # Rendered ahead by the worker, the download is a file read; without, it renders once.
    assert documents.renders == renders + (0 if prerender_on else 1)
    renders = documents.renders
    assert _text(_download(client, record.user)) == after and documents.renders == renders


def test_a_lost_file_is_rendered_again_not_an_error(client, approved_learner):
    record, _sec = approved_learner
    default_storage.delete(_stored("transcript", record.pk).file.name)
    renders = documents.renders
    assert "8,8" in _text(_download(client, record.user))
    assert documents.renders == renders + 1
    assert default_storage.exists(_stored("transcript", record.pk).file.name)


def test_the_english_transcript_is_stored_apart_on_its_first_download(client,
                                                                      approved_learner):
    record, _sec = approved_learner
    client.force_login(record.user)
    renders = documents.renders
    english = client.get(reverse("grading:my-transcript-pdf"), {"lang": "en"}).content
    again = client.get(reverse("grading:my-transcript-pdf"), {"lang": "en"}).content
    assert documents.renders == renders + 1 and english == again
    assert _stored("transcript-en", record.pk).file.name != \
        _stored("transcript", record.pk).file.name


def test_the_content_hash_is_the_same_on_another_day_and_request():
    """The print date is not content: a hash computed twice (and on another day) agrees."""
    source = documents.Source("grading/pdf/transcript.html", {"transcript": None,
                                                             "today": "1/1/2026"}, "vi",
                              {"today": None})
    other_day = documents.Source(source.template, {**source.context, "today": "2/1/2026"},
                                 "vi", {"today": None})
    assert documents.content_hash(source) == documents.content_hash(other_day)
    english = documents.Source(source.template, source.context, "en", {"today": None})
    assert documents.content_hash(source) != documents.content_hash(english)


# --- Diplomas -------------------------------------------------------------------------------


@pytest.fixture
def my_diploma(prerender, registrar, django_capture_on_commit_callbacks):
    from tests.factories import UserFactory

    me = UserFactory(username="hoc-vien", roles=[roles.LEARNER])
    w = finished_class(1, users=[me])
    with django_capture_on_commit_callbacks(execute=True):
        _decision, (diploma,) = issued(w, registrar)
    return me, diploma


def test_an_issued_diplomas_copy_and_original_are_downloads_of_stored_files(
        client, my_diploma, registrar):
    me, diploma = my_diploma
    renders = documents.renders
    copy = _download(client, me, "degrees-my-diploma-pdf", diploma.pk)
    original = _download(client, registrar, "admin:degrees_diploma_pdf", diploma.pk)
    assert documents.renders == renders
    assert "BẢN SAO" in _text(copy) and "BẢN SAO" not in _text(original)
    assert diploma.serial_number in _text(original)


def test_a_revoked_diplomas_copy_reads_as_the_view_renders_it(
        client, my_diploma, registrar, django_capture_on_commit_callbacks):
    me, diploma = my_diploma
    with django_capture_on_commit_callbacks(execute=True):
        diploma_revoke(diploma=diploma, reason="Gian lận hồ sơ", decision_number="12/QĐ",
                       decision_date=diploma.issue_date, by=registrar)
    revoked = Diploma.objects.get(pk=diploma.pk)
    assert revoked.status == "revoked"
    copy = _download(client, me, "degrees-my-diploma-pdf", diploma.pk)
    assert _text(copy) == _text(diploma_pdf(revoked, copy=True))


def test_a_replacement_is_rendered_when_issued(client, my_diploma, registrar,
                                               django_capture_on_commit_callbacks):
    me, diploma = my_diploma
    with django_capture_on_commit_callbacks(execute=True):
        new = diploma_replace(diploma=diploma, reason="Sai ngày sinh", by=registrar)
    assert _stored("diploma-copy", new.pk).content_hash
    renders = documents.renders
    copy = _download(client, me, "degrees-my-diploma-pdf", new.pk)
    assert documents.renders == renders and new.serial_number in _text(copy)


def test_a_bulk_run_joins_the_chunks_parts_and_takes_a_document_replaced_since_as_now(
        registrar, settings, tmp_path):
    """The chunks join their documents into part files; the last step copies their pages
    in the order asked. A document whose stored file was replaced after its chunk joined
    it, and one no chunk joined, are taken as they are now; the parts are then removed."""
    from degrees.documents import DIPLOMA
    from degrees.models import DiplomaPrintJob

    settings.DOCUMENTS_PRERENDER = False
    settings.MEDIA_ROOT = str(tmp_path)
    decision, diplomas = issued(finished_class(3), registrar)
    keys = [str(d.pk) for d in diplomas]
    job = DiplomaPrintJob.objects.create(decision=decision, created_by=registrar, total=3)
    label = job._meta.label
    assert documents.documents_bulk_chunk(DIPLOMA, keys[:1], label, job.pk, 0) == 1
    assert documents.documents_bulk_chunk(DIPLOMA, keys[1:2], label, job.pk, 1) == 1
    folder = tmp_path / "documents" / "parts" / f"degrees-DiplomaPrintJob-{job.pk}"
    assert sorted(p.name for p in folder.iterdir()) == [
        "00000.json", "00000.pdf", "00001.json", "00001.pdf"]
    # Re-rendered after its chunk ran (its content changed meanwhile): not the part's copy.
    RenderedDocument.objects.filter(kind=DIPLOMA, key=keys[1]).update(content_hash="new")

    renders = documents.renders
    pdf = documents.documents_joined(DIPLOMA, list(reversed(keys)), job)
    assert documents.renders == renders + 2  # keys[1] as it is now, keys[2] never joined
    text = _text(pdf)
    assert sorted(text.index(d.serial_number) for d in diplomas) == [
        text.index(d.serial_number) for d in reversed(diplomas)]
    assert not folder.exists()
