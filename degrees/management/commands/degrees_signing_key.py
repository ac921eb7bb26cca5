from django.core.management.base import BaseCommand

from degrees import credentials


class Command(BaseCommand):
    help = ("Print a new Ed25519 private key (JWK JSON) for DEGREES_SIGNING_KEY, or with "
            "--public the public key set of the configured one.")

    def add_arguments(self, parser):
        parser.add_argument("--public", action="store_true",
                            help="print the configured key's public JWKS instead")

    def handle(self, *args, **options):
        if options["public"]:
            import json

            self.stdout.write(json.dumps(credentials.public_jwks(), indent=2))
        else:
            self.stdout.write(credentials.generate_key_text())
