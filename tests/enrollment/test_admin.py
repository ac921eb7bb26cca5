"""The registrar's console: lists that stay fast, accent-insensitive search, decisions,
enrolment, exports, letters, import, status decisions, and who may do what."""

import io
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from enrollment import services
from enrollment.models import Application, Enrollment, Learner
from tests.enrollment.factories import (
    LearnerFactory,
    application,
    enrol,
    national_id_for,
    occupation,
    open_round,
    pdf,
    submit,
)
from vetschool.accounts.models import PersonalDataAccess

pytestmark = pytest.mark.django_db


@pytest.fixture
def it_college(db):
    return occupation("6480201", "Công nghệ thông tin")


@pytest.fixture
def round_(it_college):
    return open_round(year=2026, quotas={it_college: 10})


@pytest.fixture
def staff(client, registrar):
    client.force_login(registrar)
    return client


def _learners(n, occ):
    for i in range(n):
        enrol(LearnerFactory(full_name=f"Lê Văn Học {i}"), occ)


def _changelist_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_learner_list_query_count_does_not_grow_with_rows(staff, it_college,
                                                              django_assert_max_num_queries):
    url = "/admin/enrollment/learner/"
    _learners(3, it_college)
    few = _changelist_queries(staff, url)
    _learners(40, it_college)
    many = _changelist_queries(staff, url)
    assert many == few
    with django_assert_max_num_queries(14):
        staff.get(url)


def test_the_application_list_query_count_does_not_grow_with_rows(staff, round_, it_college,
                                                                  django_assert_max_num_queries):
    url = "/admin/enrollment/application/"
    for _ in range(3):
        application(round_, [it_college])
    few = _changelist_queries(staff, url)
    for _ in range(30):
        application(round_, [it_college])
    assert _changelist_queries(staff, url) == few
    with django_assert_max_num_queries(14):
        staff.get(url)


@pytest.mark.parametrize("query", ["nguyen van an", "NGUYEN VAN AN", "Nguyễn Văn An",
                                   "van an", "nguyễn an"])
def test_search_ignores_accents_and_case(staff, it_college, query):
    an = LearnerFactory(full_name="Nguyễn Văn An")
    LearnerFactory(full_name="Nguyễn Văn Anh Tuấn")  # contains "an" too
    other = LearnerFactory(full_name="Trần Thị Bích")
    html = staff.get("/admin/enrollment/learner/", {"q": query}).content.decode()
    assert an.code in html
    assert other.code not in html


def test_search_by_code_tracking_code_and_full_personal_id(staff, round_, it_college):
    learner = LearnerFactory(full_name="Đặng Thu Hà")
    html = staff.get("/admin/enrollment/learner/", {"q": learner.national_id}).content.decode()
    assert learner.code in html
    app = application(round_, [it_college], full_name="Đỗ Minh Quân")
    html = staff.get("/admin/enrollment/application/",
                     {"q": app.tracking_code.lower()}).content.decode()
    assert "Đỗ Minh Quân" in html
    html = staff.get("/admin/enrollment/application/", {"q": "do minh quan"}).content.decode()
    assert "Đỗ Minh Quân" in html


def test_lists_mask_ids_and_a_reveal_is_logged(staff, registrar):
    learner = LearnerFactory()
    html = staff.get("/admin/enrollment/learner/").content.decode()
    assert learner.national_id not in html
    assert learner.national_id_masked in html
    change = staff.get(f"/admin/enrollment/learner/{learner.pk}/change/").content.decode()
    assert learner.national_id not in change
    assert PersonalDataAccess.objects.count() == 0
    change = staff.get(f"/admin/enrollment/learner/{learner.pk}/change/",
                       {"reveal": "national_id"}).content.decode()
    assert learner.national_id in change
    read = PersonalDataAccess.objects.get()
    assert (read.user, read.subject_id, read.field) == (registrar, str(learner.pk),
                                                         "national_id")


def test_admit_action_then_enrol_page_shows_one_time_passwords(staff, round_, it_college):
    apps = [application(round_, [it_college]) for _ in range(2)]
    response = staff.post("/admin/enrollment/application/", {
        "action": "admit", "_selected_action": [a.pk for a in apps]})
    assert response.status_code == 302
    assert Application.objects.filter(status="admitted").count() == 2

    ids = ",".join(str(a.pk) for a in apps)
    response = staff.post(f"/admin/enrollment/application/enrol/?ids={ids}", {
        "ids": ids, "decision_number": "88/QĐ-CĐSH", "decision_date": "2026-01-10",
        "mode": "full_time", "start_date": "", "expected_end_date": ""})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('class="one-time-password"') == 2
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    assert Learner.objects.count() == 2


