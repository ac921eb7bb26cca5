from pathlib import Path

import pghistory
from django.core.management.base import BaseCommand, CommandError

from staff.services import staff_import
from vetschool.imports import UnreadableFile, command_check_report


class Command(BaseCommand):
    help = ("Import staff records from an XLSX or CSV file (layout: docs/staff.md). A file "
            "with any bad row imports nothing; every problem is listed with its row and column.")

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Check the file only.")

    def handle(self, *args, file: Path, dry_run: bool, **options):
        try:
            content = file.read_bytes()
            with pghistory.context(command="import_staff", file=file.name):
                report = staff_import(content=content, filename=file.name, dry_run=dry_run,
                                      by=None)
        except (OSError, UnreadableFile) as exc:
            raise CommandError(str(exc)) from exc
        command_check_report(self, report)
        verb = "would import" if dry_run else "imported"
        self.stdout.write(f"{verb}: {report.new} new, {report.updated} updated, "
                          f"{report.unchanged} unchanged.")
