"""The degrees API: the registrar's workflow, learners reading only their own diplomas (other
ids guessed → 404), and the public verification endpoint."""

import pytest
from rest_framework.test import APIClient

from degrees.models import Diploma
from tests.degrees.factories import DECISION_DATE, REVIEW_DATE, finished_class, issued
from tests.factories import UserFactory
from vetschool.accounts import roles

pytestmark = pytest.mark.django_db


def test_the_registrar_runs_the_workflow_through_the_api(registrar):
    w = finished_class(2, gpas={1: "1.60"})
    api = APIClient()
    api.force_authenticate(registrar)
    review = api.post("/api/v1/graduation-reviews/", {
        "homeroom_class": w.homeroom_class.pk, "review_date": REVIEW_DATE}, format="json")
    assert review.status_code == 201, review.json()
    lines = review.json()["lines"]
    failing = next(line for line in lines if not line["eligible"])
    assert failing["reasons"] == ["GPA"]
    refused = api.post(f"/api/v1/graduation-reviews/{review.json()['id']}/adjust/",
                       {"line": failing["id"], "eligible": True,
                        "classification": "average", "reason": ""}, format="json")
    assert refused.status_code == 400 and "reason" in refused.json()["errors"]
    decision = api.post("/api/v1/graduation-decisions/", {
        "review": review.json()["id"], "number": "245/QĐ-CĐSH", "date": DECISION_DATE,
        "signer_name": "TS. Vũ Quang Minh", "signer_title": "Hiệu trưởng"}, format="json")
    assert decision.status_code == 201, decision.json()
    assert len(decision.json()["lines"]) == 1
    issued_ = api.post(f"/api/v1/graduation-decisions/{decision.json()['id']}/issue/",
                       {"issue_date": "2026-07-20"}, format="json")
    assert issued_.status_code == 201
    (diploma,) = issued_.json()
    assert diploma["serial_number"] == "CDSH01-2026-000001"
    assert diploma["verify_url"].startswith("http://127.0.0.1:8000/verify/")
    revoked = api.post(f"/api/v1/diplomas/{diploma['id']}/revoke/", {
        "reason": "Gian lận", "decision_number": "9/QĐ", "decision_date": "2026-09-01"},
        format="json")
    assert revoked.status_code == 200 and revoked.json()["status"] == "revoked"
    assert api.get("/api/v1/diplomas/").json()["count"] == 1


def test_a_learner_reads_only_own_diplomas_and_cannot_write(registrar):
    me = UserFactory(username="hv1", roles=[roles.LEARNER])
    other = UserFactory(username="hv2", roles=[roles.LEARNER])
    w = finished_class(2, users=[me, other])
    _decision, diplomas = issued(w, registrar)
    mine = Diploma.objects.get(enrollment__learner__user=me)
    theirs = Diploma.objects.exclude(pk=mine.pk).get()
    api = APIClient()
    api.force_authenticate(me)
    listed = api.get("/api/v1/diplomas/").json()
    assert [d["serial_number"] for d in listed["results"]] == [mine.serial_number]
    assert api.get(f"/api/v1/diplomas/{theirs.pk}/").status_code == 404
    assert api.post(f"/api/v1/diplomas/{mine.pk}/revoke/", {}).status_code == 403
    assert api.get("/api/v1/graduation-reviews/").status_code == 403
    assert api.get("/api/v1/graduation-decisions/").status_code == 403


def test_public_verification_endpoint(registrar, settings):
    settings.DEGREES_VERIFY_RATE = 4
    w = finished_class(1)
    _decision, (diploma,) = issued(w, registrar)
    api = APIClient()
    found = api.post("/api/v1/diploma-verification/", {
        "serial_number": diploma.serial_number, "date_of_birth": "2006-05-01"}, format="json")
    assert found.status_code == 200
    assert found.json()["status"] == "issued" and "national_id" not in found.json()
    assert "date_of_birth" not in found.json()
    wrong = api.post("/api/v1/diploma-verification/", {
        "serial_number": diploma.serial_number, "date_of_birth": "2006-05-02"}, format="json")
    unknown = api.post("/api/v1/diploma-verification/", {
        "serial_number": "CDSH01-2026-000099", "date_of_birth": "2006-05-01"}, format="json")
    assert wrong.status_code == unknown.status_code == 404
    assert wrong.json() == unknown.json()
    assert api.get(f"/api/v1/diploma-verification/{diploma.token}/").status_code == 200
    assert api.get(f"/api/v1/diploma-verification/{diploma.token}/").status_code == 429
    # The date of birth is never read from the address: a GET look-up does not exist.
    assert api.get("/api/v1/diploma-verification/", {
        "serial_number": diploma.serial_number,
        "date_of_birth": "2006-05-01"}).status_code in (405, 429)


def test_an_issue_date_before_the_decision_is_a_400_not_a_500(registrar):
    # A typo'd year (0311) reached the register, and a 500.
    w = finished_class(1)
    decision, (diploma,) = issued(w, registrar)
    api = APIClient()
    api.force_authenticate(registrar)
    response = api.post(f"/api/v1/diplomas/{diploma.pk}/replace/",
                        {"reason": "Sai tên", "issue_date": "0311-07-20"}, format="json")
    assert response.status_code == 400, response.content
    assert list(response.json()["errors"]) == ["issue_date"]
    diploma.refresh_from_db()
    assert diploma.status == "issued"
    response = api.post(f"/api/v1/diplomas/{diploma.pk}/replace/",
                        {"reason": "Sai tên", "issue_date": str(decision.date)}, format="json")
    assert response.status_code == 201, response.content
