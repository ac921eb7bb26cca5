"""Personal data by the law in force (Law 91/2025/QH15, Decree 356/2025): consent at
application, retention of applicants not admitted, a learner's copy of their data and their
correction requests, the record of processing purposes."""

from __future__ import annotations

import inspect
import io
import json
import logging
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from enrollment import selectors, tasks
from enrollment.consent import CONSENT_VERSION, age_on, needs_guardian_consent
from enrollment.models import (
    Application,
    ApplicationDocument,
    ApplicationStatus,
    CorrectionRequest,
    CorrectionStatus,
    RetentionErasure,
)
from enrollment.services import privacy
from tests.enrollment.factories import (
    LearnerFactory,
    application,
    enrol,
    occupation,
    open_round,
    pdf,
    submit,
)
from vetschool import workqueue
from vetschool.privacy import processing_purposes

pytestmark = pytest.mark.django_db


@pytest.fixture
def it_college(db):
    return occupation("6480201", "Công nghệ thông tin")


@pytest.fixture
def welding(db):
    return occupation("5520123", "Hàn")  # intermediate: from 15 in the admission year


# --- consent -----------------------------------------------------------------------------

def _born(years_ago: int, days_more: int = 0) -> date:
    today = timezone.localdate()
    return today.replace(year=today.year - years_ago) - timedelta(days=days_more)


@pytest.mark.parametrize(("born", "day", "age", "needs"), [
    (date(2010, 6, 1), date(2026, 5, 31), 15, True),   # the day before the 16th birthday
    (date(2010, 6, 1), date(2026, 6, 1), 16, False),   # on it
    (date(2008, 2, 29), date(2024, 2, 28), 15, True),  # a leap-day birthday
    (date(2006, 1, 1), date(2026, 9, 1), 20, False),
])
def test_the_age_that_needs_a_legal_representative(born, day, age, needs):
    assert age_on(born, day) == age
    assert needs_guardian_consent(born, day) is needs


GUARDIAN = {"name": "Nguyễn Văn Hùng", "relation": "father", "phone": "0912 345 678",
            "consent": True}


@pytest.mark.parametrize(("years", "consent", "guardian", "errors"), [
    (18, True, None, set()),
    (18, False, None, {"consent"}),
    (15, True, GUARDIAN, set()),
    (15, True, None, {"guardian_name", "guardian_relation", "guardian_phone",
                      "guardian_consent"}),
    (15, True, {**GUARDIAN, "consent": False}, {"guardian_consent"}),
    (15, True, {**GUARDIAN, "phone": "12"}, {"guardian_phone"}),
    (15, True, {**GUARDIAN, "relation": ""}, {"guardian_relation"}),
    (15, False, GUARDIAN, {"consent"}),
])
def test_consent_rules(welding, years, consent, guardian, errors):
    round_ = open_round(quotas={welding: 10})
    try:
        app = submit(round_, [welding], date_of_birth=_born(years, 30), consent=consent,
                     guardian=guardian)
    except ValidationError as error:
        assert set(error.message_dict) == errors
        assert not Application.objects.exists()
        return
    assert errors == set()
    assert (app.consent_version, app.consented_at is not None) == (CONSENT_VERSION, True)
    assert "personal data" in app.consent_text
    if guardian:
        assert (app.guardian_name, app.guardian_relation, app.guardian_phone,
                app.guardian_consented) == ("Nguyễn Văn Hùng", "father", "0912345678", True)
        assert "legal representative" in app.consent_text
    else:
        assert app.guardian_name == "" and not app.guardian_consented


