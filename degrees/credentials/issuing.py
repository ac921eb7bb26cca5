"""Issuing: the facts a diploma credential states, the OpenBadgeCredential document and
its VC-JWT.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import secrets
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from jwcrypto import jws

from degrees.credentials.keys import issuer_did, key_id, public_url, signing_key, status_list_url

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


def _timestamp(day: datetime.date) -> datetime.datetime:
    """Midnight of `day` in Vietnam: the date printed on the diploma."""
    return datetime.datetime.combine(day, datetime.time(), tzinfo=VIETNAM)


def iso(moment: datetime.datetime) -> str:
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
        "validFrom": iso(_timestamp(facts.issued_on)),
        "awardedDate": iso(_timestamp(facts.issued_on)),
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


def sign(payload: dict) -> str:
    token = jws.JWS(json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode())
    token.add_signature(signing_key(), alg="EdDSA",
                        protected={"alg": "EdDSA", "typ": "JWT", "kid": key_id()})
    return token.serialize(compact=True)


def jwt_claims(document: dict, *, not_before: datetime.datetime) -> dict:
    issuer = document["issuer"]
    return {**document, "iss": issuer["id"] if isinstance(issuer, dict) else issuer,
            "jti": document["id"], "nbf": int(not_before.timestamp())}


def issue_credential(facts: CredentialFacts) -> str:
    """The diploma's credential as a compact VC-JWT, to be stored with the diploma at issue."""
    document = credential_document(facts, salt=secrets.token_hex(8))
    return sign(jwt_claims(document, not_before=_timestamp(facts.issued_on)))


def enveloped(token: str) -> dict:
    """VC Data Model 2.0 §4.13 envelope: the JSON the holder downloads and can hand on."""
    return {"@context": [VC_CONTEXT], "id": f"data:application/vc+jwt,{token}",
            "type": "EnvelopedVerifiableCredential"}
