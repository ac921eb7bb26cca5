"""Every issued diploma carries its signed credential (degrees/credentials/): frozen at issue,
downloadable by the learner and from the verification page, checked offline with the
college's key and the public status list, which marks revoked and replaced diplomas."""

import json
from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse

from degrees import credentials
from degrees.services.register import diploma_replace, diploma_revoke
from tests.degrees.factories import finished_class, issued
from tests.factories import UserFactory
from vetschool.accounts import roles

pytestmark = pytest.mark.django_db

KEY = credentials.generate_key_text()


@pytest.fixture(autouse=True)
def _college_key(settings):
    settings.DEGREES_SIGNING_KEY = KEY


def _status_list(client) -> str:
    response = client.get(credentials.STATUS_LIST_PATH)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vc+jwt"
    assert reverse("degrees-status-list") == credentials.STATUS_LIST_PATH
    return response.content.decode()


def test_issued_credentials_verify_and_the_status_list_marks_revoked_and_replaced(
        client, registrar):
    w = finished_class(3)
    _decision, (kept, revoked, replaced) = issued(w, registrar)
    verdict = credentials.verify(kept.credential)
    assert verdict.signature_ok and verdict.outcome == credentials.REVOCATION_UNKNOWN
    subject_text = json.dumps(verdict.credential, ensure_ascii=False)
    assert kept.serial_number in subject_text
    assert kept.national_id not in subject_text
    diploma_revoke(diploma=revoked, reason="Gian lận", decision_number="9/QĐ",
                   decision_date=date(2026, 9, 1), by=registrar)
    new = diploma_replace(diploma=replaced, reason="Sai tên", by=registrar)
    status = _status_list(client)
    assert credentials.verify(kept.credential, status_list_token=status).outcome == "valid"
    assert credentials.verify(new.credential, status_list_token=status).outcome == "valid"
    revoked.refresh_from_db()
    replaced.refresh_from_db()
    for diploma in (revoked, replaced):
        assert credentials.verify(diploma.credential,
                                  status_list_token=status).outcome == "revoked"


def test_the_learner_downloads_the_credential_and_checks_it_offline(client, registrar,
                                                                    tmp_path):
    me = UserFactory(username="hv-cred", roles=[roles.LEARNER])
    w = finished_class(1, users=[me])
    _decision, (diploma,) = issued(w, registrar)
    client.force_login(me)
    response = client.get(reverse("degrees-my-credential", args=[diploma.pk]))
    assert response.status_code == 200
    assert response.json() == credentials.enveloped(diploma.credential)
    file = tmp_path / "diploma.json"
    file.write_bytes(response.content)
    status = tmp_path / "status.jwt"
    status.write_text(_status_list(client))
    call_command("verify_credential", str(file), "--status-list", str(status))  # exit 0

    page = client.get(reverse("degrees-verify-token", args=[diploma.token])).content.decode()
    assert "EnvelopedVerifiableCredential" in page
    public = client.get(reverse("degrees-verify-credential", args=[diploma.token]))
    assert public.json() == credentials.enveloped(diploma.credential)

    tampered = json.loads(file.read_text())
    token = tampered["id"].split(",", 1)[1]
    header, payload, signature = token.split(".")
    tampered["id"] = tampered["id"].split(",", 1)[0] + "," + ".".join(
        [header, payload[:-2] + ("A" if payload[-2] != "A" else "B") + payload[-1], signature])
    file.write_text(json.dumps(tampered))
    with pytest.raises(SystemExit) as exc:
        call_command("verify_credential", str(file))
    assert exc.value.code == 1
