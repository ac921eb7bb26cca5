from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from vetschool.imports import (
    UnreadableFile,
    command_check_report,
    import_all_or_nothing,
    read_dataset,
)
from vetschool.reference.resources import OCCUPATION_COLUMNS, OccupationResource


class Command(BaseCommand):
    help = ("Load the ministry's occupation catalogue (XLSX/CSV with columns code, name_vi, "
            "name_en, level). A file with any bad row imports nothing.")

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Check the file only.")

    def handle(self, *args, file: Path, dry_run: bool, **options):
        try:
            dataset = read_dataset(file.read_bytes(), file.name)
        except (OSError, UnreadableFile) as exc:
            raise CommandError(str(exc)) from exc
        report = import_all_or_nothing(OccupationResource(), dataset, dry_run=dry_run,
                                       required_columns=OCCUPATION_COLUMNS)
        command_check_report(self, report)
        verb = "would import" if dry_run else "imported"
        self.stdout.write(f"{verb}: {report.new} new, {report.updated} updated, "
                          f"{report.unchanged} unchanged.")
