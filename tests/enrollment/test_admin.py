"""The registrar's console: lists that stay fast, accent-insensitive search, decisions,
enrolment, exports, letters, import, status decisions, and who may do what."""

import io
from datetime import date

import pytest
from django.db import connection
from django.test import Client
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
from tests.factories import UserFactory
from vetschool.accounts import roles
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


def test_a_search_of_the_learner_list_does_not_grow_with_matches(staff, it_college,
                                                                 django_assert_max_num_queries):
    """The registrar's search by name (benchmarks/bench_load.py): 3 matches or 40, the same
    queries."""
    url = "/admin/enrollment/learner/?q=le van hoc"
    _learners(3, it_college)
    few = _changelist_queries(staff, url)
    _learners(40, it_college)
    with django_assert_max_num_queries(few):
        response = staff.get(url)
    assert response.status_code == 200
    assert response.context["cl"].result_count == 43


def test_the_application_list_query_count_does_not_grow_with_rows(staff, round_, it_college,
                                                                  django_assert_max_num_queries):
    url = "/admin/enrollment/application/"
    for _ in range(3):
        application(round_, [it_college])
    few = _changelist_queries(staff, url)
    for _ in range(30):
        application(round_, [it_college])
    assert _changelist_queries(staff, url) == few
    # +1: the staff session's second-factor device (django-otp, issue #19)
    with django_assert_max_num_queries(15):
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
    # The old GET switch shows nothing and logs nothing.
    change = staff.get(f"/admin/enrollment/learner/{learner.pk}/change/",
                       {"reveal": "national_id"}).content.decode()
    assert learner.national_id not in change
    url = f"/admin/enrollment/learner/{learner.pk}/national-id/"
    assert url in staff.get(f"/admin/enrollment/learner/{learner.pk}/change/").content.decode()
    asked = staff.get(url).content.decode()
    assert learner.national_id not in asked and 'method="post"' in asked
    assert PersonalDataAccess.objects.count() == 0
    shown = staff.post(url, {"reason": "Làm thẻ bảo hiểm y tế"})
    assert learner.national_id in shown.content.decode()
    assert "no-store" in shown["Cache-Control"]
    read = PersonalDataAccess.objects.get()
    assert (read.user, read.subject_id, read.field, read.reason) == (
        registrar, str(learner.pk), "national_id", "Làm thẻ bảo hiểm y tế")
    # Having given the reason, the registrar may correct the number on the record.
    change = staff.get(f"/admin/enrollment/learner/{learner.pk}/change/").content.decode()
    assert f'value="{learner.national_id}"' in change


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
                     "Trường Cao đẳng Kỹ thuật Công nghệ Sông Hồng".upper(),
                     "GIẤY BÁO TRÚNG TUYỂN", "HIỆU TRƯỞNG", "Họ và tên", "Ngày sinh"):
        assert expected in text, expected
    assert "ADMISSION LETTER" not in text and "PRINCIPAL" not in text
    fonts = {str(font) for page in reader.pages
             for font in page["/Resources"]["/Font"].values()
             for font in [font.get_object()["/BaseFont"]]}
    # Only the shipped DejaVu files, under the family name vetschool.pdf gives them.
    assert fonts and all(f.split("+")[-1].startswith("Document-Sans") for f in fonts), fonts


def test_import_runs_in_the_background_and_reports_rows_or_imports(
        staff, it_college, registrar, django_capture_on_commit_callbacks):
    header = ("learner_code,full_name,date_of_birth,gender,national_id,ethnicity_code,"
              "occupation_code,admission_year,start_date\n")
    row = "CD1,Lò Văn Pọm,2005-02-02,nam,{id},{ethnicity},6480201,2024,2024-09-05\n"
    good_id = national_id_for(date(2005, 2, 2), "male")

    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post("/admin/enrollment/learner/import/", {
            "file": pdf("hoc-sinh.csv", (header + row.format(id=good_id, ethnicity="99"))
                        .encode())})
    assert response.status_code == 302
    report = staff.get(response.url).content.decode()
    assert 'id="import-problems"' in report and "ethnicity_code" in report
    assert Learner.objects.count() == 0

    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post("/admin/enrollment/learner/import/", {
            "file": pdf("hoc-sinh.csv", (header + row.format(id=good_id, ethnicity="07"))
                        .encode())})
    assert 'id="import-done"' in staff.get(response.url).content.decode()
    assert Learner.objects.get().ethnic_group.code == "07"
    from enrollment.models import LearnerImport

    imports = list(LearnerImport.objects.order_by("created_at"))
    assert [(i.status, len(i.problems), i.new, i.created_by) for i in imports] == [
        ("done", 1, 0, registrar), ("done", 0, 1, registrar)]
    listing = staff.get("/admin/enrollment/learner/import/").content.decode()
    assert "hoc-sinh.csv" in listing


