"""The online application's input rules (vetschool.validators) and its files kept across a
failed submission (vetschool.uploads draft uploads), through the public page."""

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from enrollment.models import Application
from tests.enrollment.factories import (
    PDF,
    national_id_for,
    occupation,
    open_round,
    pdf,
    png,
    submit,
)
from vetschool.reference.models import EthnicGroup, ProvincialUnit

pytestmark = pytest.mark.django_db


@pytest.fixture
def it_college(db):
    return occupation("6480201", "Công nghệ thông tin")


@pytest.fixture
def round_(it_college):
    return open_round(quotas={it_college: 30})


DOB = date(timezone.localdate().year - 18, 6, 1)


def _form(it_college, *, files=True, **overrides):
    data = {
        "full_name": "Phạm Văn Đức", "date_of_birth": DOB.isoformat(), "gender": "male",
        "national_id": national_id_for(DOB, "male", "079"),
        "ethnic_group": EthnicGroup.objects.get(code="01").pk,
        "province": ProvincialUnit.objects.get(code="79").pk,
        "address": "12 Lê Lợi, Quận 1", "phone": "0901234567", "email": "",
        "education_level": "upper_secondary", "school_name": "THPT Lê Quý Đôn",
        "graduation_year": DOB.year + 18, "wish_1": it_college.pk, "wish_2": "",
        "wish_3": "", "consent": "on",
    }
    if files:
        data.update(document_id_card=pdf("cccd.pdf"), document_certificate=png("bang.png"))
    data.update(overrides)
    return data


def _apply(client, round_, data):
    return client.post(f"/admissions/{round_.pk}/apply/", data)


@pytest.mark.parametrize(("typed", "stored"), [
    ("0901234567", "0901234567"), ("0901 234 567", "0901234567"),
    ("0901.234.567", "0901234567"), ("+84 901-234-567", "0901234567"),
])
def test_phone_numbers_are_stored_in_one_form(client, round_, it_college, typed, stored):
    response = _apply(client, round_, _form(it_college, phone=typed))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Application.objects.get().phone == stored


@pytest.mark.parametrize("typed", ["12345", "090123456", "+84 0901234567", "số điện thoại"])
def test_a_phone_that_is_not_vietnamese_is_refused(client, round_, it_college, typed):
    response = _apply(client, round_, _form(it_college, phone=typed))
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_phone_error"' in html and "10 chữ số" in html
    assert not Application.objects.exists()


@pytest.mark.parametrize("typed_as", ["{} {} {} {}", "{}.{}.{}.{}", " {}{} {}{} "])
def test_a_personal_id_typed_with_spaces_or_dots_is_cleaned(client, round_, it_college,
                                                            typed_as):
    number = national_id_for(DOB, "male", "079")
    typed = typed_as.format(number[:3], number[3:6], number[6:9], number[9:])
    response = _apply(client, round_, _form(it_college, national_id=typed))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Application.objects.get().national_id == number


@pytest.mark.parametrize(("name", "confirmed", "accepted", "message"), [
    ("A", "", False, "một chữ cái"),
    ("A", "on", False, "một chữ cái"),
    ("Sùng", "", False, "một từ"),
    ("Sùng", "on", True, None),
    ("Lò Văn Sùng", "", True, None),
])
def test_one_letter_is_refused_and_one_word_needs_its_confirmation(
        client, round_, it_college, name, confirmed, accepted, message):
    response = _apply(client, round_, _form(it_college, full_name=name,
                                             one_word_name_confirmed=confirmed))
    if accepted:
        assert response.status_code == 302, response.content.decode()[:2000]
        assert Application.objects.get().full_name == name
        return
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_full_name_error"' in html and message in html
    # The confirmation is offered once a one-word name needs it (or it was ticked).
    assert ('name="one_word_name_confirmed"' in html) == (message == "một từ"
                                                           or bool(confirmed))
    assert not Application.objects.exists()


def test_the_confirmation_is_not_shown_on_a_fresh_form(client, round_):
    html = client.get(f"/admissions/{round_.pk}/apply/").content.decode()
    assert 'name="one_word_name_confirmed"' not in html
    assert 'pattern="[0-9]{12}"' not in html  # spaces are cleaned, not refused


@pytest.mark.parametrize("days_ahead", [1, 4 * 365])
def test_a_future_date_of_birth_has_its_own_message_and_no_negative_age(
        client, round_, it_college, days_ahead):
    born = timezone.localdate() + timedelta(days=days_ahead)
    response = _apply(client, round_, _form(it_college, date_of_birth=born.isoformat()))
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_date_of_birth_error"' in html
    assert "tương lai" in html
    errors = " ".join(re.findall(r'<p class="error"[^>]*>(.*?)</p>', html))
    assert "tương lai" in errors
    # No age is computed from it: no "too young" on the wish, no negative number anywhere.
    assert "tuổi" not in errors and not re.search(r"[−-]\s*\d", errors)
    assert 'id="id_wish_1_error"' not in html


def _kept_tokens(html):
    return dict(re.findall(r'name="kept_(document_\w+)" value="([^"]+)"', html))


