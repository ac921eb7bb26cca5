"""Online applications: what is accepted, what is refused with which message, and that a
refused application leaves nothing behind (no row, no file)."""

from datetime import date, timedelta
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from enrollment import selectors, services
from enrollment.models import Application, ApplicationDocument, ApplicationLog
from enrollment.services import admission
from tests.enrollment.factories import (
    JPEG,
    PDF,
    national_id_for,
    occupation,
    open_round,
    pdf,
    png,
    submit,
)
from vetschool.uploads import MAX_DOCUMENT_BYTES

pytestmark = pytest.mark.django_db


@pytest.fixture
def it_college(db):
    return occupation("6480201", "Công nghệ thông tin")


@pytest.fixture
def welding(db):
    return occupation("5520123", "Hàn")


@pytest.fixture
def round_(it_college, welding):
    return open_round(quotas={it_college: 2, welding: 5})


def _errors(excinfo) -> dict:
    return excinfo.value.message_dict


def _stored_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_an_application_is_recorded_with_wishes_documents_and_a_tracking_code(
        round_, it_college, welding, settings):
    application = submit(
        round_, [it_college, welding],
        full_name="  Nguyễn   Thị  Mai ",
        documents=[("id_card", pdf()), ("certificate", pdf("hoc-ba.pdf")), ("photo", png())],
    )

    application.refresh_from_db()
    assert application.full_name == "Nguyễn Thị Mai"
    assert application.status == "submitted"
    assert application.tracking_code.startswith(f"{round_.year}-")
    assert len(application.tracking_code) == 13
    assert [w.occupation for w in application.wishes.all()] == [it_college, welding]
    assert sorted(d.kind for d in application.documents.all()) == [
        "certificate", "id_card", "photo"]
    assert {d.content_type for d in application.documents.all()} == {
        "application/pdf", "image/png"}
    assert len(_stored_files(settings)) == 3
    assert list(application.log.values_list("action", flat=True)) == [
        ApplicationLog.SUBMITTED]


def test_names_are_stored_nfc_normalized(round_, it_college):
    decomposed = "Nguye\u0302\u0303n Va\u0306n An"  # NFD, as some keyboards send it
    application = submit(round_, [it_college], full_name=decomposed, gender="male",
                         national_id=None or national_id_for(date(2000, 1, 1), "male"),
                         date_of_birth=date(2000, 1, 1))
    assert application.full_name == "Nguyễn Văn An"
    assert len(application.full_name) == len("Nguyễn Văn An")


@pytest.mark.parametrize(
    ("national_id", "expected"),
    [
        ("00130800123", "exactly 12 digits"),
        ("00130800123A", "exactly 12 digits"),
        ("003308001234", "The first 3 digits (003) are not a valid province code."),
        ("001108001234", "means born between 1900 and 1999"),
        ("001208001234", "does not match the recorded gender"),
        ("001307001234", "Digits 5-6 (07) do not match the last two digits of the birth year"),
    ],
)
def test_a_wrong_personal_id_says_which_part_is_wrong(round_, it_college, national_id,
                                                       expected):
    with pytest.raises(ValidationError) as excinfo:
        submit(round_, [it_college], national_id=national_id, gender="female",
               date_of_birth=date(2008, 2, 1))
    messages = _errors(excinfo)["national_id"]
    assert any(expected in m for m in messages), messages
    assert Application.objects.count() == 0


def test_resubmitting_the_same_personal_id_in_the_round_is_refused(round_, it_college,
                                                                    settings):
    first = submit(round_, [it_college])
    files_before = _stored_files(settings)
    with pytest.raises(ValidationError) as excinfo:
        submit(round_, [it_college], national_id=first.national_id, full_name="Nguyễn Mai")
    assert _errors(excinfo)["national_id"] == [str(admission.DUPLICATE_APPLICATION)]
    assert Application.objects.count() == 1
    assert _stored_files(settings) == files_before


def test_the_same_person_may_apply_in_another_round(round_, it_college):
    first = submit(round_, [it_college])
    other = open_round(number=2, quotas={it_college: 1})
    second = submit(other, [it_college], national_id=first.national_id)
    assert second.pk != first.pk


def test_the_database_itself_refuses_a_second_application_of_a_person_in_a_round(
        round_, it_college):
    from django.db import IntegrityError, transaction

    first = submit(round_, [it_college])
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.create(**{**_person_of(first), "round": round_,
                                      "tracking_code": "2099-ZZZZZZZZ"})


def _person_of(app):
    return {f: getattr(app, f) for f in (
        "full_name", "date_of_birth", "gender", "national_id", "ethnic_group", "province",
        "address", "phone", "email", "education_level", "school_name", "graduation_year")}


