"""The registrar works everything in the Django admin: review, export, adjust, decide, issue,
print (background job with progress), replace, revoke, copies, register exports, requests."""


from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from degrees.models import (
    CertifiedCopy,
    CopyRequest,
    Diploma,
    DiplomaPrintJob,
    DiplomaStatus,
    GraduationDecision,
    GraduationReview,
)
from tests.degrees.factories import DECISION_DATE, REVIEW_DATE, finished_class

pytestmark = pytest.mark.django_db


def test_the_registrar_reviews_decides_issues_prints_and_corrects_in_the_admin(
        client, registrar, django_assert_max_num_queries):
    w = finished_class(3, gpas={2: "1.70"})
    client.force_login(registrar)
    response = client.post(reverse("admin:degrees_graduationreview_add"), {
        "homeroom_class": w.homeroom_class.pk, "review_date": REVIEW_DATE.isoformat(),
        "note": ""})
    assert response.status_code == 302, response.content.decode()[:2000]
    review = GraduationReview.objects.get()
    assert client.get(reverse("admin:degrees_graduationreview_change",
                              args=[review.pk])).status_code == 200

    xlsx = client.get(reverse("admin:degrees_graduationreview_xlsx", args=[review.pk]))
    sheet = load_workbook(BytesIO(xlsx.content)).active
    values = [cell for row in sheet.iter_rows(values_only=True) for cell in row if cell]
    assert "Phạm Thu Dung" not in values  # 3 learners: Ánh, Bình, Cường
    assert any("cumulative GPA below the minimum" in str(v) for v in values)

    line = review.lines.get(eligible=False)
    response = client.post(reverse("admin:degrees_graduationreview_adjust", args=[line.pk]),
                           {"eligible": "on", "classification": "average", "reason": ""})
    assert response.status_code == 200 and "required" in response.content.decode()
    response = client.post(reverse("admin:degrees_graduationreview_adjust", args=[line.pk]),
                           {"eligible": "", "classification": "",
                            "reason": "Confirmed by the council"})
    assert response.status_code == 302

    response = client.post(reverse("admin:degrees_graduationreview_decide", args=[review.pk]), {
        "number": "245/QĐ-CĐSH", "date": DECISION_DATE.isoformat(),
        "signer_name": "TS. Vũ Quang Minh", "signer_title": "Hiệu trưởng"})
    assert response.status_code == 302
    decision = GraduationDecision.objects.get()
    assert decision.lines.count() == 2

    response = client.post(reverse("admin:degrees_graduationdecision_issue",
                                   args=[decision.pk]), {"issue_date": "2026-07-20"})
    assert response.status_code == 302
    assert Diploma.objects.count() == 2

    with django_assert_max_num_queries(12):
        assert client.get(reverse("admin:degrees_diploma_changelist")).status_code == 200

    from django.test import TestCase

    print_url = reverse("admin:degrees_graduationdecision_print", args=[decision.pk])
    confirm = client.get(print_url)  # a GET only asks
    assert confirm.status_code == 200 and 'method="post"' in confirm.content.decode()
    assert not DiplomaPrintJob.objects.exists()
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(print_url)
    job = DiplomaPrintJob.objects.get()
    assert response.url == reverse("admin:degrees_diplomaprintjob_progress", args=[job.pk])
    page = client.get(response.url)
    assert page.status_code == 200 and "245/QĐ-CĐSH" in page.content.decode()
    progress = client.get(response.url + "?format=json").json()
    assert progress == {"status": "done", "done": 2, "total": 2, "percent": 100, "error": "",
                        "download": True}
    download = client.get(reverse("admin:degrees_diplomaprintjob_download", args=[job.pk]))
    assert b"".join(download.streaming_content).startswith(b"%PDF")

    first, second = Diploma.objects.order_by("serial_sequence")
    assert client.post(reverse("admin:degrees_diploma_replace", args=[first.pk]),
                       {"reason": "Sai tên"}).status_code == 302
    assert client.post(reverse("admin:degrees_diploma_revoke", args=[second.pk]), {
        "decision_number": "9/QĐ", "decision_date": "2026-09-01",
        "reason": "Gian lận"}).status_code == 302
    assert client.post(reverse("admin:degrees_diploma_copy", args=[first.pk]),
                       {"requester_name": "Nguyễn Thị Ánh"}).status_code == 302
    assert CertifiedCopy.objects.count() == 1
    assert sorted(Diploma.objects.values_list("status", flat=True)) == [
        "issued", "replaced", "revoked"]

    response = client.post(reverse("admin:degrees_diploma_changelist"), {
        "action": "export_xlsx", "_selected_action": list(
            Diploma.objects.values_list("pk", flat=True))})
    sheet = load_workbook(BytesIO(response.content)).active
    statuses = [row[11] for row in sheet.iter_rows(min_row=5, values_only=True)]
    assert sorted(statuses) == ["Replaced", "Revoked", "Valid"]
    response = client.post(reverse("admin:degrees_diploma_changelist"), {
        "action": "export_pdf", "_selected_action": list(
            Diploma.objects.values_list("pk", flat=True))})
    assert response.content.startswith(b"%PDF")
    pdf = client.get(reverse("admin:degrees_diploma_pdf", args=[first.pk]))
    assert pdf["Content-Type"] == "application/pdf"


