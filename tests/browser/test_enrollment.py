"""Done-when of the enrolment issue, in a real browser: an applicant applies (and is told
what is wrong with a bad personal ID and a disguised upload), follows the application,
the registrar admits and enrols in the admin, and the new learner logs in to the portal
and finds their record with its history. Every page passes axe-core's serious checks."""

from datetime import date

import pytest
from django.core.cache import cache

from enrollment.models import Application, Learner
from tests.browser.conftest import log_in, serious_accessibility_violations
from tests.enrollment.conftest import reference_data  # noqa: F401 (fixture)
from tests.enrollment.factories import JPEG, PDF, national_id_for, occupation, open_round

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True),
              pytest.mark.usefixtures("reference_data")]


@pytest.fixture
def documents(tmp_path):
    (tmp_path / "cccd.pdf").write_bytes(PDF)
    (tmp_path / "hoc-ba.jpg").write_bytes(JPEG)
    (tmp_path / "virus.pdf").write_bytes(b"MZ\x90\x00 this is a program, not a PDF")
    return tmp_path


def _fill_application(page, *, national_id, dob, documents, certificate="hoc-ba.jpg"):
    page.fill("#id_full_name", "Đoàn  Thị Hồng Nhung")
    page.fill("#id_date_of_birth", dob.isoformat())
    page.select_option("#id_gender", "female")
    page.fill("#id_national_id", national_id)
    page.select_option("#id_province", label="Hà Nội")
    page.fill("#id_address", "Số 3 ngõ 8 phố Kim Mã, Ba Đình")
    page.fill("#id_phone", "0912000111")
    page.fill("#id_email", "nhung@example.vn")
    page.select_option("#id_education_level", "upper_secondary")
    page.fill("#id_school_name", "THPT Phan Đình Phùng")
    page.fill("#id_graduation_year", str(dob.year + 18))
    page.select_option("#id_wish_1", index=1)
    page.set_input_files("#id_document_id_card", str(documents / "cccd.pdf"))
    page.set_input_files("#id_document_certificate", str(documents / certificate))
    page.check("#id_consent")


def test_apply_admit_enrol_and_log_in(page, live_server, registrar, documents):
    cache.clear()  # the lookup throttle of other tests in this process
    it = occupation("6480201", "Công nghệ thông tin")
    round_ = open_round(quotas={it: 10})
    dob = date(round_.year - 18, 5, 20)
    good_id = national_id_for(dob, "female")

    # The applicant finds the round from the landing page.
    page.goto(f"{live_server.url}/")
    page.click("a[href='/admissions/']")
    assert serious_accessibility_violations(page) == []
    page.click(f"a[href='/admissions/{round_.pk}/apply/']")
    assert serious_accessibility_violations(page) == []

    # A personal ID of a man and a program disguised as a PDF: both refused, clearly.
    _fill_application(page, national_id=national_id_for(dob, "male"), dob=dob,
                      documents=documents, certificate="virus.pdf")
    page.click("button[type=submit]")
    assert page.locator("#id_national_id_error").is_visible()
    assert "(2)" in page.locator("#id_national_id_error").inner_text()
    assert "virus.pdf" in page.locator("#id_document_certificate_error").inner_text()
    assert page.get_by_role("alert").is_visible()
    assert Application.objects.count() == 0
    assert serious_accessibility_violations(page) == []

    # Corrected, the application goes through and gives a tracking code.
    _fill_application(page, national_id=good_id, dob=dob, documents=documents)
    page.click("button[type=submit]")
    page.wait_for_url("**/admissions/submitted/")
    code = page.locator("#tracking-code").inner_text().strip()
    application = Application.objects.get()
    assert code == application.tracking_code
    assert application.full_name == "Đoàn Thị Hồng Nhung"
    assert serious_accessibility_violations(page) == []

    # ... and follows it with the code and the date of birth.
    page.goto(f"{live_server.url}/admissions/lookup/")
    page.fill("#id_tracking_code", code.lower())
    page.fill("#id_date_of_birth", dob.isoformat())
    page.click("button[type=submit]")
    page.wait_for_url("**/admissions/status/")
    assert page.locator("#application-status").is_visible()
    assert good_id not in page.content()
    assert serious_accessibility_violations(page) == []

    # The registrar admits and enrols in the admin.
    page.context.clear_cookies()
    log_in(page, live_server, registrar.username)
    page.goto(f"{live_server.url}/admin/enrollment/application/{application.pk}/change/")
    page.click(f"a[href='/admin/enrollment/application/decide/admit/?ids={application.pk}']")
    page.click("input[type=submit]")
    page.wait_for_url(f"**/admin/enrollment/application/{application.pk}/change/")
    application.refresh_from_db()
    assert application.status == "admitted"
    page.click(f"a[href='/admin/enrollment/application/enrol/?ids={application.pk}']")
    page.fill("#id_decision_number", "152/QĐ-CĐSH")
    page.fill("#id_decision_date", date.today().isoformat())
    page.click("input[type=submit]")
    password = page.locator(".one-time-password").inner_text().strip()
    learner = Learner.objects.get()
    assert learner.national_id == good_id
    assert learner.enrollments.get().status_changes.get().decision_number == "152/QĐ-CĐSH"

    # The learner's history is on one page for the registrar.
    page.goto(f"{live_server.url}/admin/enrollment/learner/{learner.pk}/history/")
    assert "152/QĐ-CĐSH" in page.locator("#learner-history").inner_text()

    # The new learner logs in with the code and the one-time password.
    page.context.clear_cookies()
    log_in(page, live_server, learner.code, password)
    # ... once: first a password of their own (User.must_change_password), then home.
    assert page.url == f"{live_server.url}/accounts/password/"
    page.fill("#id_old_password", password)
    page.fill("#id_new_password1", "Hoa-sen-Dong-Thap-2026")
    page.fill("#id_new_password2", "Hoa-sen-Dong-Thap-2026")
    page.click("main button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.url == f"{live_server.url}/student/"
    page.goto(f"{live_server.url}/student/record/")
    record = page.locator("main").inner_text()
    assert learner.code in record and "Đoàn Thị Hồng Nhung" in record
    assert "152/QĐ-CĐSH" in record
    assert serious_accessibility_violations(page) == []
