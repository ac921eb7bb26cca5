"""Job postings (the public form, approval, what is shown) and the enterprises API and admin
(issue #16)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from enterprises import selectors, services
from enterprises.models import Enterprise, JobPosting
from tests.enrollment.factories import occupation
from tests.enterprises.helpers import agreement, enterprise, posting, province
from tests.factories import UserFactory
from vetschool.accounts import roles

pytestmark = pytest.mark.django_db

JSON = "application/json"


def staff_client(role: str) -> Client:
    user = UserFactory(roles=[role], is_staff=roles.ROLES[role].staff)
    client = Client()
    client.force_login(user)
    return client


def public_form(**changes) -> dict:
    return {
        "enterprise_name": "Công ty TNHH Điện tử Sao Mai", "tax_code": "0109 876 543",
        "title": "Tuyển kỹ thuật viên điện tử", "occupation": occupation().pk,
        "province": province("01").pk, "salary_band": "8-12", "openings": "3",
        "description": "Tốt nghiệp cao đẳng đúng nghề.",
        "deadline": (timezone.localdate() + timedelta(days=30)).isoformat(),
        "contact_name": "Trần Thị Mai", "contact_phone": "0912345678", "contact_email": "",
    } | changes


def test_an_enterprise_submits_a_posting_that_waits_for_approval(client):
    response = client.post("/jobs/submit/", public_form())
    assert response.status_code == 302 and response["Location"] == "/jobs/submitted/"
    submitted = JobPosting.objects.get()
    assert submitted.status == "pending" and submitted.source == "public"
    assert submitted.tax_code == "0109876543" and submitted.enterprise is None
    assert "Tuyển kỹ thuật viên điện tử" not in client.get("/jobs/").content.decode()
    registrar = UserFactory(roles=[roles.REGISTRAR], is_staff=True)
    services.posting_approve(posting=submitted, by=registrar)
    assert "Tuyển kỹ thuật viên điện tử" in client.get("/jobs/").content.decode()


def test_a_submission_from_a_partner_is_linked_to_it(client):
    partner = enterprise("0109876543")
    client.post("/jobs/submit/", public_form())
    assert JobPosting.objects.get().enterprise == partner


@pytest.mark.parametrize(("field", "value"), [
    ("tax_code", "12345"), ("deadline", "2020-01-01"), ("title", "=1+1"),
    ("enterprise_name", ""), ("contact_phone", ""),
])
def test_a_bad_submission_gets_a_clear_error_and_stores_nothing(client, field, value):
    response = client.post("/jobs/submit/", public_form(**{field: value}))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors.get(field), form.errors
    assert not JobPosting.objects.exists()


def test_the_public_form_is_rate_limited_per_address(client, settings):
    settings.ENTERPRISE_POSTING_RATE_PER_ADDRESS = 2
    for number in range(2):
        assert client.post("/jobs/submit/", public_form(title=f"Tin {number}")).status_code == 302
    response = client.post("/jobs/submit/", public_form(title="Tin 3"))
    assert response.status_code == 429
    assert JobPosting.objects.count() == 2


def test_a_robot_filling_the_honeypot_stores_nothing(client):
    response = client.post("/jobs/submit/", public_form(website="http://spam.example"))
    assert response.status_code == 302
    assert not JobPosting.objects.exists()


def test_open_postings_are_published_and_not_past_their_deadline():
    partner = enterprise()
    live = posting(partner, title="Đang tuyển")
    old = posting(partner, title="Hết hạn")
    JobPosting.objects.filter(pk=old.pk).update(deadline=timezone.localdate() - timedelta(days=1))
    closed = posting(partner, title="Đã đóng")
    services.posting_close(posting=closed, by=None)
    assert list(selectors.open_postings()) == [live]
    assert list(selectors.open_postings(occupation=occupation("5520123", "Hàn"))) == []


def test_only_a_pending_posting_can_be_decided():
    from django.core.exceptions import ValidationError
    from django.utils import translation

    live = posting()
    with translation.override("en"), pytest.raises(ValidationError,
                                                   match="waiting for approval"):
        services.posting_reject(posting=live, by=None, reason="Trùng")
    live.refresh_from_db()
    assert live.status == "open"


def test_the_postings_page_filters_and_does_not_repeat_queries(
        client, django_assert_max_num_queries):
    partner = enterprise()
    for number in range(8):
        posting(partner, title=f"Tin tuyển dụng {number}")
    with django_assert_max_num_queries(6):
        response = client.get(f"/jobs/?occupation={occupation().pk}&province=abc")
    assert response.status_code == 200
    assert response.content.decode().count('class="card posting"') == 8


# --- API ---------------------------------------------------------------------------------

def test_the_registrar_keeps_enterprises_through_the_api():
    client = staff_client(roles.REGISTRAR)
    body = {"tax_code": "0101 234 567", "name": "Công ty Cơ khí", "sector": "C",
            "province": province("01").pk, "address": "Số 1", "occupations": [occupation().pk]}
    created = client.post("/api/v1/enterprises/", body, content_type=JSON)
    assert created.status_code == 201, created.json()
    assert created.json()["tax_code"] == "0101234567"
    refused = client.post("/api/v1/enterprises/", body | {"tax_code": "12345"},
                          content_type=JSON)
    assert refused.status_code == 400 and "tax_code" in refused.json()["errors"]
    assert Enterprise.objects.count() == 1
    found = client.get("/api/v1/enterprises/?search=co khi").json()
    assert [row["name"] for row in found["results"]] == ["Công ty Cơ khí"]


def test_an_agreement_ending_before_it_starts_is_a_400_through_the_api():
    partner = enterprise()
    client = staff_client(roles.REGISTRAR)
    today = timezone.localdate()
    response = client.post("/api/v1/enterprise-agreements/", {
        "enterprise": partner.pk, "number": "05/2026", "signed_on": today.isoformat(),
        "starts_on": today.isoformat(), "ends_on": (today - timedelta(days=1)).isoformat(),
        "internships": True}, content_type=JSON)
    assert response.status_code == 400
    assert "ends_on" in response.json()["errors"]
    assert not partner.agreements.exists()


def test_the_registrar_approves_and_rejects_submitted_postings_through_the_api(client):
    client.post("/jobs/submit/", public_form(title="Tin A"))
    client.post("/jobs/submit/", public_form(title="Tin B"))
    a, b = JobPosting.objects.order_by("title")
    office = staff_client(roles.REGISTRAR)
    assert office.post(f"/api/v1/job-postings/{a.pk}/approve/").json()["status"] == "open"
    assert office.post(f"/api/v1/job-postings/{b.pk}/reject/", {"reason": ""},
                       content_type=JSON).status_code == 400
    rejected = office.post(f"/api/v1/job-postings/{b.pk}/reject/", {"reason": "Trùng tin"},
                           content_type=JSON)
    assert rejected.json()["status"] == "rejected"
    again = office.post(f"/api/v1/job-postings/{a.pk}/reject/", {"reason": "x"},
                        content_type=JSON)
    assert again.status_code == 400


@pytest.mark.parametrize("role", [roles.QA_OFFICER, roles.HR_OFFICER, roles.TEACHER,
                                  roles.LEARNER])
def test_other_roles_cannot_write_enterprises(role):
    partner = enterprise()
    client = staff_client(role)
    response = client.patch(f"/api/v1/enterprises/{partner.pk}/", {"name": "Đổi tên"},
                            content_type=JSON)
    assert response.status_code in (403, 404)
    partner.refresh_from_db()
    assert partner.name == "Công ty TNHH Cơ khí Hà Nội"
    reads = client.get("/api/v1/enterprises/")
    assert reads.status_code == (200 if role == roles.QA_OFFICER else 403)


# --- admin -------------------------------------------------------------------------------

def test_the_admin_lists_finds_and_imports_enterprises(django_assert_max_num_queries):
    partners = [enterprise(f"01012345{n:02d}", f"Công ty Cơ khí số {n}") for n in range(6)]
    for partner in partners:
        agreement(partner, days_left=10)
    client = staff_client(roles.REGISTRAR)
    with django_assert_max_num_queries(20):
        response = client.get("/admin/enterprises/enterprise/?q=co+khi")
    assert response.status_code == 200
    assert "6 partner enterprises" in response.content.decode() or \
        response.context["cl"].result_count == 6
    agreements = client.get("/admin/enterprises/agreement/?validity=expiring")
    assert agreements.context["cl"].result_count == 6
    dataset = tablib.Dataset(headers=["tax_code", "name", "sector", "province", "address"])
    dataset.append(["0301234567", "Công ty Mới", "J", "79", "Số 9"])
    upload = SimpleUploadedFile("dn.xlsx", dataset.export("xlsx"))
    imported = client.post("/admin/enterprises/enterprise/import/",
                           {"file": upload, "import": "1"})
    assert imported.status_code == 200 and imported.context["report"].ok
    assert Enterprise.objects.filter(tax_code="0301234567").exists()


def test_the_training_office_queue_counts_pending_postings_and_expiring_agreements(client):
    partner = enterprise()
    agreement(partner, "A", days_left=10)
    agreement(partner, "B", days_left=400)
    client.post("/jobs/submit/", public_form())
    office = staff_client(roles.REGISTRAR)
    page = office.get("/office/")
    items = {item.url: item for _queue, lines in page.context["queues"] for item in lines}
    pending = next(i for url, i in items.items() if "jobposting" in url)
    expiring = next(i for url, i in items.items() if "agreement" in url)
    assert (pending.count, expiring.count) == (1, 1)
    listed = office.get(expiring.url)
    assert [a.number for a in listed.context["cl"].result_list] == ["A"]