def test_the_form_refuses_without_consent_with_a_clear_error(client, it_college):
    from tests.enrollment.test_public_pages import _form

    round_ = open_round(quotas={it_college: 10})
    data = _form(round_, it_college)
    data.pop("consent")
    response = client.post(reverse("enrollment:apply", args=[round_.pk]), data,
                           HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "You must agree to the processing of your personal data" in response.content.decode()
    assert not Application.objects.exists()
    response = client.post(reverse("enrollment:apply", args=[round_.pk]),
                           _form(round_, it_college), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302
    app = Application.objects.get()
    assert app.consent_version == CONSENT_VERSION and app.consent_text


def test_a_child_applies_on_the_page_with_a_legal_representative(client, welding):
    from tests.enrollment.factories import national_id_for
    from tests.enrollment.test_public_pages import _form

    round_ = open_round(quotas={welding: 10})
    dob = _born(15, 30)
    data = _form(round_, welding, date_of_birth=dob.isoformat(), wish_1=welding.pk,
                 national_id=national_id_for(dob, "male", "079"),
                 graduation_year=dob.year + 15)
    url = reverse("enrollment:apply", args=[round_.pk])
    refused = client.post(url, data, HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 400, refused.content.decode()[:3000]
    assert "legal representative" in refused.content.decode()
    data.update(guardian_name="Lê Thị Hoa", guardian_relation="mother",
                guardian_phone="0987654321", guardian_consent="on",
                document_id_card=pdf(), document_certificate=pdf("hb.pdf"))
    assert client.post(url, data).status_code == 302
    app = Application.objects.get()
    assert (app.guardian_name, app.guardian_relation, app.guardian_consented) == (
        "Lê Thị Hoa", "mother", True)


# --- retention ---------------------------------------------------------------------------

def _document(app) -> ApplicationDocument:
    doc = ApplicationDocument(application=app, kind="id_card", content_type="application/pdf",
                              original_name="cccd.pdf", size=10)
    doc.file.save("cccd.pdf", pdf(), save=False)
    doc.save()
    return doc


def _statistics(round_):
    usage = [(q.occupation.code, q.taken, q.first_wishes)
             for q in selectors.round_quota_usage(round_)]
    return usage, selectors.round_status_counts(round_)


def test_applicants_not_admitted_are_erased_after_the_round_and_the_period(
        it_college, welding, registrar, caplog):
    today = timezone.localdate()
    days = settings.ENROLLMENT_RETENTION_DAYS
    old = open_round(year=today.year - 1, quotas={it_college: 5, welding: 5})
    AdmissionRound = type(old)
    AdmissionRound.objects.filter(pk=old.pk).update(
        opens_on=today - timedelta(days=days + 40), closes_on=today - timedelta(days=days + 1))
    recent = open_round(number=2, quotas={it_college: 5})
    AdmissionRound.objects.filter(pk=recent.pk).update(
        opens_on=today - timedelta(days=days + 10), closes_on=today - timedelta(days=days - 1))
    kept_statuses = {"admitted": ApplicationStatus.ADMITTED,
                     "enrolled": ApplicationStatus.ENROLLED}
    erased_statuses = {"rejected": ApplicationStatus.REJECTED,
                       "waitlisted": ApplicationStatus.WAITLISTED,
                       "submitted": ApplicationStatus.SUBMITTED,
                       "changes": ApplicationStatus.CHANGES_REQUESTED}
    apps = {}
    for n, (key, status) in enumerate({**kept_statuses, **erased_statuses}.items()):
        dob = date(2004, 1, 1 + n)
        admitted = it_college if key in kept_statuses else None
        apps[key] = application(old, [it_college, welding], status=status, admitted=admitted,
                                full_name=f"Người {key}", date_of_birth=dob,
                                national_id=f"0012040{n:05d}")
    files = {key: Path(_document(app).file.path) for key, app in apps.items()}
    in_period = application(recent, [it_college], status=ApplicationStatus.REJECTED,
                            full_name="Người gần đây")
    _document(in_period)
    before = _statistics(old)

    with caplog.at_level(logging.INFO), TestCase.captureOnCommitCallbacks(execute=True):
        erased = tasks.retention_erase()

    assert erased == len(erased_statuses)
    for key in erased_statuses:
        app = Application.objects.get(pk=apps[key].pk)
        assert (app.full_name, app.national_id, app.date_of_birth, app.phone,
                app.address) == ("—", "", None, "", "")
        assert app.erased_at is not None and not app.documents.exists()
        assert not files[key].exists()
        assert not Application.pgh_event_model.objects.filter(
            pgh_obj_id=app.pk, full_name__startswith="Người").exists()
        assert not app.log.exists()
    for key in kept_statuses:
        app = Application.objects.get(pk=apps[key].pk)
        assert app.full_name == f"Người {key}" and app.erased_at is None
        assert files[key].exists()
    in_period.refresh_from_db()
    assert in_period.full_name == "Người gần đây" and in_period.documents.exists()
    # Admission statistics count the same rows as before.
    assert _statistics(old) == before
    log = RetentionErasure.objects.get()
    assert (log.round, log.applications, log.documents) == (old, 4, 4)
    assert not any("Người" in record.getMessage() or "00120" in record.getMessage()
                   for record in caplog.records)
    # A second night finds nothing left to erase.
    assert tasks.retention_erase() == 0
    assert RetentionErasure.objects.count() == 1


def test_the_retention_task_is_scheduled_daily_and_takes_no_personal_arguments():
    entry = settings.CELERY_BEAT_SCHEDULE["enrollment-retention-erase"]
    assert entry["task"] == "enrollment.retention_erase"
    assert entry["schedule"].hour == {2} and entry["schedule"].minute == {30}
    assert not inspect.signature(tasks.retention_erase.run).parameters


def test_two_erased_applicants_of_one_round_do_not_collide(it_college):
    round_ = open_round(quotas={it_college: 5})
    for n in range(2):
        application(round_, [it_college], status=ApplicationStatus.REJECTED,
                    national_id=f"00120400{n:04d}", date_of_birth=date(2004, 1, 1))
    with TestCase.captureOnCommitCallbacks(execute=True):
        log = privacy.round_applications_erase(round=round_)
    assert log.applications == 2
    assert Application.objects.filter(national_id="", erased_at__isnull=False).count() == 2


# --- a learner's own data ----------------------------------------------------------------

@pytest.fixture
def two_learners(learner, other_learner):
    mine = LearnerFactory(user=learner, full_name="Trần Thị Ánh Dương",
                          national_id="001306012345", date_of_birth=date(2006, 5, 1),
                          gender="female")
    enrol(mine)
    theirs = LearnerFactory(user=other_learner, full_name="Vũ Đức Thắng",
                            national_id="001206054321", code="2564899999")
    return mine, theirs


def test_a_learner_downloads_their_own_data_as_json_and_pdf(client, learner, two_learners):
    mine, theirs = two_learners
    client.force_login(learner)
    response = client.get(reverse("enrollment:my-data-json"))
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["learner"]["code"] == mine.code
    assert data["learner"]["national_id"] == "001306012345"
    assert len(data["enrollments"]) == 1
    assert theirs.code not in response.content.decode()
    response = client.get(reverse("enrollment:my-data-pdf"))
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in
                    PdfReader(io.BytesIO(response.content)).pages)
    assert mine.code in text and "001306012345" in text
    assert theirs.code not in text and "Thắng" not in text
    # The page itself shows the number masked.
    page = client.get(reverse("enrollment:my-record")).content.decode()
    assert "001306012345" not in page and mine.national_id_masked in page


@pytest.mark.parametrize("persona", ["teacher", "registrar", None])
def test_only_a_learner_downloads_and_only_their_own(client, request, persona):
    if persona:
        client.force_login(request.getfixturevalue(persona))
    for name in ("enrollment:my-data-json", "enrollment:my-data-pdf",
                 "enrollment:my-corrections"):
        assert client.get(reverse(name)).status_code in (302, 403), name


# --- correction requests -----------------------------------------------------------------

@pytest.mark.parametrize(("field", "value", "errors"), [
    ("full_name", "Trần Thị Ánh Dương", set()),
    ("date_of_birth", "02/05/2006", set()),
    ("phone", "   ", {"proposed_value"}),
    ("favourite_colour", "xanh", {"field"}),
])
def test_a_correction_request_needs_a_field_and_a_value(field, value, errors):
    learner = LearnerFactory()
    try:
        request = privacy.correction_request_submit(learner=learner, field=field,
                                                    proposed_value=value,
                                                    today=date(2026, 3, 2))
    except ValidationError as error:
        assert set(error.message_dict) == errors
        return
    assert errors == set()
    assert request.due_on == date(2026, 3, 2) + timedelta(
        days=settings.PERSONAL_DATA_CORRECTION_DAYS)


def test_a_learner_asks_for_a_correction_and_the_office_answers(
        client, learner, other_learner, registrar, two_learners):
    mine, theirs = two_learners
    client.force_login(learner)
    url = reverse("enrollment:my-corrections")
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"within {settings.PERSONAL_DATA_CORRECTION_DAYS} days" in page
    assert client.post(url, {"field": "phone", "proposed_value": ""}).status_code == 400
    response = client.post(url, {"field": "phone", "proposed_value": "0987 654 321",
                                 "note": "Số mới"})
    assert response.status_code == 302
    request = CorrectionRequest.objects.get()
    assert (request.learner, request.status) == (mine, CorrectionStatus.OPEN)
    # The other learner neither sees it nor can act on it.
    client.force_login(other_learner)
    assert "0987 654 321" not in client.get(url).content.decode()
    client.force_login(registrar)
    admin_url = reverse("admin:enrollment_correctionrequest_change", args=[request.pk])
    assert client.post(admin_url, {"status": "open", "answer": "x"}).status_code == 200
    response = client.post(admin_url, {"status": "corrected",
                                       "answer": "Đã cập nhật số điện thoại."})
    assert response.status_code == 302
    request.refresh_from_db()
    assert (request.status, request.answered_by) == (CorrectionStatus.CORRECTED, registrar)
    client.force_login(learner)
    assert "Đã cập nhật số điện thoại." in client.get(url).content.decode()


def test_overdue_requests_appear_in_the_registrars_work_queue(registrar):
    learner = LearnerFactory()
    today = timezone.localdate()
    late = privacy.correction_request_submit(learner=learner, field="address",
                                             proposed_value="Số 1 Lý Thường Kiệt",
                                             today=today - timedelta(days=30))
    privacy.correction_request_submit(learner=learner, field="email",
                                      proposed_value="a@example.vn", today=today)

    def counts():
        lines = {item.label: item.count
                 for queue, items in workqueue.queues_for(registrar) for item in items}
        return (lines["Personal data corrections waiting for an answer"],
                lines["Personal data corrections past the legal deadline"])

    assert counts() == (2, 1)
    privacy.correction_request_answer(request=late, status=CorrectionStatus.REFUSED,
                                      answer="Không có giấy tờ chứng minh.", by=registrar)
    assert counts() == (1, 0)
    with pytest.raises(ValidationError):
        privacy.correction_request_answer(request=late, status=CorrectionStatus.CORRECTED,
                                          answer="again", by=registrar)


# --- record of processing purposes -------------------------------------------------------

def test_the_record_of_processing_purposes_is_complete_and_public(client):
    purposes = processing_purposes()
    assert {p.key for p in purposes} >= {"admission", "learner_record", "results",
                                         "national_sync", "staff", "security"}
    for p in purposes:
        assert all(str(getattr(p, name)).strip() for name in (
            "purpose", "data_subjects", "categories", "legal_basis", "retention")), p.key
    page = client.get(reverse("processing-purposes"), HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    body = page.content.decode()
    assert body.count("<tr data-purpose=") == len(purposes)
    assert f"{settings.ENROLLMENT_RETENTION_DAYS} days" in body