def test_a_queued_import_runs_once(registrar, it_college):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from enrollment.models import LearnerImport

    record = LearnerImport.objects.create(
        file=SimpleUploadedFile("x.csv", b"learner_code\n"), filename="x.csv", created_by=registrar)
    first = services.learner_import_run(import_id=record.pk)
    assert first.status == "done" and first.problems  # missing columns reported
    first.problems = []
    again = services.learner_import_run(import_id=record.pk)  # a redelivered task
    assert again.finished_at == first.finished_at


def test_learner_corrections_from_the_admin_go_through_validation(staff):
    learner = LearnerFactory(full_name="Mai Văn Tú")
    # The full number is editable only after a logged reveal (reason given).
    staff.post(f"/admin/enrollment/learner/{learner.pk}/national-id/",
               {"reason": "Sửa số định danh nhập sai"})
    url = f"/admin/enrollment/learner/{learner.pk}/change/"
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
    # Never rendered by the browser, never sniffed, never cached.
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    # Stored under a generated name, and no URL serves MEDIA_ROOT directly.
    assert document.original_name not in document.file.name
    assert staff.get(f"/media/{document.file.name}").status_code == 404
    staff.logout()
    client.force_login(teacher)
    assert client.get(url).status_code == 302  # not staff: sent to the admin login
    assert client.get(f"/media/{document.file.name}").status_code == 404


def test_every_enrolment_admin_page_renders(staff, round_, it_college, registrar):
    app = services.application_admit(application=submit(round_, [it_college]), by=registrar)
    result = services.application_enroll(application=app, by=registrar,
                                         decision_number="1/QĐ", decision_date=date(2026, 1, 2))
    pages = [
        "/admin/enrollment/", "/admin/enrollment/admissionround/",
        f"/admin/enrollment/admissionround/{round_.pk}/change/",
        "/admin/enrollment/admissionround/add/",
        "/admin/enrollment/application/", f"/admin/enrollment/application/{app.pk}/change/",
        f"/admin/enrollment/application/decide/admit/?ids={app.pk}",
        "/admin/enrollment/learner/", f"/admin/enrollment/learner/{result.learner.pk}/change/",
        f"/admin/enrollment/learner/{result.learner.pk}/full-history/",
        "/admin/enrollment/learner/import/",
        "/admin/enrollment/enrollment/", "/admin/enrollment/enrollment/?q=nguyen",
        f"/admin/enrollment/enrollment/{result.enrollment.pk}/change/",
        f"/admin/enrollment/enrollment/{result.enrollment.pk}/status/",
        f"/admin/enrollment/enrollment/{result.enrollment.pk}/revert/",
        "/admin/enrollment/enrollmentstatuschange/",
    ]
    for url in pages:
        assert staff.get(url).status_code == 200, url
    round_page = staff.get(f"/admin/enrollment/admissionround/{round_.pk}/change/")
    assert "6480201" in round_page.content.decode()


def test_the_round_list_counts_places_and_applications(staff, it_college):
    welding = occupation("5520123", "Hàn")
    round_ = open_round(quotas={it_college: 12, welding: 12})
    for _ in range(3):
        application(round_, [it_college, welding])
    html = staff.get("/admin/enrollment/admissionround/").content.decode()
    assert '<td class="field-places">24</td>' in html
    assert '<td class="field-application_count">3</td>' in html


