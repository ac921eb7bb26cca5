"""Signed digital diplomas: Open Badges 3.0 credentials secured as VC-JWT with EdDSA (Ed25519).

Why VC-JWT and not a Data Integrity proof: the JOSE form needs no JSON-LD canonicalisation
(no remote context documents at verification time), so `verify_credential` works offline with
only the college's public key, and any OB 3.0 verifier that speaks §8.2 accepts it. The
signing itself is jwcrypto's; nothing here invents a signature format.

Shapes (Open Badges 3.0 §8.2, VC Data Model 2.0, Bitstring Status List 1.0):
- the JWT payload is the credential itself, with `iss`, `jti` and `nbf` beside it;
- the JOSE header names the key as `<issuer DID>#key-1`; the issuer is `did:web` of PUBLIC_URL,
  so its DID document is served at `/.well-known/did.json`;
- revocation (and replacement, which revokes the old diploma) is one bit in a public
  BitstringStatusList credential at STATUS_LIST_PATH, signed with the same key;
- the holder's date of birth travels only as a salted SHA-256 hash, and no personal ID
  number is ever part of a credential.
"""

from __future__ import annotations

import base64
import datetime
import gzip
import hashlib
import json
import logging
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from jwcrypto import jwk, jws
from jwcrypto.common import JWException, json_decode

logger = logging.getLogger(__name__)

STATUS_LIST_PATH = "/credentials/status-list/"
KEY_FRAGMENT = "key-1"
# Bitstring Status List §2.1: at least 16 KB (131,072 entries) so one list does not reveal
# how many diplomas were issued or which ones are revoked by its size.
STATUS_LIST_BITS = 131_072
VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")

LEVEL_NAMES = {
    "intermediate": ("Bằng tốt nghiệp trung cấp", "Intermediate vocational diploma"),
    "college": ("Bằng tốt nghiệp cao đẳng", "College diploma"),
}
CLASSIFICATION_NAMES = {
    "excellent": "Xuất sắc",
    "very_good": "Giỏi",
    "good": "Khá",
    "average": "Trung bình",
}


@dataclass(frozen=True)
class CredentialFacts:
    """What a diploma credential states: the diploma's facts frozen at issue."""

    credential_id: str  # "urn:uuid:…", kept on the diploma
    serial_number: str
    register_number: str
    holder_name: str
    date_of_birth: datetime.date
    occupation_code: str
    occupation_name: str
    level: str  # "intermediate" | "college"
    classification: str  # "excellent" | "very_good" | "good" | "average"
    graduation_year: int
    issued_on: datetime.date
    verify_url: str
    status_index: int


# --- the college's key and identity ---------------------------------------------------------
def _key_path() -> Path:
    return Path(settings.VAR_DIR) / "degrees-signing-key.jwk"


def _configured_key_text() -> str:
    text = getattr(settings, "DEGREES_SIGNING_KEY", "")
    if text:
        return text
    # Local runs without a configured key keep a generated one in var/, never in git
    # (production should set DEGREES_SIGNING_KEY or DEGREES_SIGNING_KEY_FILE, docs/operations.md).
    path = _key_path()
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(generate_key_text(), encoding="utf-8")
        path.chmod(0o600)
        logger.warning("DEGREES_SIGNING_KEY is not set: generated the college's signing key "
                       "into %s. Back it up, or set DEGREES_SIGNING_KEY(_FILE).", path)
    return path.read_text(encoding="utf-8")


def generate_key_text() -> str:
    """A new Ed25519 private key as JWK JSON."""
    return jwk.JWK.generate(kty="OKP", crv="Ed25519").export_private()


def _load_private_key(text: str) -> jwk.JWK:
    text = text.strip()
    try:
        key = (jwk.JWK.from_pem(text.encode()) if text.startswith("-----")
               else jwk.JWK.from_json(text))
    except (ValueError, TypeError, JWException) as exc:
        raise ImproperlyConfigured(
            "DEGREES_SIGNING_KEY is neither an Ed25519 private JWK nor a PEM private key") from exc
    if key.get("kty") != "OKP" or key.get("crv") != "Ed25519" or not key.has_private:
        raise ImproperlyConfigured("DEGREES_SIGNING_KEY must be an Ed25519 private key")
    return key


