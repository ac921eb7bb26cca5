"""Partner enterprises and agreements (issue #16): validation in the service and in the
database, accent-insensitive search, the XLSX import, expiry reminders."""

from __future__ import annotations

from datetime import timedelta

import pytest
import tablib
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from enterprises import selectors, services
from enterprises.models import Agreement, Enterprise
from enterprises.services.imports import enterprise_import
from tests.enrollment.factories import occupation
from tests.enterprises.helpers import agreement, enterprise
from tests.factories import UserFactory
from vetschool.accounts import roles

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("typed", "stored"), [
    ("0101234567", "0101234567"),
    ("0101234567-001", "0101234567-001"),
    ("0101 234 567", "0101234567"),
    ("0101.234.567", "0101234567"),
    ("0101234567–002", "0101234567-002"),
])
def test_a_well_formed_tax_code_is_stored_normalised(typed, stored):
    assert enterprise(tax_code=typed).tax_code == stored


@pytest.mark.parametrize("bad", ["12345", "01012345678", "0101234567-01", "010123456A",
                                 "0101234567-0011", ""])
def test_a_bad_tax_code_is_refused_and_nothing_is_stored(bad):
    with pytest.raises(ValidationError) as refused:
        enterprise(tax_code=bad)
    assert "tax_code" in refused.value.message_dict
    assert not Enterprise.objects.exists()


def test_the_database_refuses_a_bad_tax_code_too():
    partner = enterprise()
    with pytest.raises(IntegrityError), transaction.atomic():
        Enterprise.objects.filter(pk=partner.pk).update(tax_code="12345")


def test_a_tax_code_is_unique():
    enterprise()
    with pytest.raises(ValidationError):
        enterprise(name="Một công ty khác")
    assert Enterprise.objects.count() == 1


def test_a_name_that_a_spreadsheet_would_run_is_refused():
    with pytest.raises(ValidationError) as refused:
        enterprise(name="=HYPERLINK(\"http://x\")")
    assert "name" in refused.value.message_dict


def test_an_agreement_ending_before_it_starts_is_refused_in_service_and_database():
    partner = enterprise()
    today = timezone.localdate()
    bad = Agreement(enterprise=partner, number="02/2026", signed_on=today, starts_on=today,
                    ends_on=today - timedelta(days=1), internships=True)
    with pytest.raises(ValidationError) as refused:
        services.agreement_save(agreement=bad)
    assert "ends_on" in refused.value.message_dict
    assert not Agreement.objects.exists()
    good = agreement(partner)
    with pytest.raises(IntegrityError), transaction.atomic():
        Agreement.objects.filter(pk=good.pk).update(ends_on=good.starts_on - timedelta(days=1))


def test_an_agreement_must_cover_something():
    partner = enterprise()
    today = timezone.localdate()
    with pytest.raises(ValidationError) as refused:
        services.agreement_save(agreement=Agreement(
            enterprise=partner, number="03/2026", signed_on=today, starts_on=today))
    assert "internships" in refused.value.message_dict
    assert not Agreement.objects.exists()


