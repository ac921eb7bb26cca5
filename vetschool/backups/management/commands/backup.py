from django.conf import settings
from django.core.management.base import BaseCommand

from vetschool.backups.create import backup_create


class Command(BaseCommand):
    help = ("Write one backup generation (database dump, uploaded files, signing key, "
            "manifest) to BACKUP_DIR and keep the BACKUP_KEEP newest.")

    def add_arguments(self, parser):
        parser.add_argument(
            "--keep", type=int, default=None,
            help=f"generations to keep (default BACKUP_KEEP={settings.BACKUP_KEEP})")

    def handle(self, *args, keep=None, **options):
        folder = backup_create(keep=keep)
        self.stdout.write(f"backup written: {folder}")
