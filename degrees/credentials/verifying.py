"""Verifying a credential: signature, key, validity dates and revocation.

Three answers a verifier can act on: VALID (signature good and the status list says not
revoked), an invalid one (REVOKED, TAMPERED, UNKNOWN_KEY, MALFORMED, NOT_YET_VALID), and
REVOCATION_UNKNOWN — the signature is good but no status list was checked, so a revoked
diploma cannot be told from one in force. The signature check is offline; the status list
is given (saved by the verifier) or fetched from the URL the credential names.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass

from jwcrypto import jwk, jws
from jwcrypto.common import JWException, json_decode

from degrees.credentials.keys import public_jwks
from degrees.credentials.status_list import bit_is_set, decode_status_list

VALID = "valid"
TAMPERED = "tampered"
UNKNOWN_KEY = "unknown_key"
REVOKED = "revoked"
MALFORMED = "malformed"
NOT_YET_VALID = "not_yet_valid"
REVOCATION_UNKNOWN = "revocation_unknown"

# A status list of 131,072 bits is ~16 KB compressed: anything much larger is not one.
STATUS_LIST_MAX_BYTES = 1024 * 1024


@dataclass(frozen=True)
class Verdict:
    outcome: str
    message: str
    credential: dict | None = None
    status_checked: bool = False

    @property
    def ok(self) -> bool:
        """Signature good and not revoked: the only answer that says "in force"."""
        return self.outcome == VALID

    @property
    def signature_ok(self) -> bool:
        return self.outcome in (VALID, REVOCATION_UNKNOWN)

    @property
    def status_list_url(self) -> str | None:
        """Where the credential says its status list is (None when it names none)."""
        entry = (self.credential or {}).get("credentialStatus") or {}
        url = entry.get("statusListCredential")
        return url if isinstance(url, str) else None


class StatusListUnavailable(Exception):
    """The status list could not be fetched; the reason is the message."""


def fetch_status_list(url: str, *, timeout: float = 10.0) -> str:
    """The status list credential (a VC-JWT) at `url`, as the college publishes it. Only its
    signature makes it trusted (checked by `verify`), not where it came from. Raises
    StatusListUnavailable when it cannot be had (network, HTTP error, not a JWT, too big)."""
    import httpx

    if not url.startswith(("https://", "http://")):
        raise StatusListUnavailable(f"not a web address: {url!r}")
    try:
        with httpx.stream("GET", url, timeout=timeout, follow_redirects=True,
                          headers={"Accept": "application/vc+jwt"}) as response:
            response.raise_for_status()
            body = b""
            for chunk in response.iter_bytes():
                body += chunk
                if len(body) > STATUS_LIST_MAX_BYTES:
                    raise StatusListUnavailable(f"{url} answered more than a status list")
    except httpx.HTTPError as exc:
        raise StatusListUnavailable(f"{url}: {exc}") from exc
    try:
        text = body.decode("ascii").strip()
    except UnicodeDecodeError as exc:
        raise StatusListUnavailable(f"{url} did not answer a VC-JWT") from exc
    if text.count(".") != 2:
        raise StatusListUnavailable(f"{url} did not answer a VC-JWT")
    return text


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
    """Check signature, shape, validity date and — if a status list is given — revocation;
    without a status list a good signature is REVOCATION_UNKNOWN, never VALID."""
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
        return Verdict(REVOCATION_UNKNOWN,
                       "signature valid, but revocation NOT checked (no status list): this "
                       "diploma may have been revoked or replaced", payload)
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