@lru_cache(maxsize=4)
def _signing_key_for(text: str) -> jwk.JWK:
    return _load_private_key(text)


def signing_key() -> jwk.JWK:
    return _signing_key_for(_configured_key_text())


def public_url() -> str:
    return settings.PUBLIC_URL.rstrip("/")


def issuer_did() -> str:
    """`did:web` of PUBLIC_URL: host (port percent-encoded), then path segments."""
    parts = urlsplit(public_url())
    host = parts.netloc.replace(":", "%3A")
    segments = [segment for segment in parts.path.split("/") if segment]
    return ":".join(["did:web", host, *segments])


def key_id() -> str:
    return f"{issuer_did()}#{KEY_FRAGMENT}"


def public_jwk() -> dict:
    public = json.loads(signing_key().export_public())
    return {**public, "kid": key_id(), "use": "sig", "alg": "EdDSA"}


def public_jwks() -> dict:
    return {"keys": [public_jwk()]}


def did_document() -> dict:
    did = issuer_did()
    method = {"id": key_id(), "type": "JsonWebKey", "controller": did,
              "publicKeyJwk": {k: v for k, v in public_jwk().items() if k in ("kty", "crv", "x")}}
    return {
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/jwk/v1"],
        "id": did,
        "verificationMethod": [method],
        "assertionMethod": [key_id()],
        "authentication": [key_id()],
    }


def status_list_url() -> str:
    return public_url() + STATUS_LIST_PATH


# --- issuing --------------------------------------------------------------------------------
def _timestamp(day: datetime.date) -> datetime.datetime:
    """Midnight of `day` in Vietnam: the date printed on the diploma."""
    return datetime.datetime.combine(day, datetime.time(), tzinfo=VIETNAM)


def _iso(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def hashed_birth_date(day: datetime.date, salt: str) -> str:
    """OB 3.0 IdentityObject hash: `sha256$` + hex of SHA-256(value + salt)."""
    return "sha256$" + hashlib.sha256((day.isoformat() + salt).encode()).hexdigest()


def _institution_name() -> str:
    from vetschool.reference.models import Institution

    institution = Institution.current()
    return institution.name_vi if institution else "vetschool"


def credential_document(facts: CredentialFacts, *, salt: str) -> dict:
    """The unsecured OpenBadgeCredential the JWT carries."""
    level_vi, level_en = LEVEL_NAMES[facts.level]
    classification = CLASSIFICATION_NAMES[facts.classification]
    base = public_url()
    return {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": facts.credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": issuer_did(), "type": ["Profile"], "name": _institution_name(),
                   "url": base},
        "name": f"{level_vi} — {facts.occupation_name}",
        "description": (f"Số hiệu {facts.serial_number}, số vào sổ {facts.register_number}. "
                        f"{level_en}, serial {facts.serial_number}."),
        "validFrom": _iso(_timestamp(facts.issued_on)),
        "awardedDate": _iso(_timestamp(facts.issued_on)),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {"type": "IdentityObject", "identityType": "name", "hashed": False,
                 "identityHash": facts.holder_name},
                {"type": "IdentityObject", "identityType": "ext:dateOfBirth", "hashed": True,
                 "identityHash": hashed_birth_date(facts.date_of_birth, salt), "salt": salt},
            ],
            "achievement": {
                "id": f"{base}/credentials/achievements/{facts.level}/{facts.occupation_code}",
                "type": ["Achievement"],
                "achievementType": "Diploma",
                "name": f"{level_vi} — {facts.occupation_name}",
                "description": f"{level_en}: {facts.occupation_name} ({facts.occupation_code})",
                "criteria": {"narrative": "Công nhận tốt nghiệp theo quy chế đào tạo "
                                          "trình độ trung cấp, cao đẳng."},
                "fieldOfStudy": facts.occupation_name,
                "humanCode": facts.occupation_code,
                "inLanguage": "vi",
                "resultDescription": [{
                    "id": f"{base}/credentials/results/classification",
                    "type": ["ResultDescription"],
                    "name": "Xếp loại tốt nghiệp",
                    "resultType": "LetterGrade",
                    "allowedValue": list(CLASSIFICATION_NAMES.values()),
                }],
            },
            "result": [{"type": ["Result"],
                        "resultDescription": f"{base}/credentials/results/classification",
                        "value": classification}],
        },
        "credentialStatus": {
            "id": f"{status_list_url()}#{facts.status_index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(facts.status_index),
            "statusListCredential": status_list_url(),
        },
        "evidence": [{"type": ["Evidence"], "id": facts.verify_url,
                      "name": "Tra cứu văn bằng / Diploma verification"}],
        "graduationYear": facts.graduation_year,
        "serialNumber": facts.serial_number,
        "registerNumber": facts.register_number,
    }