def test_reject_asks_for_a_reason(staff, round_, it_college):
    app = application(round_, [it_college])
    url = f"/admin/enrollment/application/decide/reject/?ids={app.pk}"
    assert staff.get(url).status_code == 200
    response = staff.post(url, {"ids": str(app.pk), "reason": ""})
    assert response.status_code == 200  # the form again, with its error
    app.refresh_from_db()
    assert app.status == "submitted"
    staff.post(url, {"ids": str(app.pk), "reason": "Không đủ điều kiện văn hóa"})
    app.refresh_from_db()
    assert (app.status, app.decision_reason) == ("rejected", "Không đủ điều kiện văn hóa")


def test_a_full_quota_is_reported_by_the_admit_action(staff, it_college, client):
    round_ = open_round(quotas={it_college: 1})
    apps = [application(round_, [it_college]) for _ in range(2)]
    response = staff.post("/admin/enrollment/application/", {
        "action": "admit", "_selected_action": [a.pk for a in apps]}, follow=True)
    html = response.content.decode()
    assert "quota" in html.lower() or "chỉ tiêu" in html.lower()
    assert Application.objects.filter(status="admitted").count() == 1


def test_admission_list_export_is_xlsx_with_masked_ids(staff, round_, it_college, registrar):
    app = services.application_admit(application=application(round_, [it_college],
                                                             full_name="Bùi Thị Ngọc"),
                                     by=registrar)
    response = staff.post("/admin/enrollment/application/", {
        "action": "export_admission_list", "_selected_action": [app.pk]})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][2] == "Bùi Thị Ngọc"
    assert rows[1][5] == app.national_id_masked
    assert app.national_id not in str(rows)


