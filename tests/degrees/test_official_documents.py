"""The college's official documents, parsed back: Vietnamese, under the national title where
the regulation's layout has it, and no English word of the interface — the admission
letter, the register extract and the certified copy from the register. The diploma and its
annex stay bilingual, as the regulation's draft asks (test_pdf_and_pages)."""

from datetime import date
from io import BytesIO

import pytest
from pypdf import PdfReader

from degrees.models import Diploma
from degrees.pdf import certified_copy_pdf, diploma_pdf, register_pdf
from degrees.services.register import certified_copy_issue, diploma_revoke
from enrollment import services as enrollment_services
from enrollment.letters import admission_letters_pdf
from tests.degrees.factories import finished_class, issued
from tests.english import ENGLISH
from tests.enrollment.factories import application, occupation, open_round
from vetschool.reference.models import Institution

pytestmark = pytest.mark.django_db

NATIONAL_TITLE = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")


def _text(pdf: bytes) -> str:
    return " ".join(" ".join(page.extract_text().split())
                    for page in PdfReader(BytesIO(pdf)).pages)


def _english(text: str) -> list[str]:
    return sorted(set(ENGLISH.findall(text)))


def test_the_admission_letter_is_vietnamese_under_the_national_title(registrar):
    from vetschool.demo import seed_institution

    seed_institution()
    it = occupation("6480201", "Công nghệ thông tin")
    round_ = open_round(year=2026, quotas={it: 5})
    admitted = enrollment_services.application_admit(
        application=application(round_, [it], full_name="Lò Thị Mai"), by=registrar)
    text = _text(admission_letters_pdf([admitted]))
    for heading in (*NATIONAL_TITLE, "GIẤY BÁO TRÚNG TUYỂN", "HIỆU TRƯỞNG", "Họ và tên",
                    "Ngày sinh", "Mã hồ sơ", "Lò Thị Mai"):
        assert heading in text, heading
    assert _english(text) == []


def test_the_register_extract_is_vietnamese_with_the_register_headings(registrar):
    from vetschool.demo import seed_institution

    seed_institution()
    w = finished_class(2)
    _decision, diplomas = issued(w, registrar)
    diploma_revoke(diploma=diplomas[1], reason="Gian lận trong tuyển sinh",
                   decision_number="9/QĐ-CĐSH", decision_date=date(2026, 8, 1), by=registrar)
    certified_copy_issue(diploma=diplomas[0], requester_name="Nguyễn Văn Bình", by=registrar)
    rows = Diploma.objects.order_by("serial_sequence").prefetch_related("copies")
    text = _text(register_pdf(rows, institution=Institution.current()))
    for heading in (*NATIONAL_TITLE, "TRÍCH SỔ GỐC CẤP BẰNG TỐT NGHIỆP", "STT",
                    "Số vào sổ gốc", "Số hiệu văn bằng", "Họ và tên", "Ngày sinh",
                    "Ngành, nghề đào tạo", "Xếp loại tốt nghiệp",
                    "Quyết định công nhận tốt nghiệp", "Ngày cấp", "Tình trạng", "Ghi chú",
                    "Đã thu hồi", "Còn hiệu lực", "Bản sao số 1", "NGƯỜI LẬP", "HIỆU TRƯỞNG"):
        assert heading in text, heading
    assert _english(text) == []


def test_the_certified_copy_is_vietnamese_and_names_its_number_and_requester(
        client, registrar):
    w = finished_class(1)
    _decision, (diploma,) = issued(w, registrar)
    certified_copy_issue(diploma=diploma, requester_name="Nguyễn Văn Bình", by=registrar)
    copy = certified_copy_issue(diploma=diploma, requester_name="Trần Thị Hoa", by=registrar)
    text = _text(certified_copy_pdf(copy, rector_name="TS. Vũ Quang Minh"))
    for heading in (*NATIONAL_TITLE, "BẢN SAO TỪ SỔ GỐC", "BẰNG TỐT NGHIỆP",
                    "Ngành, nghề đào tạo", "Xếp loại tốt nghiệp", "Số hiệu văn bằng",
                    "Số vào sổ gốc cấp bằng", diploma.serial_number, diploma.register_number,
                    "Bản sao số: 2", "Trần Thị Hoa", "HIỆU TRƯỞNG", "TS. Vũ Quang Minh"):
        assert heading in text, heading
    assert _english(text) == []
    # The diploma itself stays bilingual (REGULATIONS §5.2): its English is not a slip.
    assert _english(_text(diploma_pdf(diploma)))

    # The office prints it from the register: the diploma's PDF with ?copy=N.
    client.force_login(registrar)
    url = f"/admin/degrees/diploma/{diploma.pk}/diploma.pdf"
    response = client.get(url, {"copy": 2})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "Trần Thị Hoa" in _text(response.content)
    assert client.get(url, {"copy": 3}).status_code == 404
    assert client.get(url, {"copy": "x"}).status_code == 404
    listing = client.get("/admin/degrees/certifiedcopy/").content.decode()
    assert f"{url}?copy=2" in listing
