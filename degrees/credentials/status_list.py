"""The public revocation list: a signed BitstringStatusList credential."""

from __future__ import annotations

import base64
import datetime
import gzip
from collections.abc import Iterable

from degrees.credentials.issuing import VC_CONTEXT, iso, jwt_claims, sign
from degrees.credentials.keys import issuer_did, status_list_url

# Bitstring Status List §2.1: at least 16 KB (131,072 entries) so one list does not reveal
# how many diplomas were issued or which ones are revoked by its size.
STATUS_LIST_BITS = 131_072


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
        "validFrom": iso(now),
        "credentialSubject": {
            "id": f"{status_list_url()}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encode_status_list(invalid_indexes),
        },
    }
    return sign(jwt_claims(document, not_before=now))
