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

`keys` (the college's key and identity), `issuing`, `status_list` and `verifying`; every
public name is re-exported here.
"""

from __future__ import annotations

from degrees.credentials.issuing import (
    CLASSIFICATION_NAMES,
    LEVEL_NAMES,
    OB_CONTEXT,
    VC_CONTEXT,
    VIETNAM,
    CredentialFacts,
    credential_document,
    enveloped,
    hashed_birth_date,
    issue_credential,
)
from degrees.credentials.keys import (
    KEY_FRAGMENT,
    STATUS_LIST_PATH,
    did_document,
    generate_key_text,
    issuer_did,
    key_id,
    public_jwk,
    public_jwks,
    public_url,
    signing_key,
    status_list_url,
)
from degrees.credentials.status_list import (
    STATUS_LIST_BITS,
    bit_is_set,
    decode_status_list,
    encode_status_list,
    status_list_credential,
)
from degrees.credentials.verifying import (
    MALFORMED,
    NOT_YET_VALID,
    REVOCATION_UNKNOWN,
    REVOKED,
    TAMPERED,
    UNKNOWN_KEY,
    VALID,
    StatusListUnavailable,
    Verdict,
    college_public_keys,
    fetch_status_list,
    keys_from_document,
    token_from_file_text,
    verify,
)

__all__ = [
    "CLASSIFICATION_NAMES", "CredentialFacts", "KEY_FRAGMENT", "LEVEL_NAMES", "MALFORMED",
    "NOT_YET_VALID", "OB_CONTEXT", "REVOCATION_UNKNOWN", "REVOKED", "STATUS_LIST_BITS",
    "STATUS_LIST_PATH", "StatusListUnavailable", "TAMPERED", "UNKNOWN_KEY", "VALID",
    "VC_CONTEXT", "VIETNAM", "Verdict", "bit_is_set", "college_public_keys",
    "credential_document", "decode_status_list", "did_document", "encode_status_list",
    "enveloped", "fetch_status_list", "generate_key_text", "hashed_birth_date",
    "issue_credential", "issuer_did", "key_id", "keys_from_document", "public_jwk",
    "public_jwks", "public_url", "signing_key", "status_list_credential", "status_list_url",
    "token_from_file_text", "verify",
]
