"""The HR office's admin pages: every write through the services, masked IDs, logged reveals."""

from datetime import date
from io import BytesIO

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import load_workbook

from staff import services
from staff.models import (
    AssessmentPeriod,
    CompetencyAssessment,
    CompetencyFramework,
    EmploymentRecord,
    Participation,
    StaffImport,
    StaffMember,
    TrainingCourse,
)
from tests.staff import helpers
from vetschool.accounts.models import PersonalDataAccess

pytestmark = pytest.mark.django_db

STAFF_INLINES = ("employment_records", "participations", "courseware")


def management(prefix: str, total: int = 0, initial: int = 0) -> dict:
    return {f"{prefix}-TOTAL_FORMS": str(total), f"{prefix}-INITIAL_FORMS": str(initial),
            f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"}


def staff_form(member=None, **changes) -> dict:
    data = {
        "staff_code": "GV0300", "full_name": "Bùi Thị Hạnh", "national_id": "",
        "date_of_birth": "1990-04-02", "gender": "female", "email": "", "phone": "",
        "user": "", "department": "", "is_teacher": "on", "employment_status": "active",
        "effective_date": "", "decision_number": "", "record_note": "",
        "highest_qualification": "master", "qualification_major": "",
        "pedagogical_certificate_type": "", "pedagogical_certificate_number": "",
        "pedagogical_certificate_date": "", "vocational_certificate_type": "",
        "vocational_certificate_occupation": "", "vocational_certificate_number": "",
        "vocational_certificate_date": "",
    }
    if member is not None:
        data.update({
            "staff_code": member.staff_code, "full_name": member.full_name,
            "date_of_birth": member.date_of_birth.isoformat(), "gender": member.gender,
            "department": str(member.department_id),
            "is_teacher": "on" if member.is_teacher else "",
            "is_manager": "on" if member.is_manager else "",
            "employment_status": member.employment_status,
        })
        records = member.employment_records.count()
        data.update(management("employment_records", records, records))
        for index, record in enumerate(member.employment_records.order_by("-effective_date")):
            data[f"employment_records-{index}-id"] = str(record.pk)
            data[f"employment_records-{index}-staff"] = str(member.pk)
        data.update(management("participations"))
        data.update(management("courseware"))
    else:
        for prefix in STAFF_INLINES:
            data.update(management(prefix))
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# --- Staff records -------------------------------------------------------------------------------


def test_hr_adds_a_staff_member_with_a_validated_personal_id(client, hr_officer, cntt):
    client.force_login(hr_officer)
    bad = client.post("/admin/staff/staffmember/add/", staff_form(
        department=str(cntt.pk), national_id="001188000123", effective_date="2020-09-01"))
    assert bad.status_code == 200
    assert "do not match the last two digits" in bad.content.decode()
    number = helpers.national_id(date(1990, 4, 2), "female")
    response = client.post("/admin/staff/staffmember/add/", staff_form(
        department=str(cntt.pk), national_id=number, effective_date="2020-09-01"))
    assert response.status_code == 302, response.content.decode()[:3000]
    member = StaffMember.objects.get(staff_code="GV0300")
    assert member.national_id == number
    assert member.employment_records.get().effective_date == date(2020, 9, 1)


def test_adding_needs_the_employment_start_date(client, hr_officer, cntt):
    client.force_login(hr_officer)
    response = client.post("/admin/staff/staffmember/add/", staff_form(department=str(cntt.pk)))
    assert response.status_code == 200
    assert not StaffMember.objects.exists()


def test_the_change_page_never_shows_the_full_personal_id(client, hr_officer, cntt):
    member = helpers.staff(dept=cntt)
    client.force_login(hr_officer)
    body = client.get(f"/admin/staff/staffmember/{member.pk}/change/").content.decode()
    assert member.national_id not in body
    assert member.national_id_masked in body
    assert f"/admin/staff/staffmember/{member.pk}/national-id/" in body
    assert not PersonalDataAccess.objects.exists()


def test_hr_reveals_the_full_personal_id_and_the_read_is_logged(client, hr_officer, cntt):
    member = helpers.staff(dept=cntt)
    client.force_login(hr_officer)
    url = f"/admin/staff/staffmember/{member.pk}/national-id/"
    form = client.get(url)
    assert form.status_code == 200
    assert member.national_id not in form.content.decode()
    assert 'method="post"' in form.content.decode()
    assert not PersonalDataAccess.objects.exists()
    assert client.post(url, {"reason": ""}).status_code == 400
    assert not PersonalDataAccess.objects.exists()
    response = client.post(url, {"reason": "Khai báo thuế thu nhập"})
    assert response.status_code == 200
    assert member.national_id in response.content.decode()
    log = PersonalDataAccess.objects.get()
    assert (log.user, log.subject_id, log.reason) == (hr_officer, str(member.pk),
                                                      "Khai báo thuế thu nhập")


@pytest.mark.parametrize("persona", ["qa_officer", "registrar"])
def test_readers_see_masked_ids_and_cannot_reveal(request, client, cntt, persona):
    member = helpers.staff(dept=cntt)
    client.force_login(request.getfixturevalue(persona))
    page = client.get(f"/admin/staff/staffmember/{member.pk}/change/")
    assert page.status_code == 200
    body = page.content.decode()
    assert member.national_id not in body and member.national_id_masked in body
    assert "national-id/" not in body
    assert client.get(f"/admin/staff/staffmember/{member.pk}/national-id/").status_code == 403
    assert not PersonalDataAccess.objects.exists()


def test_changing_department_records_a_dated_change(client, hr_officer, cntt, ck):
    member = helpers.staff(dept=cntt, hired=date(2015, 9, 1))
    client.force_login(hr_officer)
    url = f"/admin/staff/staffmember/{member.pk}/change/"
    missing_date = client.post(url, staff_form(member, department=str(ck.pk)))
    assert missing_date.status_code == 200
    assert "Give the date" in missing_date.content.decode()
    response = client.post(url, staff_form(member, department=str(ck.pk),
                                           effective_date="2024-02-01",
                                           decision_number="12/QĐ-CĐSH"))
    assert response.status_code == 302, response.content.decode()[:2000]
    member.refresh_from_db()
    assert (member.department, member.position_since) == (ck, date(2024, 2, 1))
    latest = EmploymentRecord.objects.filter(staff=member).latest("effective_date")
    assert (latest.department, latest.decision_number) == (ck, "12/QĐ-CĐSH")


def test_an_empty_new_id_keeps_the_recorded_one(client, hr_officer, cntt):
    member = helpers.staff(dept=cntt)
    client.force_login(hr_officer)
    response = client.post(f"/admin/staff/staffmember/{member.pk}/change/",
                           staff_form(member, phone="0912 000 111"))
    assert response.status_code == 302
    refreshed = StaffMember.objects.get(pk=member.pk)
    assert (refreshed.national_id, refreshed.phone) == (member.national_id, "0912 000 111")
    assert EmploymentRecord.objects.filter(staff=member).count() == 1


def test_the_staff_list_masks_ids_and_its_query_count_is_flat(
        client, hr_officer, cntt, django_assert_max_num_queries):
    members = [helpers.staff(dept=cntt) for _ in range(12)]
    client.force_login(hr_officer)
    with django_assert_max_num_queries(15):
        response = client.get("/admin/staff/staffmember/")
    body = response.content.decode()
    assert all(m.national_id_masked in body and m.national_id not in body for m in members)


def test_the_xlsx_export_masks_personal_ids(client, hr_officer, qa_officer, cntt):
    member = helpers.staff(dept=cntt)
    client.force_login(qa_officer)  # reads staff, but exporting is HR's (staff.export_…)
    response = client.post("/admin/staff/staffmember/", {
        "action": "export_xlsx", "_selected_action": [member.pk]})
    assert not response.content.startswith(b"PK")
    client.force_login(hr_officer)
    response = client.post("/admin/staff/staffmember/", {
        "action": "export_xlsx", "_selected_action": [member.pk]})
    assert response.status_code == 200
    cells = [c for row in load_workbook(BytesIO(response.content)).active.iter_rows(
        values_only=True) for c in row]
    assert member.national_id_masked in cells and member.national_id not in cells


# --- Import ------------------------------------------------------------------------------------


CSV_HEADER = ("staff_code,full_name,national_id,date_of_birth,gender,department,is_teacher,"
              "is_manager,employment_status,effective_date\n")


def test_the_import_page_imports_all_or_nothing_with_a_row_report(client, hr_officer, cntt):
    client.force_login(hr_officer)
    good_id = helpers.national_id(date(1988, 3, 12))
    bad = (CSV_HEADER + f"GV1,Trần Văn Bình,{good_id},12/03/1988,nam,CNTT,1,0,active,"
           "01/09/2020\nGV2,Lê Thị Hoa,123,01/05/1990,nữ,XX,1,0,active,01/09/2021\n")
    response = client.post("/admin/staff/staffmember/import/", {
        "file": SimpleUploadedFile("staff.csv", bad.encode()), "import": "1"})
    body = response.content.decode()
    assert "No department has the code XX" in body and "exactly 12 digits" in body
    assert not StaffMember.objects.exists()
    good = CSV_HEADER + (f"GV1,Trần Văn Bình,{good_id},12/03/1988,nam,CNTT,1,0,active,"
                         "01/09/2020\n")
    client.post("/admin/staff/staffmember/import/", {
        "file": SimpleUploadedFile("staff.csv", good.encode()), "check": "1"})
    assert not StaffMember.objects.exists()  # "Check only" imports nothing
    response = client.post("/admin/staff/staffmember/import/", {
        "file": SimpleUploadedFile("staff.csv", good.encode()), "import": "1"})
    assert "1 new" in " ".join(messages_of(response))
    assert StaffMember.objects.get().employment_records.get().effective_date == date(2020, 9, 1)


def test_a_large_staff_list_is_imported_by_a_worker_and_followed_on_its_page(
        client, hr_officer, cntt, settings, django_capture_on_commit_callbacks):
    """Above IMPORT_QUEUE_ROWS the request only stores the file and queues it (issue #14:
    imports never run in a request for large inputs); the page follows the job."""
    settings.IMPORT_QUEUE_ROWS = 2
    client.force_login(hr_officer)
    rows = "".join(
        f"GV{n},Trần Văn Bình,{helpers.national_id(date(1988, 3, n))},{n:02d}/03/1988,nam,"
        f"CNTT,1,0,active,01/09/2020\n" for n in range(1, 4))
    with django_capture_on_commit_callbacks() as queued:
        response = client.post("/admin/staff/staffmember/import/", {
            "file": SimpleUploadedFile("staff.csv", (CSV_HEADER + rows).encode()),
            "import": "1"})
    job = StaffImport.objects.get()
    assert response.status_code == 302
    assert response.url == f"/admin/staff/staffmember/import/{job.pk}/"
    assert len(queued) == 1 and not StaffMember.objects.exists()
    page = client.get(response.url).content.decode()
    assert 'id="import-running"' in page and 'http-equiv="refresh"' in page

    queued[0]()  # the worker
    job.refresh_from_db()
    assert (job.status, job.new, job.created_by) == ("done", 3, hr_officer)
    assert StaffMember.objects.count() == 3 and job.imported == 3
    page = client.get(response.url).content.decode()
    assert 'id="import-done"' in page and 'http-equiv="refresh"' not in page


def test_a_large_staff_list_with_a_bad_row_shows_its_problems_on_the_job_page(
        client, hr_officer, qa_officer, cntt, settings, django_capture_on_commit_callbacks):
    settings.IMPORT_QUEUE_ROWS = 1
    client.force_login(hr_officer)
    good_id = helpers.national_id(date(1988, 3, 12))
    bad = (CSV_HEADER + f"GV1,Trần Văn Bình,{good_id},12/03/1988,nam,CNTT,1,0,active,"
           "01/09/2020\nGV2,Lê Thị Hoa,123,01/05/1990,nữ,XX,1,0,active,01/09/2021\n")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/admin/staff/staffmember/import/", {
            "file": SimpleUploadedFile("staff.csv", bad.encode()), "import": "1"})
    page = client.get(response.url).content.decode()
    assert 'id="import-problems"' in page and "No department has the code XX" in page
    assert not StaffMember.objects.exists() and not StaffImport.objects.get().file
    client.force_login(qa_officer)
    assert client.get(response.url).status_code == 403


