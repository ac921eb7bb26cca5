"""The register's PDF/XLSX export: a large selection is a background job the asker follows
and downloads (nobody else), its error on its page; a small one still downloads at once."""

from io import BytesIO

import pytest
from django.test import Client, TestCase
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from degrees.models import Diploma, RegisterExportJob
from degrees.services.register_exports import register_export_start
from degrees.tasks import register_export_run
from tests.degrees.factories import finished_class, issued
from tests.factories import UserFactory
from vetschool.accounts import roles

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:degrees_diploma_changelist"


def _other_registrar():
    other = Client()
    other.force_login(UserFactory(username="registrar-other", roles=[roles.REGISTRAR],
                                  is_staff=True))
    return other


def _export(client, action, diplomas):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(reverse(CHANGELIST), {
            "action": action, "_selected_action": [d.pk for d in diplomas]})


def test_a_large_selection_is_exported_by_a_worker_for_the_asker_only(
        client, registrar, settings, django_assert_max_num_queries):
    settings.DEGREES_REGISTER_IN_REQUEST = 2
    _decision, diplomas = issued(finished_class(3), registrar)
    client.force_login(registrar)

    response = _export(client, "export_pdf", diplomas)

    job = RegisterExportJob.objects.get()
    job_url = reverse("admin:degrees_diploma_register_job", args=[job.pk])
    assert response.status_code == 302 and response["Location"] == job_url
    assert (job.format, job.total, job.created_by) == ("pdf", 3, registrar)
    with django_assert_max_num_queries(12):
        page = client.get(job_url)
    assert page.status_code == 200
    html = page.content.decode()
    download_url = reverse("admin:degrees_diploma_register_download", args=[job.pk])
    assert download_url in html and "Download the PDF file" in html
    assert client.get(job_url + "?format=json").json() == {
        "status": "done", "done": 3, "total": 3, "percent": 100, "error": "",
        "download": True}

    download = client.get(download_url)
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert 'filename="so-goc-cap-bang.pdf"' in download["Content-Disposition"]
    reader = PdfReader(BytesIO(b"".join(download.streaming_content)))
    text = "".join(page.extract_text() for page in reader.pages)
    serials = sorted(d.serial_number for d in diplomas)
    assert len(serials) == 3 and all(serial in text for serial in serials), (serials, text)
    assert "SỔ GỐC" in text.upper()

    other = _other_registrar()
    for url in (job_url, job_url + "?format=json", download_url):
        assert other.get(url).status_code == 404

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    html = client.get(job_url).content.decode()
    assert "Xuất sổ gốc (PDF)" in html and "Tải tệp PDF" in html
    assert "being exported" not in html


def test_a_large_xlsx_selection_is_queued_too(client, registrar, settings):
    settings.DEGREES_REGISTER_IN_REQUEST = 1
    _decision, diplomas = issued(finished_class(2), registrar)
    client.force_login(registrar)

    response = _export(client, "export_xlsx", diplomas)

    job = RegisterExportJob.objects.get()
    assert response["Location"] == reverse("admin:degrees_diploma_register_job", args=[job.pk])
    assert "Download the XLSX file" in client.get(response["Location"]).content.decode()
    download = client.get(reverse("admin:degrees_diploma_register_download", args=[job.pk]))
    sheet = load_workbook(BytesIO(b"".join(download.streaming_content))).active
    cells = {cell for row in sheet.iter_rows(values_only=True) for cell in row if cell}
    assert {d.serial_number for d in diplomas} <= cells
    assert "Serial number" in cells  # the asker's language (English here)


def test_a_small_selection_still_downloads_at_once(client, registrar, settings):
    settings.DEGREES_REGISTER_IN_REQUEST = 2
    _decision, diplomas = issued(finished_class(2), registrar)
    client.force_login(registrar)

    pdf = _export(client, "export_pdf", diplomas)
    xlsx = _export(client, "export_xlsx", diplomas)

    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    text = "".join(p.extract_text() for p in PdfReader(BytesIO(pdf.content)).pages)
    assert all(d.serial_number in text for d in diplomas)
    sheet = load_workbook(BytesIO(xlsx.content)).active
    cells = {cell for row in sheet.iter_rows(values_only=True) for cell in row if cell}
    assert {d.serial_number for d in diplomas} <= cells
    assert not RegisterExportJob.objects.exists()


def test_the_jobs_error_shows_on_its_page(client, registrar):
    """A selected diploma the register does not hold fails the job (no extract with a row
    silently missing); its page says why and offers no file."""
    _decision, diplomas = issued(finished_class(1), registrar)
    missing = Diploma.objects.order_by("-pk").values_list("pk", flat=True).first() + 1000
    with pytest.raises(LookupError), TestCase.captureOnCommitCallbacks(execute=True):
        register_export_start(diploma_ids=[diplomas[0].pk, missing], export_format="pdf",
                              by=registrar)  # the eager worker re-raises for its log
    job = RegisterExportJob.objects.get()
    assert (job.status, bool(job.file)) == ("failed", False)
    assert register_export_run(job.pk) is None  # a second delivery does nothing

    client.force_login(registrar)
    page = client.get(reverse("admin:degrees_diploma_register_job", args=[job.pk]))
    html = page.content.decode()
    assert "1 of the selected diplomas are not in the register." in html
    assert "errornote" in html
    assert client.get(reverse("admin:degrees_diploma_register_download",
                              args=[job.pk])).status_code == 404
