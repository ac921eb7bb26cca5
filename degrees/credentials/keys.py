"""The college's signing key and its public identity (did:web, JWKS)."""

from __future__ import annotations

import json
import logging
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from jwcrypto import jwk
from jwcrypto.common import JWException

logger = logging.getLogger(__name__)

STATUS_LIST_PATH = "/credentials/status-list/"
KEY_FRAGMENT = "key-1"


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


def stored_key_text() -> str | None:
    """The key a backup must keep: the configured one, else the one generated into
    VAR_DIR; None when neither exists yet (a backup never generates one)."""
    text = getattr(settings, "DEGREES_SIGNING_KEY", "")
    if text:
        return text
    path = _key_path()
    return path.read_text(encoding="utf-8") if path.exists() else None


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