def test_lowering_a_quota_below_the_admitted_is_refused_in_the_admin(staff, it_college,
                                                                     registrar):
    round_ = open_round(quotas={it_college: 2})
    for _ in range(2):
        services.application_admit(application=application(round_, [it_college]),
                                   by=registrar)
    quota = round_.quotas.get()
    response = staff.post(f"/admin/enrollment/admissionround/{round_.pk}/change/", {
        "year": round_.year, "number": "1", "name": round_.name, "is_published": "on",
        "opens_on": round_.opens_on.isoformat(), "closes_on": round_.closes_on.isoformat(),
        "classes_start_on": round_.classes_start_on.isoformat(), "notes": "",
        "quotas-TOTAL_FORMS": "1", "quotas-INITIAL_FORMS": "1",
        "quotas-0-id": quota.pk, "quotas-0-round": round_.pk,
        "quotas-0-occupation": it_college.pk, "quotas-0-places": "1",
    })
    assert response.status_code == 200
    html = response.content.decode()
    assert "errorlist nonform" in html
    assert "thấp hơn 2 thí sinh" in html or "lower than the 2 applicants" in html
    quota.refresh_from_db()
    assert quota.places == 2


def test_learner_list_filters_select_one_matching_enrolment(staff, it_college):
    welding = occupation("5520123", "Hàn")
    both = LearnerFactory()
    enrol(both, welding, year=2024)
    enrol(both, it_college, year=2025)
    college_2024 = LearnerFactory()
    enrol(college_2024, it_college, year=2024)
    html = staff.get("/admin/enrollment/learner/",
                     {"level": "college", "admission_year": "2024"}).content.decode()
    assert college_2024.code in html
    assert both.code not in html


def test_learner_export_and_login_creation_actions(staff, it_college, client):
    learner = LearnerFactory(full_name="Vương Thị Lụa")
    enrol(learner, it_college, year=2025)
    response = staff.post("/admin/enrollment/learner/", {
        "action": "export_learners", "_selected_action": [learner.pk]})
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[1][:2] == (learner.code, "Vương Thị Lụa")
    assert rows[1][4] == learner.national_id_masked
    assert rows[1][6] == "6480201"

    response = staff.post("/admin/enrollment/learner/", {
        "action": "create_logins", "_selected_action": [learner.pk]})
    html = response.content.decode()
    password = html.split('class="one-time-password">')[1].split("<")[0]
    learner.refresh_from_db()
    assert learner.user.username == learner.code
    staff.logout()
    login = client.post("/accounts/login/", {"username": learner.code, "password": password})
    assert login.status_code == 302


