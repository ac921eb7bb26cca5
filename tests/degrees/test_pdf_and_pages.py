"""Diploma PDFs parsed back; the public verification page; the learner's portal page."""

import re
from datetime import date
from io import BytesIO

import pytest
from django.urls import reverse
from pypdf import PdfReader

from degrees.models import Diploma
from degrees.pdf import diploma_pdf, register_pdf
from degrees.services.printing import print_job_create
from degrees.services.register import diploma_replace, diploma_revoke
from tests.degrees.factories import finished_class, issued
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(BytesIO(pdf)).pages]


def test_the_diploma_pdf_carries_the_national_content_and_the_annex(registrar):
    w = finished_class(1)
    _decision, (diploma,) = issued(w, registrar)
    pages = _text(diploma_pdf(diploma))
    assert len(pages) >= 2
    front = " ".join(pages[0].split())
    for text in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                 "TRƯỜNG CAO ĐẲNG KỸ THUẬT CÔNG NGHỆ SÔNG HỒNG", "Nguyễn Thị Ánh", "01/05/2006",
                 "Công nghệ thông tin", "Giỏi", "Very good", "CDSH01-2026-000001",
                 "245/QĐ-CĐSH", "TS. Vũ Quang Minh", "ngày 20 tháng 7 năm 2026"):
        assert text in front, text
    assert f"/verify/{diploma.token}/" in pages[0].replace("\n", "")
    annex = " ".join(pages[1:])
    assert "PHỤ LỤC VĂN BẰNG" in annex
    assert "BẢNG ĐIỂM TOÀN KHÓA" in annex and "Tổng số tín chỉ" in annex
    # Vietnamese numbers: a decimal comma, as on every official document.
    assert "Lập trình hướng đối tượng" in annex and "3,20" in annex and "3.20" not in annex
    assert "BẢN SAO" not in front
    assert "BẢN SAO" in _text(diploma_pdf(diploma, copy=True))[0]


def test_the_register_pdf_lists_every_diploma_with_its_status(registrar):
    w = finished_class(2)
    _decision, diplomas = issued(w, registrar)
    diploma_replace(diploma=diplomas[0], reason="Sai tên", by=registrar)
    pages = _text(register_pdf(Diploma.objects.order_by("serial_sequence")))
    text = " ".join(" ".join(pages).split())
    assert "SỔ GỐC CẤP BẰNG TỐT NGHIỆP" in text
    assert "Đã thay thế" in text and "Còn hiệu lực" in text
    assert text.count("CDSH01-2026-0000") >= 3


def test_printing_a_decision_renders_its_valid_diplomas_into_one_pdf(registrar):
    w = finished_class(3)
    decision, diplomas = issued(w, registrar)
    diploma_revoke(diploma=diplomas[2], reason="Gian lận", decision_number="9/QĐ",
                   decision_date=date(2026, 9, 1), by=registrar)
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        job = print_job_create(decision=decision, by=registrar)
    job.refresh_from_db()
    assert (job.status, job.done, job.total, job.percent) == ("done", 2, 2, 100)
    pages = _text(job.file.read())
    fronts = [p for p in pages if "BẰNG TỐT NGHIỆP" in p and "Số hiệu" in p]
    assert len(fronts) == 2
    assert diplomas[2].serial_number not in " ".join(pages)


