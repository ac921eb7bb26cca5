from django.core.management.base import BaseCommand

from vetschool.uploads import pending_uploads_forget_expired


class Command(BaseCommand):
    help = ("Remove pending uploads no form came back for: previews older than an hour, "
            "files kept by a failed online application older than a day "
            "(vetschool/uploads.py). Run it nightly.")

    def handle(self, *args, **options):
        removed = pending_uploads_forget_expired()
        self.stdout.write(f"{removed} pending upload(s) removed.")
