"""Signed diploma credentials (issue 8): OB 3.0 as VC-JWT with EdDSA, a public status list,
and `verify_credential` offline with only the college's public key."""

import base64
import datetime
import gzip
import json

import pytest
from django.core.management import call_command
from jwcrypto import jwk

from degrees import credentials

pytestmark = pytest.mark.django_db

KEY = credentials.generate_key_text()
OTHER_KEY = credentials.generate_key_text()


@pytest.fixture(autouse=True)
def _college_key(settings):
    settings.DEGREES_SIGNING_KEY = KEY
    settings.PUBLIC_URL = "https://cdn-nghe.example.edu.vn"


def facts(**overrides) -> credentials.CredentialFacts:
    values = {
        "credential_id": "urn:uuid:5f0c8c1e-7a51-4d0b-9d1e-3b1f8a2c4d61",
        "serial_number": "CD2026000017", "register_number": "CD2026/00017",
        "holder_name": "Nguyễn Thị Ánh", "date_of_birth": datetime.date(2004, 3, 9),
        "occupation_code": "6480201", "occupation_name": "Công nghệ thông tin",
        "level": "college", "classification": "very_good", "graduation_year": 2026,
        "issued_on": datetime.date(2026, 7, 15),
        "verify_url": "https://cdn-nghe.example.edu.vn/verify/0b6f/", "status_index": 17,
    }
    return credentials.CredentialFacts(**{**values, **overrides})


def segments(token: str) -> list[dict]:
    def decode(part: str) -> dict:
        return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    header, payload, _signature = token.split(".")
    return [decode(header), decode(payload)]