def test_an_oversized_upload_is_refused_and_nothing_is_kept(round_, it_college, settings):
    big = pdf("lon.pdf", PDF + b"0" * MAX_DOCUMENT_BYTES)
    with pytest.raises(ValidationError) as excinfo:
        submit(round_, [it_college], documents=[("id_card", big), ("certificate", pdf())])
    assert _errors(excinfo)["document_id_card"] == ["The file lon.pdf is larger than 5 MB."]
    assert Application.objects.count() == 0
    assert ApplicationDocument.objects.count() == 0
    assert _stored_files(settings) == []


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("cccd.pdf", b"MZ\x90\x00 an executable renamed", "is not a PDF, JPEG or PNG"),
        ("cccd.png", JPEG, "is named like another type than its content"),
        ("cccd.png", b"\x89PNG\r\n\x1a\n<svg onload='alert(1)'/>", "cannot be opened as a PNG"),
        ("cccd.pdf", b"", "is empty"),
    ],
)
def test_a_disguised_or_empty_upload_is_refused_and_nothing_is_kept(
        round_, it_college, settings, name, content, expected):
    with pytest.raises(ValidationError) as excinfo:
        submit(round_, [it_college],
               documents=[("id_card", pdf()), ("certificate", pdf(name, content))])
    assert expected in _errors(excinfo)["document_certificate"][0]
    assert Application.objects.count() == 0
    assert _stored_files(settings) == []


def test_required_documents_are_named(round_, it_college):
    with pytest.raises(ValidationError) as excinfo:
        submit(round_, [it_college], documents=[("photo", png())])
    errors = _errors(excinfo)
    assert errors["document_id_card"] == ["This document is required."]
    assert errors["document_certificate"] == ["This document is required."]


def test_an_applicant_too_young_for_the_level_of_a_wish_is_told_the_rule(round_, it_college,
                                                                         welding):
    year = round_.year
    dob = date(year - 16, 1, 1)  # 16 in the admission year: intermediate yes, college no
    with pytest.raises(ValidationError) as excinfo:
        submit(round_, [welding, it_college], date_of_birth=dob,
               national_id=national_id_for(dob, "female"))
    errors = _errors(excinfo)
    assert "wish_1" not in errors
    assert "at least 17" in errors["wish_2"][0]
    submit(round_, [welding], date_of_birth=dob, national_id=national_id_for(dob, "female"))
    assert Application.objects.count() == 1


def test_wishes_must_be_offered_distinct_and_in_order(round_, it_college, welding):
    other = occupation("6340301", "Kế toán")
    with pytest.raises(ValidationError) as excinfo:
        submit(round_, [None, it_college])
    assert set(_errors(excinfo)) == {"wish_1", "wish_2"}
    with pytest.raises(ValidationError) as excinfo:
        submit(round_, [it_college, it_college])
    assert _errors(excinfo)["wish_2"] == [str(admission.WISH_REPEATED)]
    with pytest.raises(ValidationError) as excinfo:
        submit(round_, [it_college, other])
    assert _errors(excinfo)["wish_2"] == [str(admission.WISH_NOT_OFFERED)]


def test_a_closed_or_unpublished_round_takes_no_application(it_college):
    today = timezone.localdate()
    closed = open_round(quotas={it_college: 3})
    closed.closes_on = today - timedelta(days=1)
    closed.opens_on = today - timedelta(days=30)
    closed.save()
    hidden = open_round(number=2, quotas={it_college: 3}, is_published=False)
    for round_ in (closed, hidden):
        with pytest.raises(ValidationError) as excinfo:
            submit(round_, [it_college])
        assert _errors(excinfo)["__all__"] == [str(admission.ROUND_CLOSED)]
    assert Application.objects.count() == 0


def test_a_birth_date_in_the_future_is_refused(round_, it_college):
    future = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError) as excinfo:
        submit(round_, [it_college], date_of_birth=future,
               national_id=national_id_for(future, "female"))
    assert "date_of_birth" in _errors(excinfo)


def test_lookup_needs_the_tracking_code_and_the_date_of_birth(round_, it_college):
    application = submit(round_, [it_college])
    code = application.tracking_code
    found = selectors.application_lookup(tracking_code=f" {code.lower()} ",
                                      date_of_birth=application.date_of_birth)
    assert found == application
    assert selectors.application_lookup(
        tracking_code=code, date_of_birth=application.date_of_birth + timedelta(days=1)
    ) is None
    assert selectors.application_lookup(tracking_code="2025-AAAAAAAA",
                                      date_of_birth=application.date_of_birth) is None


def test_the_applicant_answers_a_request_for_changes(round_, it_college, registrar):
    application = submit(round_, [it_college])
    services.application_request_changes(application=application, by=registrar,
                                         message="Ảnh CCCD bị mờ, vui lòng tải lại.")
    with pytest.raises(ValidationError) as excinfo:
        services.application_respond(application=application)
    assert excinfo.value.message_dict["__all__"] == [str(admission.RESPONSE_EMPTY)]

    services.application_respond(application=application, note="Đã tải lại ảnh rõ hơn.",
                                 documents=[("id_card", pdf("cccd-moi.pdf"))])
    application.refresh_from_db()
    assert application.status == "submitted"
    assert application.documents.count() == 3
    assert list(application.log.values_list("action", flat=True)) == [
        ApplicationLog.SUBMITTED, ApplicationLog.CHANGES_REQUESTED,
        ApplicationLog.RESUBMITTED]
    with pytest.raises(ValidationError) as excinfo:
        services.application_respond(application=application, note="again")
    assert excinfo.value.messages == [str(admission.NO_CHANGES_PENDING)]
