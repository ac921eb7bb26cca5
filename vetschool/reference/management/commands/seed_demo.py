from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import translation

from vetschool import demo
from vetschool.reference.models import Institution


class Command(BaseCommand):
    help = "Load the demo college (idempotent). Prints the demo logins, one per role."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true",
                            help="Only load when the database holds no college yet.")

    def handle(self, *args, if_empty: bool, **options):
        translation.activate("en")
        if if_empty and Institution.objects.exists():
            self.stdout.write("The database already holds a college; demo data not loaded.")
        else:
            with transaction.atomic():
                demo.seed_all(stdout=self.stdout)
            self.stdout.write(self.style.SUCCESS("Demo college loaded."))
        self.stdout.write("\nDemo logins (role, username, password):")
        for label, username, password in demo.logins():
            self.stdout.write(f"  {label:<32} {username:<10} {password}")
        self.stdout.write("Staff then type the code of `manage.py demo_otp_code <username>`.")