def test_an_issued_credential_is_an_open_badge_signed_with_eddsa_by_the_colleges_did():
    token = credentials.issue_credential(facts())
    header, payload = segments(token)
    assert header == {"alg": "EdDSA", "typ": "JWT",
                      "kid": "did:web:cdn-nghe.example.edu.vn#key-1"}
    assert payload["@context"][0] == "https://www.w3.org/ns/credentials/v2"
    assert payload["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert payload["iss"] == payload["issuer"]["id"] == "did:web:cdn-nghe.example.edu.vn"
    assert payload["jti"] == payload["id"] == "urn:uuid:5f0c8c1e-7a51-4d0b-9d1e-3b1f8a2c4d61"
    # 15 July 2026, 00:00 in Hanoi = 14 July 17:00 UTC
    assert payload["validFrom"] == "2026-07-14T17:00:00Z"
    assert payload["nbf"] == int(datetime.datetime(2026, 7, 14, 17, tzinfo=datetime.UTC)
                                 .timestamp())
    subject = payload["credentialSubject"]
    assert subject["achievement"]["achievementType"] == "Diploma"
    assert subject["achievement"]["humanCode"] == "6480201"
    assert subject["result"][0]["value"] == "Giỏi"
    assert payload["serialNumber"] == "CD2026000017"
    assert payload["credentialStatus"] == {
        "id": "https://cdn-nghe.example.edu.vn/credentials/status-list/#17",
        "type": "BitstringStatusListEntry", "statusPurpose": "revocation",
        "statusListIndex": "17",
        "statusListCredential": "https://cdn-nghe.example.edu.vn/credentials/status-list/"}
    verdict = credentials.verify(token)
    assert verdict.signature_ok and not verdict.ok
    assert verdict.outcome == credentials.REVOCATION_UNKNOWN


def test_the_birth_date_travels_only_as_a_salted_hash():
    token = credentials.issue_credential(facts())
    _header, payload = segments(token)
    assert "2004-03-09" not in json.dumps(payload)
    birth = [i for i in payload["credentialSubject"]["identifier"]
             if i["identityType"] == "ext:dateOfBirth"][0]
    assert birth["hashed"] is True
    assert birth["identityHash"] == credentials.hashed_birth_date(datetime.date(2004, 3, 9),
                                                                  birth["salt"])
    assert birth["identityHash"] != credentials.hashed_birth_date(datetime.date(2004, 3, 10),
                                                                  birth["salt"])


def test_two_credentials_of_the_same_facts_use_different_salts():
    first, second = (segments(credentials.issue_credential(facts()))[1] for _ in range(2))
    ids = [[i for i in p["credentialSubject"]["identifier"] if i["hashed"]][0]["identityHash"]
           for p in (first, second)]
    assert ids[0] != ids[1]


@pytest.mark.parametrize("part", [0, 1, 2])
def test_any_changed_byte_breaks_the_credential(part):
    token = credentials.issue_credential(facts())
    pieces = token.split(".")
    for position in (0, len(pieces[part]) // 2, len(pieces[part]) - 2):
        changed = list(pieces[part])
        changed[position] = "A" if changed[position] != "A" else "B"
        forged = ".".join(pieces[:part] + ["".join(changed)] + pieces[part + 1:])
        verdict = credentials.verify(forged)
        assert not verdict.ok, (part, position)
        assert verdict.outcome in {credentials.TAMPERED, credentials.MALFORMED,
                                   credentials.UNKNOWN_KEY}


def test_a_forged_classification_is_detected_as_tampering():
    token = credentials.issue_credential(facts())
    header, payload, signature = token.split(".")
    claims = segments(token)[1]
    claims["credentialSubject"]["result"][0]["value"] = "Xuất sắc"
    forged_payload = base64.urlsafe_b64encode(
        json.dumps(claims, ensure_ascii=False).encode()).decode().rstrip("=")
    verdict = credentials.verify(f"{header}.{forged_payload}.{signature}")
    assert verdict.outcome == credentials.TAMPERED


def test_a_credential_signed_by_another_key_is_not_the_colleges(settings):
    settings.DEGREES_SIGNING_KEY = OTHER_KEY
    token = credentials.issue_credential(facts())
    settings.DEGREES_SIGNING_KEY = KEY
    assert credentials.verify(token).outcome == credentials.TAMPERED


def test_the_status_list_is_a_gzipped_msb_first_bitstring_of_at_least_16_kb():
    encoded = credentials.encode_status_list([0, 9, 131_071])
    assert encoded.startswith("u")
    raw = gzip.decompress(base64.urlsafe_b64decode(encoded[1:] + "=" * (-len(encoded[1:]) % 4)))
    assert len(raw) == 16 * 1024
    assert raw[0] == 0b1000_0000 and raw[1] == 0b0100_0000 and raw[-1] == 0b0000_0001
    assert sum(bin(byte).count("1") for byte in raw) == 3
    assert len(credentials.decode_status_list(credentials.encode_status_list([131_072]))) \
        == 32 * 1024


@pytest.mark.parametrize(("revoked", "outcome"), [
    ([], credentials.VALID),
    ([16, 18], credentials.VALID),
    ([17], credentials.REVOKED),
    ([3, 17, 900], credentials.REVOKED),
])
def test_revocation_is_read_from_the_signed_status_list(revoked, outcome):
    token = credentials.issue_credential(facts(status_index=17))
    status = credentials.status_list_credential(revoked)
    verdict = credentials.verify(token, status_list_token=status)
    assert verdict.outcome == outcome
    assert verdict.status_checked


def test_a_status_list_not_signed_by_the_college_is_refused(settings):
    token = credentials.issue_credential(facts())
    settings.DEGREES_SIGNING_KEY = OTHER_KEY
    forged_status = credentials.status_list_credential([])
    settings.DEGREES_SIGNING_KEY = KEY
    verdict = credentials.verify(token, status_list_token=forged_status)
    assert not verdict.ok and verdict.message.startswith("status list:")


def test_the_public_key_is_published_as_jwks_and_as_a_did_document(client):
    jwks = client.get("/.well-known/jwks.json")
    assert jwks.status_code == 200
    assert jwks["Content-Type"] == "application/jwk-set+json"
    (key,) = jwks.json()["keys"]
    assert key["kty"] == "OKP" and key["crv"] == "Ed25519" and "d" not in key
    assert key["kid"] == "did:web:cdn-nghe.example.edu.vn#key-1"
    did = client.get("/.well-known/did.json").json()
    assert did["id"] == "did:web:cdn-nghe.example.edu.vn"
    assert did["assertionMethod"] == [key["kid"]]
    assert did["verificationMethod"][0]["publicKeyJwk"]["x"] == key["x"]
    assert "d" not in did["verificationMethod"][0]["publicKeyJwk"]


@pytest.mark.parametrize(("public_url", "did"), [
    ("http://127.0.0.1:8000", "did:web:127.0.0.1%3A8000"),
    ("https://college.example.vn/", "did:web:college.example.vn"),
    ("https://example.vn/cdn/", "did:web:example.vn:cdn"),
])
def test_did_web_follows_public_url(settings, public_url, did):
    settings.PUBLIC_URL = public_url
    assert credentials.issuer_did() == did


def test_a_pem_key_is_accepted_and_a_wrong_key_is_a_clear_error(settings):
    from django.core.exceptions import ImproperlyConfigured

    pem = jwk.JWK.from_json(KEY).export_to_pem(private_key=True, password=None).decode()
    settings.DEGREES_SIGNING_KEY = pem
    assert credentials.verify(credentials.issue_credential(facts()),
                              keys=credentials.keys_from_document(json.loads(
                                  jwk.JWK.from_json(KEY).export_public()))).signature_ok
    settings.DEGREES_SIGNING_KEY = jwk.JWK.generate(kty="EC", crv="P-256").export_private()
    with pytest.raises(ImproperlyConfigured, match="Ed25519"):
        credentials.signing_key()


def test_a_key_generated_for_lack_of_configuration_is_kept_and_logged(settings, tmp_path, caplog):
    settings.DEGREES_SIGNING_KEY = ""
    settings.VAR_DIR = tmp_path
    with caplog.at_level("WARNING", logger="degrees.credentials"):
        first = credentials.signing_key().export_public()
    assert "DEGREES_SIGNING_KEY is not set" in caplog.text
    assert (tmp_path / "degrees-signing-key.jwk").stat().st_mode & 0o777 == 0o600
    caplog.clear()
    assert credentials.signing_key().export_public() == first
    assert caplog.text == ""


# --- verify_credential FILE, offline --------------------------------------------------------
def run_verify(*args) -> tuple[int, str]:
    from io import StringIO

    out = StringIO()
    try:
        call_command("verify_credential", *args, stdout=out)
    except SystemExit as exit_:
        return exit_.code, out.getvalue()
    return 0, out.getvalue()


@pytest.fixture
def published(client, tmp_path):
    """What an employer saved: the college's DID document and the current status list."""
    did = tmp_path / "did.json"
    did.write_bytes(client.get("/.well-known/did.json").content)
    return did


def test_verify_credential_accepts_the_downloaded_json_with_only_the_public_key(
        tmp_path, published, settings):
    token = credentials.issue_credential(facts())
    file = tmp_path / "diploma.json"
    file.write_text(json.dumps(credentials.enveloped(token)), encoding="utf-8")
    settings.DEGREES_SIGNING_KEY = OTHER_KEY  # this installation's key is not the issuer's
    code, out = run_verify(str(file), "--key", str(published), "--offline")
    assert code == 3, out  # the signature is good; whether it is revoked is not known
    assert out.startswith("REVOCATION_UNKNOWN: signature valid, but revocation NOT checked")
    assert "Nguyễn Thị Ánh" in out and "CD2026000017" in out


def test_verify_credential_says_a_changed_byte_is_tampering(tmp_path, published):
    token = credentials.issue_credential(facts())
    header, payload, signature = token.split(".")
    middle = len(payload) // 2
    forged = payload[:middle] + ("x" if payload[middle] != "x" else "y") + payload[middle + 1:]
    file = tmp_path / "diploma.jwt"
    file.write_text(f"{header}.{forged}.{signature}")
    code, out = run_verify(str(file), "--key", str(published))
    assert code == 1
    assert out.startswith(("TAMPERED", "MALFORMED"))


def test_verify_credential_reports_revoked_or_replaced_from_the_status_list(tmp_path, published):
    token = credentials.issue_credential(facts(status_index=5))
    file = tmp_path / "diploma.jwt"
    file.write_text(token)
    status = tmp_path / "status.jwt"
    status.write_text(credentials.status_list_credential([5]))
    code, out = run_verify(str(file), "--key", str(published), "--status-list", str(status))
    assert code == 2
    assert out.startswith("REVOKED: the college has revoked this diploma or replaced it")
    status.write_text(credentials.status_list_credential([4, 6]))
    code, out = run_verify(str(file), "--key", str(published), "--status-list", str(status))
    assert code == 0 and out.startswith("VALID: signature valid and not revoked")


def test_verify_credential_explains_an_unreadable_file(tmp_path):
    from django.core.management import CommandError

    file = tmp_path / "x.json"
    file.write_text('{"hello": 1}')
    with pytest.raises(CommandError, match="no credential"):
        call_command("verify_credential", str(file))
    with pytest.raises(CommandError, match="cannot be read"):
        call_command("verify_credential", str(tmp_path / "missing.jwt"))


# --- verify_credential fetches the status list the credential names ---------------------------


@pytest.fixture
def status_server(settings):
    """A real HTTP server on this machine publishing the college's status list at
    STATUS_LIST_PATH (as the college's site does); PUBLIC_URL points to it, so the
    credentials issued in the test name it. `server.revoked` is the list's revoked indexes."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            if self.path != credentials.STATUS_LIST_PATH:
                self.send_error(404)
                return
            body = self.server.body.encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/vc+jwt")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    settings.PUBLIC_URL = f"http://127.0.0.1:{server.server_port}"
    server.body = ""
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_verify_credential_fetches_the_status_list_and_says_revoked(tmp_path, status_server):
    token = credentials.issue_credential(facts(status_index=5))
    file = tmp_path / "diploma.jwt"
    file.write_text(token)
    status_server.body = credentials.status_list_credential([5])
    code, out = run_verify(str(file))
    assert code == 2, out
    assert out.startswith("REVOKED: the college has revoked this diploma")


def test_verify_credential_fetches_the_status_list_and_says_valid(tmp_path, status_server):
    token = credentials.issue_credential(facts(status_index=5))
    file = tmp_path / "diploma.jwt"
    file.write_text(token)
    status_server.body = credentials.status_list_credential([4, 6])
    code, out = run_verify(str(file))
    assert code == 0, out
    assert out.startswith("VALID: signature valid and not revoked")


def test_verify_credential_refuses_a_fetched_status_list_not_signed_by_the_college(
        tmp_path, status_server, settings):
    token = credentials.issue_credential(facts(status_index=5))
    file = tmp_path / "diploma.jwt"
    file.write_text(token)
    settings.DEGREES_SIGNING_KEY = OTHER_KEY  # someone else's list, saying "not revoked"
    status_server.body = credentials.status_list_credential([])
    settings.DEGREES_SIGNING_KEY = KEY
    code, out = run_verify(str(file))
    assert code == 1, out
    assert out.startswith(("UNKNOWN_KEY: status list", "TAMPERED: status list"))


def test_verify_credential_says_revocation_unknown_when_the_list_cannot_be_fetched(
        tmp_path, status_server):
    token = credentials.issue_credential(facts(status_index=5))
    file = tmp_path / "diploma.jwt"
    file.write_text(token)
    status_server.shutdown()
    status_server.server_close()  # the college's site is unreachable
    code, out = run_verify(str(file), "--timeout", "2")
    assert code == 3, out
    assert out.startswith("REVOCATION_UNKNOWN: signature valid, but revocation NOT checked: "
                          "the status list could not be fetched")


def test_verify_credential_says_revocation_unknown_when_the_site_answers_no_list(
        tmp_path, status_server):
    token = credentials.issue_credential(facts(status_index=5))
    file = tmp_path / "diploma.jwt"
    file.write_text(token)
    status_server.body = "<html>maintenance</html>"
    code, out = run_verify(str(file))
    assert code == 3, out
    assert "did not answer a VC-JWT" in out


def test_verify_credential_offline_never_fetches(tmp_path, status_server):
    token = credentials.issue_credential(facts(status_index=5))
    file = tmp_path / "diploma.jwt"
    file.write_text(token)
    status_server.body = credentials.status_list_credential([5])
    code, out = run_verify(str(file), "--offline")
    assert code == 3, out  # revoked, but offline the command cannot know it
    assert out.startswith("REVOCATION_UNKNOWN")
