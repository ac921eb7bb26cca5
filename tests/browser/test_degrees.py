"""An employer verifies a diploma by its QR code: the URL printed beside the QR in the
diploma PDF (parsed back) opens the public verification page in a real browser."""

import re
from datetime import date
from io import BytesIO

import pytest
from pypdf import PdfReader

from degrees.pdf import diploma_pdf
from degrees.services.register import diploma_revoke
from tests.browser.conftest import serious_accessibility_violations
from tests.degrees.factories import finished_class, issued

pytestmark = [pytest.mark.browser,
              pytest.mark.django_db(transaction=True)]


def test_an_employer_verifies_a_diploma_by_its_qr_code(browser, page, live_server, registrar,
                                                       settings):
    settings.PUBLIC_URL = live_server.url
    w = finished_class(1)
    _decision, (diploma,) = issued(w, registrar)
    text = PdfReader(BytesIO(diploma_pdf(diploma))).pages[0].extract_text()
    match = re.search(r"(http://\S+/verify/[0-9a-f-]{36}/)", text.replace("\n", ""))
    assert match, text
    url = match.group(1)
    assert url == f"{live_server.url}/verify/{diploma.token}/"

    page.goto(url)  # the employer's phone, in Vietnamese
    assert page.get_by_text("Văn bằng này còn hiệu lực.").is_visible()
    assert serious_accessibility_violations(page) == []

    context = browser.new_context(locale="en-US")
    english = context.new_page()
    english.goto(url)
    status = english.locator(".verification .status")
    assert status.inner_text() == "Valid"
    assert english.get_by_text("This diploma is valid.").is_visible()
    assert english.get_by_text("Nguyễn Thị Ánh").is_visible()
    assert diploma.national_id not in english.content()

    diploma_revoke(diploma=diploma, reason="Gian lận", decision_number="9/QĐ",
                   decision_date=date(2026, 9, 1), by=registrar)
    english.reload()
    assert english.locator(".verification .status").inner_text() == "Revoked"
    context.close()