def test_admission_letters_pdf_keeps_vietnamese_text(staff, round_, it_college, registrar):
    from vetschool.demo import seed_institution

    seed_institution()
    admitted = [
        services.application_admit(application=application(round_, [it_college],
                                                           full_name=name), by=registrar)
        for name in ("Nguyễn Thị Hương", "Phạm Đức Thắng")
    ]
    response = staff.post("/admin/enrollment/application/", {
        "action": "print_letters", "_selected_action": [a.pk for a in admitted]})
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 2
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    for expected in ("Nguyễn Thị Hương", "Phạm Đức Thắng", "Công nghệ thông tin",
                     "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                     "Trường Cao đẳng Kỹ thuật Công nghệ Sông Hồng".upper()):
        assert expected in text, expected
    fonts = {str(font) for page in reader.pages
             for font in page["/Resources"]["/Font"].values()
             for font in [font.get_object()["/BaseFont"]]}
    # Only the shipped DejaVu files, under the family name the template gives them.
    assert fonts and all(f.split("+")[-1].startswith("Letter-Sans") for f in fonts), fonts


def test_import_page_reports_rows_or_imports(staff, it_college):
    header = ("learner_code,full_name,date_of_birth,gender,national_id,ethnicity_code,"
              "occupation_code,admission_year,start_date\n")
    bad = header + "CD1,Lò Văn Pọm,2005-02-02,nam,001205000001,99,6480201,2024,2024-09-05\n"
    response = staff.post("/admin/enrollment/learner/import/", {
        "file": pdf("hoc-sinh.csv", bad.encode())})
    html = response.content.decode()
    assert 'id="import-problems"' in html
    assert Learner.objects.count() == 0
    good = header + "CD1,Lò Văn Pọm,2005-02-02,nam,001205000001,07,6480201,2024,2024-09-05\n"
    good = good.replace("001205000001", national_id_for(date(2005, 2, 2), "male"))
    response = staff.post("/admin/enrollment/learner/import/", {
        "file": pdf("hoc-sinh.csv", good.encode())})
    assert response.status_code == 302
    assert Learner.objects.get().ethnic_group.code == "07"


def test_learner_corrections_from_the_admin_go_through_validation(staff):
    learner = LearnerFactory(full_name="Mai Văn Tú")
    url = f"/admin/enrollment/learner/{learner.pk}/change/?reveal=national_id"
    data = {"full_name": "  Mai  Văn Tú ", "date_of_birth": "2006-05-01", "gender": "male",
            "national_id": "001206000000", "ethnic_group": learner.ethnic_group_id,
            "nationality": "VN", "province": learner.province_id, "address": "", "phone": "",
            "email": "", "enrollments-TOTAL_FORMS": "0", "enrollments-INITIAL_FORMS": "0"}
    response = staff.post(url, {**data, "national_id": "001106000000"})
    assert response.status_code == 200
    assert "4th digit" in response.content.decode() or "số thứ 4" in response.content.decode()
    response = staff.post(url, data)
    assert response.status_code == 302
    learner.refresh_from_db()
    assert (learner.full_name, learner.national_id) == ("Mai Văn Tú", "001206000000")


def test_status_decision_page_records_and_never_offers_graduation(staff):
    enrollment = enrol()
    url = f"/admin/enrollment/enrollment/{enrollment.pk}/status/"
    html = staff.get(url).content.decode()
    assert 'value="graduated"' not in html and 'value="dismissed"' not in html
    response = staff.post(url, {"status": "suspended", "decision_number": "9/QĐ",
                                "decision_date": "2025-10-01", "effective_date": "2025-10-02",
                                "reason": "Đình chỉ học tập có thời hạn"})
    assert response.status_code == 302
    assert Enrollment.objects.get(pk=enrollment.pk).status == "suspended"
    response = staff.post(url, {"status": "graduated", "decision_number": "9/QĐ",
                                "decision_date": "2025-10-01", "effective_date": "2025-10-02",
                                "reason": "x"})
    assert response.status_code == 200
    assert Enrollment.objects.get(pk=enrollment.pk).status == "suspended"


def test_a_learners_history_is_on_one_page(staff, round_, it_college, registrar):
    app = services.application_admit(application=submit(round_, [it_college]), by=registrar)
    result = services.application_enroll(application=app, by=registrar,
                                         decision_number="1/QĐ", decision_date=date(2026, 1, 2))
    services.enrollment_change_status(enrollment=result.enrollment, status="reserved",
                                      decision_number="7/QĐ", decision_date=date(2026, 1, 3),
                                      reason="Điều trị dài ngày", by=registrar)
    html = staff.get(f"/admin/enrollment/learner/{result.learner.pk}/history/").content.decode()
    for expected in ("7/QĐ", "Điều trị dài ngày", app.tracking_code, "1/QĐ"):
        assert expected in html, expected


def test_rounds_are_created_with_quotas_in_the_admin(staff, it_college):
    welding = occupation("5520123", "Hàn")
    response = staff.post("/admin/enrollment/admissionround/add/", {
        "year": "2027", "number": "1", "name": "Tuyển sinh 2027", "is_published": "on",
        "opens_on": "2027-03-01", "closes_on": "2027-08-31", "classes_start_on": "2027-09-06",
        "notes": "", "quotas-TOTAL_FORMS": "2", "quotas-INITIAL_FORMS": "0",
        "quotas-0-occupation": it_college.pk, "quotas-0-places": "120",
        "quotas-1-occupation": welding.pk, "quotas-1-places": "40",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    from enrollment.models import AdmissionRound

    round_ = AdmissionRound.objects.get(year=2027)
    assert sorted(round_.quotas.values_list("places", flat=True)) == [40, 120]


@pytest.mark.parametrize("persona", ["qa_officer", "teacher", "learner", "hr_officer"])
def test_only_the_registrar_decides_and_enrols(client, persona, request, round_, it_college):
    client.force_login(request.getfixturevalue(persona))
    app = application(round_, [it_college])
    for url in (f"/admin/enrollment/application/decide/reject/?ids={app.pk}",
                f"/admin/enrollment/application/enrol/?ids={app.pk}",
                "/admin/enrollment/learner/import/"):
        response = client.post(url, {"ids": str(app.pk), "reason": "x"})
        assert response.status_code in (302, 403), url
    app.refresh_from_db()
    assert app.status == "submitted"


def test_the_qa_officer_reads_but_cannot_change(client, qa_officer, round_, it_college):
    client.force_login(qa_officer)
    learner = LearnerFactory()
    assert client.get("/admin/enrollment/learner/").status_code == 200
    response = client.post(f"/admin/enrollment/learner/{learner.pk}/change/",
                           {"full_name": "Đổi Tên"})
    assert response.status_code == 403
    assert client.get(f"/admin/enrollment/enrollment/{enrol(learner).pk}/status/"
                      ).status_code == 403


def test_documents_are_served_to_staff_only(client, staff, registrar, round_, it_college,
                                            teacher):
    app = submit(round_, [it_college])
    document = app.documents.first()
    url = reverse("admin:enrollment_application_document", args=[app.pk, document.pk])
    response = staff.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    staff.logout()
    client.force_login(teacher)
    assert client.get(url).status_code == 302  # not staff: sent to the admin login