def test_uploads_survive_a_failed_submission_and_land_on_the_application(
        client, round_, it_college, settings):
    response = _apply(client, round_, _form(it_college, phone="12345"))
    assert response.status_code == 400
    html = response.content.decode()
    tokens = _kept_tokens(html)
    assert set(tokens) == {"document_id_card", "document_certificate"}
    assert "Đã tải lên: cccd.pdf" in html and "Đã tải lên: bang.png" in html
    drafts = list(Path(settings.MEDIA_ROOT, "pending", "drafts").rglob("*"))
    assert len([p for p in drafts if p.is_file()]) == 2  # stored once each

    # Fails again (another field): the same kept files, not stored a second time.
    again = _apply(client, round_, _form(it_college, files=False, phone="0901234567",
                                         school_name="",
                                         **{f"kept_{k}": v for k, v in tokens.items()}))
    assert again.status_code == 400
    assert _kept_tokens(again.content.decode()) == tokens
    assert len([p for p in Path(settings.MEDIA_ROOT, "pending").rglob("*")
                if p.is_file()]) == 2

    # Corrected, without choosing the files again: the application has both documents.
    done = _apply(client, round_, _form(it_college, files=False,
                                        **{f"kept_{k}": v for k, v in tokens.items()}))
    assert done.status_code == 302, done.content.decode()[:3000]
    application = Application.objects.get()
    documents = {d.kind: d for d in application.documents.all()}
    assert set(documents) == {"id_card", "certificate"}
    assert documents["id_card"].original_name == "cccd.pdf"
    with documents["id_card"].file.open("rb") as handle:
        assert handle.read() == PDF
    # The drafts are gone once used.
    assert not [p for p in Path(settings.MEDIA_ROOT, "pending").rglob("*") if p.is_file()]


def test_a_new_file_replaces_the_kept_one(client, round_, it_college):
    tokens = _kept_tokens(_apply(client, round_, _form(it_college, phone="1")).content.decode())
    done = _apply(client, round_, _form(
        it_college, files=False, document_id_card=pdf("cccd-moi.pdf"),
        **{f"kept_{k}": v for k, v in tokens.items()}))
    assert done.status_code == 302, done.content.decode()[:3000]
    names = {d.kind: d.original_name for d in Application.objects.get().documents.all()}
    assert names == {"id_card": "cccd-moi.pdf", "certificate": "bang.png"}


def test_a_kept_file_is_no_use_to_another_session_or_round(client, round_, it_college):
    tokens = _kept_tokens(_apply(client, round_, _form(it_college, phone="1")).content.decode())
    kept = {f"kept_{k}": v for k, v in tokens.items()}
    stranger = Client()
    response = _apply(stranger, round_, _form(it_college, files=False, **kept))
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_document_id_card_error"' in html and not _kept_tokens(html)
    other = open_round(number=2, quotas={it_college: 5})
    response = _apply(client, other, _form(it_college, files=False, **kept))
    assert response.status_code == 400 and not _kept_tokens(response.content.decode())
    forged = {k: v[:-3] + "abc" for k, v in kept.items()}
    response = _apply(client, round_, _form(it_college, files=False, **forged))
    assert response.status_code == 400
    assert not Application.objects.exists()


def test_a_refused_file_is_not_kept(client, round_, it_college):
    bad = pdf("cccd.pdf", content=b"not a pdf at all")
    response = _apply(client, round_, _form(it_college, document_id_card=bad))
    assert response.status_code == 400
    assert set(_kept_tokens(response.content.decode())) == {"document_certificate"}


def test_unused_drafts_are_removed_by_the_command(client, round_, it_college, settings,
                                                  time_machine):
    _apply(client, round_, _form(it_college, phone="1"))
    files = [p for p in Path(settings.MEDIA_ROOT, "pending").rglob("*") if p.is_file()]
    assert len(files) == 2
    call_command("uploads_forget_pending", verbosity=0)
    assert all(p.exists() for p in files)  # not yet a day old
    time_machine.move_to(timezone.now() + timedelta(days=2))
    call_command("uploads_forget_pending", verbosity=0)
    assert not any(p.exists() for p in files)


@pytest.mark.parametrize(("overrides", "field", "code"), [
    ({"date_of_birth": date(timezone.localdate().year + 4, 1, 1)}, "date_of_birth", "future"),
    ({"full_name": "A"}, "full_name", "one_letter"),
    ({"full_name": "Sùng"}, "full_name", "one_word"),
    ({"phone": "12345"}, "phone", "invalid_phone"),
])
def test_the_service_enforces_the_same_rules(round_, it_college, overrides, field, code):
    """The API or any other caller of application_submit meets the page's rules."""
    with pytest.raises(ValidationError) as excinfo:
        submit(round_, [it_college], **overrides)
    errors = excinfo.value.error_dict
    assert [e.code for e in errors[field]] == [code]
    assert "wish_1" not in errors  # a future birth date gives no (negative) age message


def test_the_service_stores_the_cleaned_forms(round_, it_college):
    dob = date(timezone.localdate().year - 18, 3, 14)
    number = national_id_for(dob, "female")
    application = submit(round_, [it_college], phone="+84 912.345.678",
                         national_id=f"{number[:3]} {number[3:6]}.{number[6:]}")
    assert (application.phone, application.national_id) == ("0912345678", number)