def _sign(payload: dict) -> str:
    token = jws.JWS(json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode())
    token.add_signature(signing_key(), alg="EdDSA",
                        protected={"alg": "EdDSA", "typ": "JWT", "kid": key_id()})
    return token.serialize(compact=True)


def _jwt_claims(document: dict, *, not_before: datetime.datetime) -> dict:
    issuer = document["issuer"]
    return {**document, "iss": issuer["id"] if isinstance(issuer, dict) else issuer,
            "jti": document["id"], "nbf": int(not_before.timestamp())}


def issue_credential(facts: CredentialFacts) -> str:
    """The diploma's credential as a compact VC-JWT, to be stored with the diploma at issue."""
    document = credential_document(facts, salt=secrets.token_hex(8))
    return _sign(_jwt_claims(document, not_before=_timestamp(facts.issued_on)))


def enveloped(token: str) -> dict:
    """VC Data Model 2.0 §4.13 envelope: the JSON the holder downloads and can hand on."""
    return {"@context": [VC_CONTEXT], "id": f"data:application/vc+jwt,{token}",
            "type": "EnvelopedVerifiableCredential"}


# --- the status list ------------------------------------------------------------------------
def encode_status_list(indexes: Iterable[int], *, size: int = STATUS_LIST_BITS) -> str:
    """Multibase base64url (no padding) of the GZIP-compressed bitstring; index 0 is the
    most significant bit of the first byte."""
    indexes = list(indexes)
    bits = max(size, -(-(max(indexes, default=0) + 1) // size) * size)
    raw = bytearray(bits // 8)
    for index in indexes:
        if index < 0:
            raise ValueError(f"status index {index} is negative")
        raw[index // 8] |= 0x80 >> (index % 8)
    compressed = gzip.compress(bytes(raw), mtime=0)
    return "u" + base64.urlsafe_b64encode(compressed).decode().rstrip("=")


def decode_status_list(encoded: str) -> bytes:
    if not encoded.startswith("u"):
        raise ValueError("the status list is not multibase base64url")
    data = encoded[1:]
    return gzip.decompress(base64.urlsafe_b64decode(data + "=" * (-len(data) % 4)))


def bit_is_set(raw: bytes, index: int) -> bool:
    if index // 8 >= len(raw):
        raise ValueError(f"status index {index} is outside the list")
    return bool(raw[index // 8] & (0x80 >> (index % 8)))


def status_list_credential(invalid_indexes: Iterable[int], *,
                           now: datetime.datetime | None = None) -> str:
    """The public revocation list (revoked and replaced diplomas) as a signed VC-JWT."""
    now = now or datetime.datetime.now(datetime.UTC)
    document = {
        "@context": [VC_CONTEXT],
        "id": status_list_url(),
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_did(),
        "validFrom": _iso(now),
        "credentialSubject": {
            "id": f"{status_list_url()}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encode_status_list(invalid_indexes),
        },
    }
    return _sign(_jwt_claims(document, not_before=now))


# --- verifying ------------------------------------------------------------------------------
VALID = "valid"
TAMPERED = "tampered"
UNKNOWN_KEY = "unknown_key"
REVOKED = "revoked"
MALFORMED = "malformed"
NOT_YET_VALID = "not_yet_valid"


@dataclass(frozen=True)
class Verdict:
    outcome: str
    message: str
    credential: dict | None = None
    status_checked: bool = False

    @property
    def ok(self) -> bool:
        return self.outcome == VALID


def token_from_file_text(text: str) -> str:
    """A compact JWT, or the enveloped JSON the holder downloaded, or {"credential": jwt}."""
    text = text.strip()
    if not text.startswith("{"):
        return text
    data = json.loads(text)
    envelope_id = data.get("id", "")
    if data.get("type") == "EnvelopedVerifiableCredential" and "," in envelope_id:
        return envelope_id.split(",", 1)[1]
    if isinstance(data.get("credential"), str):
        return data["credential"]
    raise ValueError("no VC-JWT found in this JSON")


def keys_from_document(document: dict) -> jwk.JWKSet:
    """A JWKS, a DID document or one public JWK → the set of keys to try."""
    keys = jwk.JWKSet()
    if "keys" in document:
        entries = document["keys"]
    elif "verificationMethod" in document:
        entries = [{**method["publicKeyJwk"], "kid": method["id"]}
                   for method in document["verificationMethod"] if "publicKeyJwk" in method]
    else:
        entries = [document]
    for entry in entries:
        keys.add(jwk.JWK(**entry))
    return keys


def college_public_keys() -> jwk.JWKSet:
    return keys_from_document(public_jwks())


def _verified_payload(token: str, keys: jwk.JWKSet) -> tuple[str, dict | str]:
    try:
        parsed = jws.JWS()
        parsed.deserialize(token)
        header = parsed.jose_header
    except (JWException, ValueError, TypeError) as exc:
        return MALFORMED, f"not a compact JWS ({exc})"
    if header.get("alg") != "EdDSA":
        return MALFORMED, f"unexpected algorithm {header.get('alg')!r}"
    kid = header.get("kid")
    candidates = [key for key in keys if key.get("kid") in (kid, None)] or list(keys)
    for key in candidates:
        try:
            parsed.verify(key, alg="EdDSA")
        except JWException:
            continue
        try:
            return VALID, json_decode(parsed.payload)
        except ValueError as exc:
            return MALFORMED, f"the signed payload is not JSON ({exc})"
    if kid and not any(key.get("kid") == kid for key in keys):
        return UNKNOWN_KEY, f"signed with key {kid}, which is not the college's key"
    return TAMPERED, "the signature does not match: the credential was changed after signing"


def verify(token: str, *, keys: jwk.JWKSet | None = None, status_list_token: str | None = None,
           now: datetime.datetime | None = None) -> Verdict:
    """Check signature, shape, validity date and — if a status list is given — revocation."""
    keys = keys if keys is not None else college_public_keys()
    outcome, payload = _verified_payload(token, keys)
    if outcome != VALID:
        return Verdict(outcome, payload)
    if "OpenBadgeCredential" not in payload.get("type", []) or "credentialSubject" not in payload:
        return Verdict(MALFORMED, "the signed payload is not an OpenBadgeCredential", payload)
    now = now or datetime.datetime.now(datetime.UTC)
    if int(payload.get("nbf", 0)) > now.timestamp():
        return Verdict(NOT_YET_VALID, "the credential is not valid yet", payload)
    if status_list_token is None:
        return Verdict(VALID, "signature valid; revocation not checked (no status list given)",
                       payload)
    return _with_status(payload, status_list_token, keys)


def _with_status(payload: dict, status_list_token: str, keys: jwk.JWKSet) -> Verdict:
    outcome, status = _verified_payload(status_list_token, keys)
    if outcome != VALID:
        return Verdict(outcome, f"status list: {status}", payload)
    entry = payload.get("credentialStatus") or {}
    if status.get("id") != entry.get("statusListCredential"):
        return Verdict(MALFORMED, "the status list is not the one this credential points to",
                       payload)
    try:
        raw = decode_status_list(status["credentialSubject"]["encodedList"])
        revoked = bit_is_set(raw, int(entry["statusListIndex"]))
    except (KeyError, ValueError, OSError) as exc:
        return Verdict(MALFORMED, f"status list unreadable ({exc})", payload)
    if revoked:
        return Verdict(REVOKED, "the college has revoked this diploma or replaced it with a "
                                "corrected one; the verification page says which", payload,
                       status_checked=True)
    return Verdict(VALID, "signature valid and not revoked", payload, status_checked=True)
