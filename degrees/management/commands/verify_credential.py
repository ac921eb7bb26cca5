"""Check a diploma credential: the signature with the college's public key (offline), then
whether the college has revoked or replaced it, from the status list given with
--status-list or else fetched from the address the credential names. Three answers, each with
its exit code (docs/degrees.md): valid, invalid or revoked, and "signature good, revocation
unknown" when no status list could be had."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from degrees import credentials

EXIT_CODES = {credentials.VALID: 0, credentials.REVOKED: 2, credentials.REVOCATION_UNKNOWN: 3}


class Command(BaseCommand):
    help = ("Verify a diploma credential (the downloaded JSON or the bare VC-JWT). Exit code 0 "
            "valid and not revoked, 2 revoked or replaced, 3 signature valid but revocation "
            "unknown (no status list could be had), 1 anything else (changed, unknown key, "
            "malformed).")

    def add_arguments(self, parser):
        parser.add_argument("file", help="the credential file (JSON or JWT)")
        parser.add_argument("--key", metavar="FILE",
                            help="the college's public key: /.well-known/jwks.json or "
                                 "/.well-known/did.json saved to a file, or one JWK "
                                 "(default: this installation's key)")
        parser.add_argument("--status-list", metavar="FILE",
                            help="the status list credential saved from "
                                 f"{credentials.STATUS_LIST_PATH} (default: fetched from the "
                                 "address the credential names)")
        parser.add_argument("--offline", action="store_true",
                            help="never fetch the status list (without --status-list the "
                                 "answer is then at best 'revocation unknown', exit 3)")
        parser.add_argument("--timeout", type=float, default=10.0,
                            help="seconds to wait for the status list (default 10)")

    def handle(self, *args, **options):
        try:
            token = credentials.token_from_file_text(self._read(options["file"]))
        except ValueError as exc:
            raise CommandError(f"{options['file']}: no credential in it ({exc})") from exc
        keys = None
        if options["key"]:
            try:
                keys = credentials.keys_from_document(json.loads(self._read(options["key"])))
            except (ValueError, KeyError, TypeError) as exc:
                raise CommandError(
                    f"{options['key']}: not a JWKS, DID document or JWK ({exc})") from exc
        status = self._read(options["status_list"]).strip() if options["status_list"] else None
        verdict = credentials.verify(token, keys=keys, status_list_token=status)
        if verdict.outcome == credentials.REVOCATION_UNKNOWN and not options["offline"]:
            verdict = self._with_fetched_status(token, keys, verdict, options["timeout"])
        self._report(verdict)
        if verdict.outcome not in EXIT_CODES or EXIT_CODES[verdict.outcome]:
            raise SystemExit(EXIT_CODES.get(verdict.outcome, 1))

    def _with_fetched_status(self, token, keys, verdict, timeout: float):
        """The verdict with the status list the credential names, or — when it cannot be
        fetched — still REVOCATION_UNKNOWN, saying why."""
        url = verdict.status_list_url
        if url is None:
            return credentials.Verdict(
                credentials.REVOCATION_UNKNOWN, "signature valid, but revocation NOT checked: "
                "the credential names no status list", verdict.credential)
        try:
            status = credentials.fetch_status_list(url, timeout=timeout)
        except credentials.StatusListUnavailable as exc:
            return credentials.Verdict(
                credentials.REVOCATION_UNKNOWN, "signature valid, but revocation NOT checked: "
                f"the status list could not be fetched ({exc}); this diploma may have been "
                "revoked or replaced", verdict.credential)
        return credentials.verify(token, keys=keys, status_list_token=status)

    def _read(self, name: str) -> str:
        try:
            return Path(name).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"{name}: cannot be read ({exc})") from exc

    def _report(self, verdict: credentials.Verdict) -> None:
        style = (self.style.SUCCESS if verdict.ok else
                 self.style.WARNING if verdict.signature_ok else self.style.ERROR)
        self.stdout.write(style(f"{verdict.outcome.upper()}: {verdict.message}"))
        document = verdict.credential
        if not document:
            return
        subject = document.get("credentialSubject", {})
        names = [i["identityHash"] for i in subject.get("identifier", [])
                 if i.get("identityType") == "name"]
        self.stdout.write(f"  holder:   {', '.join(names)}")
        self.stdout.write(f"  diploma:  {document.get('name', '')}")
        self.stdout.write(f"  serial:   {document.get('serialNumber', '')}"
                          f"   register: {document.get('registerNumber', '')}")
        issuer = document.get("issuer", {})
        issuer_name = issuer.get("name", "") if isinstance(issuer, dict) else issuer
        self.stdout.write(f"  issuer:   {issuer_name}")