def test_verification_by_serial_and_date_of_birth(client, registrar):
    w = finished_class(1)
    _decision, (diploma,) = issued(w, registrar)
    url = reverse("degrees-verify")
    response = client.post(url, {"serial_number": diploma.serial_number.lower(),
                                 "date_of_birth": "2006-05-01"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "This diploma is valid." in body and "Nguyễn Thị Ánh" in body
    assert diploma.national_id not in body
    wrong_birth = client.post(url, {"serial_number": diploma.serial_number,
                                    "date_of_birth": "2006-05-02"})
    no_serial = client.post(url, {"serial_number": "CDSH01-2026-999999",
                                  "date_of_birth": "2006-05-01"})
    assert wrong_birth.status_code == no_serial.status_code == 404

    def answer(response):
        return re.sub(r'value="[^"]*"|"X-CSRFToken": "[^"]*"', "", response.content.decode())

    assert answer(wrong_birth) == answer(no_serial)
    assert "Nguyễn Thị Ánh" not in wrong_birth.content.decode()


def _forms(body: str) -> list[str]:
    return re.findall(r"<form\b[^>]*>", body)


def test_the_date_of_birth_never_travels_in_the_address(client, registrar):
    """Personal data stays out of URLs (logs, history, Referer): the form posts, and the old
    GET with the date of birth in the query string looks nothing up."""
    w = finished_class(1)
    _decision, (diploma,) = issued(w, registrar)
    pages = [client.get(reverse("degrees-verify")),
             client.get(reverse("degrees-verify-token", args=[diploma.token]))]
    for page in pages:
        verify_forms = [f for f in _forms(page.content.decode())
                        if reverse("degrees-verify") in f]
        assert verify_forms and all('method="post"' in f for f in verify_forms)
    old_link = client.get(reverse("degrees-verify"),
                          {"serial_number": diploma.serial_number, "date_of_birth": "2006-05-01"})
    assert old_link.status_code == 200
    assert "Nguyễn Thị Ánh" not in old_link.content.decode()
    assert "This diploma is valid." not in old_link.content.decode()
    # The QR code's link identifies the diploma by itself and keeps working.
    assert "This diploma is valid." in pages[1].content.decode()


def test_verification_by_qr_token_shows_revoked_and_replaced(client, registrar):
    w = finished_class(2)
    _decision, (first, second) = issued(w, registrar)
    diploma_revoke(diploma=first, reason="Gian lận", decision_number="9/QĐ",
                   decision_date=date(2026, 9, 1), by=registrar)
    new = diploma_replace(diploma=second, reason="Sai ngày sinh", by=registrar)
    body = client.get(reverse("degrees-verify-token", args=[first.token])).content.decode()
    assert "This diploma has been revoked." in body and "9/QĐ" in body
    assert "Gian lận" not in body  # the reason stays in the register
    body = client.get(reverse("degrees-verify-token", args=[second.token])).content.decode()
    assert "has been replaced" in body
    body = client.get(reverse("degrees-verify-token", args=[new.token])).content.decode()
    assert "This diploma is valid." in body
    assert client.get(reverse("degrees-verify-token",
                              args=["00000000-0000-4000-8000-000000000000"])).status_code == 404


def test_the_verification_page_is_in_vietnamese_too(client, registrar):
    w = finished_class(1)
    _decision, (diploma,) = issued(w, registrar)
    response = client.get(reverse("degrees-verify-token", args=[diploma.token]),
                          HTTP_ACCEPT_LANGUAGE="vi")
    assert "Văn bằng này còn hiệu lực." in response.content.decode()


def test_verification_is_rate_limited(client, registrar, settings):
    settings.DEGREES_VERIFY_RATE = 3
    w = finished_class(1)
    _decision, (diploma,) = issued(w, registrar)
    url = reverse("degrees-verify-token", args=[diploma.token])
    assert [client.get(url).status_code for _ in range(4)] == [200, 200, 200, 429]


def test_the_learner_sees_own_diploma_and_downloads_a_copy_only_of_it(client, registrar):
    from vetschool.accounts import roles

    me = UserFactory(username="hoc-vien", roles=[roles.LEARNER])
    other = UserFactory(username="hoc-vien-2", roles=[roles.LEARNER])
    w = finished_class(2, users=[me, other])
    _decision, diplomas = issued(w, registrar)
    mine = next(d for d in diplomas if d.enrollment.learner.user_id == me.pk)
    theirs = next(d for d in diplomas if d.pk != mine.pk)
    client.force_login(me)
    page = client.get(reverse("degrees-my-diplomas")).content.decode()
    assert mine.serial_number in page and theirs.serial_number not in page
    response = client.get(reverse("degrees-my-diploma-pdf", args=[mine.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert "BẢN SAO" in _text(response.content)[0]
    assert client.get(reverse("degrees-my-diploma-pdf", args=[theirs.pk])).status_code == 404


def test_the_diploma_admin_page_shows_labels_and_the_annex_not_codes_and_json(client,
                                                                              registrar,
                                                                              superuser):
    w = finished_class(1)
    _decision, (diploma,) = issued(w, registrar)
    client.force_login(superuser)
    client.cookies["django_language"] = "vi"
    page = client.get(reverse("admin:degrees_diploma_change", args=[diploma.pk])).content.decode()
    assert diploma.gender in ("male", "female")
    assert {"male": "Nam", "female": "Nữ"}[diploma.gender] in page
    assert f">{diploma.gender}<" not in page
    # The annex as a table with Vietnamese numbers, not the stored JSON.
    assert '"modules"' not in page and "&quot;modules&quot;" not in page
    assert "Lập trình hướng đối tượng" in page and "3,20" in page