def test_printing_diplomas_needs_a_post(client, registrar):
    """A GET (a link or an image on another site) only shows the confirmation; the job
    starts on the POST of that page, which carries the CSRF token."""
    from django.test import Client, TestCase

    from tests.degrees.factories import issued

    decision, _diplomas = issued(finished_class(1), registrar)
    url = reverse("admin:degrees_graduationdecision_print", args=[decision.pk])
    client.force_login(registrar)
    page = client.get(url)
    assert page.status_code == 200 and "csrfmiddlewaretoken" in page.content.decode()
    assert not DiplomaPrintJob.objects.exists()

    forged = Client(enforce_csrf_checks=True)
    forged.force_login(registrar)
    assert forged.post(url).status_code == 403
    assert not DiplomaPrintJob.objects.exists()

    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302
    assert DiplomaPrintJob.objects.get().decision == decision


def test_the_request_queue(client, registrar, mailoutbox):
    from degrees.services.requests import copy_request_submit
    from tests.degrees.factories import issued

    w = finished_class(1)
    _decision, (diploma,) = issued(w, registrar)
    request = copy_request_submit(kind="certified_copy", serial_number=diploma.serial_number,
                                  date_of_birth=diploma.date_of_birth, full_name="Nguyễn Thị Ánh",
                                  email="anh@example.com", copies=2)
    client.force_login(registrar)
    changelist = reverse("admin:degrees_copyrequest_changelist")
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(changelist, {"action": "mark_ready", "_selected_action": [request.pk]})
    request.refresh_from_db()
    assert request.status == "ready"
    assert CertifiedCopy.objects.filter(diploma=diploma).count() == 2
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["anh@example.com"]
    assert diploma.serial_number in mailoutbox[0].body
    client.post(changelist, {"action": "mark_delivered", "_selected_action": [request.pk]})
    request.refresh_from_db()
    assert request.status == "delivered" and request.delivered_at
    assert CopyRequest.objects.count() == 1


def test_others_cannot_work_the_register(client, teacher, registrar):
    from tests.degrees.factories import issued

    w = finished_class(1)
    _decision, (diploma,) = issued(w, registrar)
    client.force_login(teacher)
    response = client.post(reverse("admin:degrees_diploma_revoke", args=[diploma.pk]), {
        "decision_number": "9/QĐ", "decision_date": "2026-09-01", "reason": "x"})
    assert response.status_code in (302, 403, 404)
    diploma.refresh_from_db()
    assert diploma.status == DiplomaStatus.ISSUED