def test_only_hr_may_import(client, qa_officer):
    client.force_login(qa_officer)
    assert client.get("/admin/staff/staffmember/import/").status_code == 403


# --- Trainings ---------------------------------------------------------------------------------


def test_deleting_a_course_with_results_is_refused_with_a_message(client, hr_officer, cntt):
    training = helpers.course("DS-9")
    helpers.complete(helpers.staff(dept=cntt), training)
    client.force_login(hr_officer)
    response = client.post(f"/admin/staff/trainingcourse/{training.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert any("cannot be deleted" in m and "DS-9" in m for m in messages_of(response))
    assert TrainingCourse.objects.filter(pk=training.pk).exists()
    response = client.post("/admin/staff/trainingcourse/", {
        "action": "delete_courses", "_selected_action": [training.pk]})
    assert any("cannot be deleted" in m for m in messages_of(response))
    assert TrainingCourse.objects.filter(pk=training.pk).exists()


def test_a_course_with_registrations_only_can_be_deleted(client, hr_officer, cntt):
    training = helpers.course()
    services.participant_register(course=training, staff=helpers.staff(dept=cntt))
    client.force_login(hr_officer)
    confirm = client.get(f"/admin/staff/trainingcourse/{training.pk}/delete/")
    assert confirm.status_code == 200
    response = client.post(f"/admin/staff/trainingcourse/{training.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not TrainingCourse.objects.exists() and not Participation.objects.exists()


def test_hr_registers_a_department_in_bulk(client, hr_officer, cntt):
    for _ in range(3):
        helpers.staff(dept=cntt)
    training = helpers.course()
    client.force_login(hr_officer)
    url = f"/admin/staff/trainingcourse/{training.pk}/register-department/"
    response = client.post(url, {"department": cntt.pk})
    assert response.status_code == 302
    assert training.participations.count() == 3
    assert any("3" in m for m in messages_of(response))


def course_form(training, rows: list[dict]) -> dict:
    data = {
        "code": training.code, "title": training.title, "provider": training.provider,
        "kind": training.kind, "starts_on": training.starts_on.isoformat(),
        "ends_on": training.ends_on.isoformat(), "hours": str(training.hours),
        "delivery": training.delivery, "location": "", "description": "",
    }
    initial = sum(1 for row in rows if row.get("id"))
    data.update(management("participations", len(rows), initial))
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"participations-{index}-{key}"] = value
        data[f"participations-{index}-course"] = str(training.pk)
    return data


def test_recording_a_completion_on_the_course_page_needs_evidence(client, hr_officer, cntt):
    member = helpers.staff(dept=cntt)
    training = helpers.course()
    participation = services.participant_register(course=training, staff=member)
    client.force_login(hr_officer)
    url = f"/admin/staff/trainingcourse/{training.pk}/change/"
    row = {"id": str(participation.pk), "staff": str(member.pk), "result": "completed",
           "completed_on": "2024-03-31", "certificate_number": "", "note": ""}
    response = client.post(url, course_form(training, [row]))
    assert response.status_code == 200
    assert "needs evidence" in response.content.decode()
    participation.refresh_from_db()
    assert participation.result == "registered"
    row["certificate"] = helpers.pdf()
    response = client.post(url, course_form(training, [row]))
    assert response.status_code == 302, response.content.decode()[:3000]
    participation.refresh_from_db()
    assert (participation.result, participation.completed_on) == ("completed", date(2024, 3, 31))
    assert participation.certificate.read().startswith(b"%PDF")


def test_a_new_participant_can_be_added_with_a_result(client, hr_officer, cntt):
    member = helpers.staff(dept=cntt)
    training = helpers.course()
    client.force_login(hr_officer)
    row = {"id": "", "staff": str(member.pk), "result": "completed",
           "completed_on": "2024-03-31", "certificate_number": "CC-77", "note": ""}
    url = f"/admin/staff/trainingcourse/{training.pk}/change/"
    response = client.post(url, course_form(training, [row]))
    assert response.status_code == 200  # a number alone is not evidence
    assert "upload the certificate" in response.content.decode()
    assert not Participation.objects.exists()
    row["certificate"] = helpers.pdf()
    response = client.post(url, course_form(training, [row]))
    assert response.status_code == 302, response.content.decode()[:3000]
    participation = Participation.objects.get()
    assert (participation.staff, participation.certificate_number) == (member, "CC-77")
    assert participation.certificate.read().startswith(b"%PDF")


def test_course_list_query_count_is_flat(client, qa_officer, cntt,
                                        django_assert_max_num_queries):
    member = helpers.staff(dept=cntt)
    for _ in range(10):
        helpers.complete(member, helpers.course())
    client.force_login(qa_officer)
    with django_assert_max_num_queries(12):
        assert client.get("/admin/staff/trainingcourse/").status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get("/admin/staff/participation/").status_code == 200


# --- Competency -------------------------------------------------------------------------------


def test_the_assessor_confirms_levels_in_the_admin(client, hr_officer, teacher, teacher_staff):
    framework = CompetencyFramework.objects.get(is_active=True)
    today = timezone.localdate()
    period = services.period_save(period=AssessmentPeriod(
        framework=framework, name="Kỳ này", starts_on=today.replace(month=1, day=1),
        ends_on=today.replace(month=12, day=31)))
    b1, b2 = framework.levels.get(code="B1"), framework.levels.get(code="B2")
    areas = list(framework.areas.order_by("number"))
    assessment = services.self_assessment_submit(
        staff=teacher_staff, period=period, levels={a.pk: b1 for a in areas}, by=teacher)
    client.force_login(hr_officer)
    url = f"/admin/staff/competencyassessment/{assessment.pk}/change/"
    page = client.get(url).content.decode()
    assert "Self-assessed: B1" in page or "B1" in page
    data = {f"area_{a.pk}": str(b2.pk) for a in areas}
    data["assessor_note"] = "Đã dự giờ"
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assessment = CompetencyAssessment.objects.get(pk=assessment.pk)
    assert (assessment.status, assessment.assessor) == ("confirmed", hr_officer)
    assert {r.level.code for r in assessment.ratings.all()} == {"B2"}
    # The staff record shows the current level and the history.
    staff_page = client.get(f"/admin/staff/staffmember/{teacher_staff.pk}/change/")
    assert "B2" in staff_page.content.decode()


def test_the_change_history_panel_shows_who_changed_what_with_masked_ids(client, hr_officer,
                                                                         cntt):
    member = helpers.staff(dept=cntt)
    client.force_login(hr_officer)
    new_id = helpers.national_id(member.date_of_birth)
    response = client.post(f"/admin/staff/staffmember/{member.pk}/change/",
                           staff_form(member, national_id=new_id, phone="0988 111 222"))
    assert response.status_code == 302
    body = client.get(f"/admin/staff/staffmember/{member.pk}/change/").content.decode()
    history = body[body.index("latest changes"):] if "latest changes" in body else body
    assert "0988 111 222" in history and hr_officer.username in history
    assert new_id not in body and member.national_id not in body
    assert "national_id" in history  # the change is listed, masked


def test_a_mistaken_employment_record_is_deleted_from_the_staff_page(client, hr_officer, cntt):
    member = helpers.staff(dept=cntt, hired=date(2015, 9, 1))
    mistake = helpers.move(member, date(2024, 1, 1), status="left")
    member.refresh_from_db()
    client.force_login(hr_officer)
    data = staff_form(member)
    index = next(i for i in range(2) if data[f"employment_records-{i}-id"] == str(mistake.pk))
    data[f"employment_records-{index}-DELETE"] = "on"
    response = client.post(f"/admin/staff/staffmember/{member.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    member.refresh_from_db()
    assert member.employment_status == "active"
    assert not EmploymentRecord.objects.filter(pk=mistake.pk).exists()


def test_assessment_and_courseware_lists_have_a_flat_query_count(
        client, qa_officer, cntt, django_assert_max_num_queries):
    from staff.models import Courseware

    framework = CompetencyFramework.objects.get(is_active=True)
    period = services.period_save(period=AssessmentPeriod(
        framework=framework, name="2024", starts_on=date(2024, 1, 1), ends_on=date(2024, 12, 31)))
    for _ in range(8):
        member = helpers.staff(dept=cntt)
        services.assessment_start(staff=member, period=period)
        services.courseware_save(item=Courseware(author=member, title="Bài giảng",
                                                 module_name="Mạng", kind="video"))
    client.force_login(qa_officer)
    for url in ("/admin/staff/competencyassessment/", "/admin/staff/courseware/",
                "/admin/staff/department/", "/admin/staff/assessmentperiod/"):
        with django_assert_max_num_queries(12):
            assert client.get(url).status_code == 200


@pytest.mark.parametrize("role", ["hr_officer", "qa_officer"])
def test_a_participation_change_page_opens(client, role, request, cntt):
    # The form set `staff` read-only by name: without it (a view-only reader) a KeyError.
    member = helpers.staff(dept=cntt)
    participation = helpers.complete(member, helpers.course())
    client.force_login(request.getfixturevalue(role))
    page = client.get(f"/admin/staff/participation/{participation.pk}/change/")
    assert page.status_code == 200
    assert member.full_name in page.content.decode()