def test_an_agreement_copy_is_checked_by_its_content(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    partner = enterprise()
    today = timezone.localdate()
    fake = SimpleUploadedFile("thoa-thuan.pdf", b"<html>not a pdf</html>",
                              content_type="application/pdf")
    with pytest.raises(ValidationError) as refused:
        services.agreement_save(agreement=Agreement(
            enterprise=partner, number="04/2026", signed_on=today, starts_on=today,
            internships=True), file=fake)
    assert "file" in refused.value.message_dict
    assert not Agreement.objects.exists()


def test_search_ignores_accents_and_filters_by_occupation_and_province():
    it, welding = occupation(), occupation("5520123", "Hàn")
    a = enterprise("0101234567", "Công ty Cơ khí Đông Anh", occupations=[welding])
    b = enterprise("0201234567", "Công ty Phần mềm Ánh Dương", occupations=[it],
                   province_code="79")
    assert list(selectors.enterprise_search(query="co khi dong anh")) == [a]
    assert list(selectors.enterprise_search(query="ANH DUONG")) == [b]
    assert list(selectors.enterprise_search(query="0201")) == [b]
    assert list(selectors.enterprise_search(occupation=welding)) == [a]
    assert list(selectors.enterprise_search(province=b.province)) == [b]
    assert list(selectors.enterprise_search(query="cong ty", occupation=it)) == [b]


# --- import ----------------------------------------------------------------------------

HEADERS = ["tax_code", "name", "sector", "province", "address", "occupations"]


def workbook(*rows) -> bytes:
    dataset = tablib.Dataset(headers=HEADERS)
    for row in rows:
        dataset.append(row)
    return dataset.export("xlsx")


def test_import_creates_and_updates_by_tax_code():
    occupation()
    enterprise("0101234567", "Tên cũ")
    content = workbook(
        ["0101234567", "Công ty TNHH Cơ khí Hà Nội", "C", "01", "Số 1", "6480201"],
        ["0301 234 567", "Công ty Ánh Dương", "J", "Thành phố Hồ Chí Minh", "Số 2", ""],
        ["0401234567-001", "Chi nhánh Đà Nẵng", "g", "da nang", "Số 3", ""],
    )
    report = enterprise_import(content=content, filename="dn.xlsx", dry_run=False)
    assert report.ok, report.problems
    assert (report.new, report.updated) == (2, 1)
    assert Enterprise.objects.get(tax_code="0101234567").name == "Công ty TNHH Cơ khí Hà Nội"
    assert Enterprise.objects.get(tax_code="0301234567").province.code == "79"
    assert Enterprise.objects.get(tax_code="0401234567-001").sector == "G"


def test_a_bad_row_imports_nothing_and_is_named():
    content = workbook(
        ["0101234567", "Công ty Một", "C", "01", "Số 1", ""],
        ["12345", "Công ty Hai", "C", "01", "Số 2", ""],
        ["0201234567", "Công ty Ba", "Z", "Hà Tây", "Số 3", "9999999"],
        ["0101234567", "Trùng", "C", "01", "Số 4", ""],
    )
    report = enterprise_import(content=content, filename="dn.xlsx", dry_run=False)
    assert not report.ok
    named = {(p.row, p.column) for p in report.problems}
    assert {(3, "tax_code"), (4, "sector"), (4, "province"), (4, "occupations"),
            (5, "tax_code")} <= named
    assert not Enterprise.objects.exists()


def test_a_check_only_import_stores_nothing():
    report = enterprise_import(content=workbook(["0101234567", "Công ty", "C", "01", "Số 1", ""]),
                               filename="dn.xlsx", dry_run=True)
    assert report.ok and report.new == 1
    assert not Enterprise.objects.exists()


# --- reminders -------------------------------------------------------------------------

def test_the_training_office_is_reminded_once_before_an_agreement_ends(settings):
    settings.ENTERPRISE_AGREEMENT_REMINDER_DAYS = 60
    UserFactory(username="pdt", email="pdt@college.example.vn", roles=[roles.REGISTRAR])
    UserFactory(username="qa", email="qa@college.example.vn", roles=[roles.QA_OFFICER])
    partner = enterprise()
    soon = agreement(partner, "01/2026", days_left=30)
    agreement(partner, "02/2026", days_left=300)
    assert services.agreement_reminders_send() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["pdt@college.example.vn"]
    assert soon.number in mail.outbox[0].body
    assert services.agreement_reminders_send() == 0
    assert len(mail.outbox) == 1


def test_expiry_states():
    partner = enterprise()
    today = timezone.localdate()
    soon, later = agreement(partner, "A", days_left=10), agreement(partner, "B", days_left=300)
    assert soon.expiry_state(today, 60) == "expiring"
    assert later.expiry_state(today, 60) == "active"
    assert later.expiry_state(today + timedelta(days=301), 60) == "expired"
    assert set(selectors.agreements_expiring(today=today)) == {soon}
