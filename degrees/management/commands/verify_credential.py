"""Check a diploma credential offline: signature with the college's public key, then — if a
status list is given — whether the college has revoked or replaced it."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from degrees import credentials

EXIT_CODES = {credentials.VALID: 0, credentials.REVOKED: 2}


class Command(BaseCommand):
    help = ("Verify a diploma credential (the downloaded JSON or the bare VC-JWT). Exit code 0 "
            "valid, 2 revoked or replaced, 1 anything else (changed, unknown key, malformed).")

    def add_arguments(self, parser):
        parser.add_argument("file", help="the credential file (JSON or JWT)")
        parser.add_argument("--key", metavar="FILE",
                            help="the college's public key: /.well-known/jwks.json or "
                                 "/.well-known/did.json saved to a file, or one JWK "
                                 "(default: this installation's key)")
        parser.add_argument("--status-list", metavar="FILE",
                            help="the status list credential saved from "
                                 f"{credentials.STATUS_LIST_PATH} (checks revocation)")

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
        self._report(verdict)
        if verdict.outcome not in EXIT_CODES or EXIT_CODES[verdict.outcome]:
            raise SystemExit(EXIT_CODES.get(verdict.outcome, 1))

    def _read(self, name: str) -> str:
        try:
            return Path(name).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"{name}: cannot be read ({exc})") from exc

    def _report(self, verdict: credentials.Verdict) -> None:
        style = self.style.SUCCESS if verdict.ok else self.style.ERROR
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
