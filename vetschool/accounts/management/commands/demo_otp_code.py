from django.core.management.base import BaseCommand, CommandError

from vetschool import demo


class Command(BaseCommand):
    help = ("Print the current second-factor code of a demo staff account (seed_demo). "
            "Refuses any other account.")

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username: str, **options):
        code = demo.demo_otp_code(username)
        if code is None:
            raise CommandError(f"{username!r} is not a demo staff account with its demo "
                               "device: only those have a code this command can tell.")
        self.stdout.write(code)