def _stored(settings) -> list:
    from pathlib import Path

    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("hoc-sinh.xlsx", b"%PDF-1.7 a document renamed", "not an Excel workbook"),
        ("hoc-sinh.csv", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00 a photo renamed",
         "not a UTF-8 text (CSV) file"),
        ("hoc-sinh.pdf", b"%PDF-1.7", "Only .xlsx and .csv"),
        ("hoc-sinh.csv", b"", "empty"),
    ],
)
def test_a_file_that_cannot_be_an_import_is_refused_and_nothing_is_kept(
        staff, settings, name, content, expected):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from enrollment.models import LearnerImport

    staff.cookies["django_language"] = "en"
    response = staff.post("/admin/enrollment/learner/import/",
                          {"file": SimpleUploadedFile(name, content)},
                          HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200  # the form again, with the error on the file
    html = response.content.decode()
    assert expected in html, html
    assert LearnerImport.objects.count() == 0
    assert _stored(settings) == []


def test_an_oversized_import_file_is_refused_before_anything_is_stored(registrar, settings):
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile

    from enrollment.models import LearnerImport
    from vetschool.imports import IMPORT_MAX_BYTES

    big = SimpleUploadedFile("hoc-sinh.csv", b"learner_code\n" + b"a\n" * IMPORT_MAX_BYTES)
    with pytest.raises(ValidationError) as excinfo:
        services.learner_import_start(upload=big, dry_run=False, by=registrar)
    assert "larger than 20 MB" in excinfo.value.message_dict["file"][0]
    assert LearnerImport.objects.count() == 0
    assert _stored(settings) == []


def test_a_bad_import_file_leaves_only_its_report(staff, it_college, settings,
                                                  django_capture_on_commit_callbacks):
    from django.contrib.auth import get_user_model

    from enrollment.models import EnrollmentStatusChange, LearnerCodeCounter, LearnerImport

    users = get_user_model().objects.count()
    header = ("learner_code,full_name,date_of_birth,gender,national_id,ethnicity_code,"
              "occupation_code,admission_year,start_date\n")
    good = national_id_for(date(2005, 2, 2), "male")
    rows = (f"CD1,Lò Văn Pọm,2005-02-02,nam,{good},01,6480201,2024,2024-09-05\n"
            "CD2,Lò Thị Xuân,2005-02-02,nữ,001105000001,01,6480201,2024,2024-09-05\n")
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post("/admin/enrollment/learner/import/", {
            "file": pdf("hoc-sinh.csv", (header + rows).encode())})
    report = staff.get(response.url).content.decode()
    assert 'id="import-problems"' in report and "national_id" in report

    record = LearnerImport.objects.get()
    assert [(p["row"], p["column"]) for p in record.problems] == [(3, "national_id")]
    assert not record.file  # the upload itself is not kept
    assert _stored(settings) == []
    assert (Learner.objects.count(), Enrollment.objects.count(),
            EnrollmentStatusChange.objects.count(), LearnerCodeCounter.objects.count(),
            get_user_model().objects.count()) == (0, 0, 0, 0, users)


def test_every_change_of_a_learner_or_enrolment_is_in_its_history_with_who(staff, registrar):
    from enrollment.models import EnrollmentEvent, LearnerEvent

    learner = LearnerFactory(full_name="Mai Văn Tú", date_of_birth=date(2006, 5, 1))
    enrollment = enrol(learner)
    learner_events, enrolment_events = LearnerEvent.objects.count(), EnrollmentEvent.objects.count()

    data = {"full_name": "Mai Văn Tuấn", "date_of_birth": "2006-05-01", "gender": "male",
            "ethnic_group": learner.ethnic_group_id, "nationality": "VN",
            "province": learner.province_id, "address": "Xóm 2, Nghĩa Đàn", "phone": "",
            "email": "", "enrollments-TOTAL_FORMS": "0", "enrollments-INITIAL_FORMS": "0"}
    assert staff.post(f"/admin/enrollment/learner/{learner.pk}/change/", data
                      ).status_code == 302
    assert staff.post(f"/admin/enrollment/enrollment/{enrollment.pk}/status/", {
        "status": "reserved", "decision_number": "31/QĐ-CĐSH", "decision_date": "2025-10-01",
        "effective_date": "2025-10-02", "reason": "Nghĩa vụ quân sự"}).status_code == 302
    services.enrollment_update(enrollment=enrollment, by=registrar, mode="part_time")

    # pghistory kept each row version (the database triggers catch every write).
    assert LearnerEvent.objects.count() == learner_events + 1
    assert EnrollmentEvent.objects.count() == enrolment_events + 2
    assert LearnerEvent.objects.order_by("pgh_id").last().full_name == "Mai Văn Tuấn"
    assert [e.mode for e in EnrollmentEvent.objects.filter(pgh_obj=enrollment)
            .order_by("pgh_id")][-1] == "part_time"

    staff.cookies["django_language"] = "en"
    html = staff.get(f"/admin/enrollment/learner/{learner.pk}/history/",
                     HTTP_ACCEPT_LANGUAGE="en").content.decode()
    for expected in ("Mai Văn Tú", "Mai Văn Tuấn", "Xóm 2, Nghĩa Đàn", "31/QĐ-CĐSH",
                     "Nghĩa vụ quân sự", "Reserved", "Part-time", registrar.username):
        assert expected in html, expected
    assert learner.national_id not in html


def test_application_and_enrolment_pages_mask_ids_and_an_application_reveal_is_logged(
        staff, registrar, round_, it_college):
    app = services.application_admit(application=submit(round_, [it_college]), by=registrar)
    result = services.application_enroll(application=app, by=registrar,
                                         decision_number="1/QĐ", decision_date=date(2026, 1, 2))
    number = app.national_id
    assert app.national_id_masked == number[:4] + "******" + number[-2:]
    for url in ("/admin/enrollment/application/", f"/admin/enrollment/application/{app.pk}/change/",
                "/admin/enrollment/enrollment/", "/admin/enrollment/enrollmentstatuschange/",
                f"/admin/enrollment/enrollment/{result.enrollment.pk}/change/",
                f"/admin/enrollment/learner/{result.learner.pk}/history/"):
        assert number not in staff.get(url).content.decode(), url
    assert app.national_id_masked in staff.get("/admin/enrollment/application/").content.decode()
    assert PersonalDataAccess.objects.count() == 0

    html = staff.post(f"/admin/enrollment/application/{app.pk}/national-id/",
                      {"reason": "Đối chiếu với giấy khai sinh"}).content.decode()
    assert number in html
    read = PersonalDataAccess.objects.get()
    assert (read.user, read.subject_id, read.field) == (registrar, str(app.pk), "national_id")
    assert read.at is not None


def test_the_registrar_reviews_applications_with_filters_and_accent_insensitive_search(
        staff, round_, it_college, registrar):
    welding = occupation("5520123", "Hàn")
    round_.quotas.create(occupation=welding, places=5)
    an = application(round_, [it_college], full_name="Nguyễn Văn An")
    binh = services.application_admit(
        application=application(round_, [welding], full_name="Đặng Thị Bình"), by=registrar)
    older = open_round(year=2025, number=2, quotas={it_college: 5})
    old = application(older, [it_college], full_name="Nguyễn Văn Ân")

    def shown(**params):
        html = staff.get("/admin/enrollment/application/", params).content.decode()
        return {a.tracking_code for a in (an, binh, old) if a.tracking_code in html}

    assert shown(round__id__exact=round_.pk) == {an.tracking_code, binh.tracking_code}
    assert shown(status__exact="admitted") == {binh.tracking_code}
    assert shown(occupation=welding.pk) == {binh.tracking_code}
    assert shown(level="college") == {an.tracking_code, old.tracking_code}
    assert shown(round__year=2025) == {old.tracking_code}
    assert shown(q="nguyen van an") == {an.tracking_code, old.tracking_code}
    assert shown(q="dang thi binh") == {binh.tracking_code}
    assert shown(q="nguyen van an", round__year=2025) == {old.tracking_code}


def test_many_admission_letters_are_printed_by_a_worker_with_progress(
        staff, round_, it_college, registrar, settings, tmp_path,
        django_capture_on_commit_callbacks):
    """A selection larger than ENROLLMENT_LETTERS_IN_REQUEST returns at once to a job page;
    the worker (eager here) renders the PDF, which only the asker downloads."""
    from vetschool.demo import seed_institution

    seed_institution()
    settings.ENROLLMENT_LETTERS_IN_REQUEST = 1
    settings.MEDIA_ROOT = tmp_path
    admitted = [
        services.application_admit(application=application(round_, [it_college],
                                                           full_name=name), by=registrar)
        for name in ("Nguyễn Thị Hương", "Phạm Đức Thắng")
    ]
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post("/admin/enrollment/application/", {
            "action": "print_letters", "_selected_action": [a.pk for a in admitted]})
    assert response.status_code == 302
    job_url = response["Location"]
    page = staff.get(job_url)
    assert page.status_code == 200
    progress = staff.get(job_url + "?format=json").json()
    assert (progress["status"], progress["done"], progress["total"]) == ("done", 2, 2)
    pdf = staff.get(job_url + "download/")
    reader = PdfReader(io.BytesIO(b"".join(pdf.streaming_content)))
    assert len(reader.pages) == 2
    other = Client()
    other.force_login(UserFactory(username="registrar-other", roles=[roles.REGISTRAR],
                                  is_staff=True))
    assert other.get(job_url + "download/").status_code == 404
    assert other.get(job_url).status_code == 404
