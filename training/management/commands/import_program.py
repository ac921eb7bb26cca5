from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from training.services import program_import
from vetschool.imports import UnreadableFile, command_check_report
from vetschool.reference.models import Level, Occupation


class Command(BaseCommand):
    help = ("Import a program version's modules from XLSX/CSV (one row per module; see "
            "docs/training.md). A file with any bad row imports nothing.")

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--occupation", required=True,
                            help="National occupation code, e.g. 6480201.")
        parser.add_argument("--level", choices=Level.values,
                            help="Checked against the occupation's level.")
        parser.add_argument("--year", type=int, required=True,
                            help="The year the version takes effect.")
        parser.add_argument("--dry-run", action="store_true", help="Check the file only.")

    def handle(self, *args, file: Path, occupation: str, level, year: int, dry_run: bool,
               **options):
        found = Occupation.objects.filter(code=occupation).first()
        if found is None:
            raise CommandError(f"No occupation {occupation} in the catalogue "
                               "(load it with import_occupations).")
        try:
            outcome = program_import(occupation=found, effective_year=year,
                                     content=file.read_bytes(), filename=file.name,
                                     dry_run=dry_run, level=level)
        except (OSError, UnreadableFile) as exc:
            raise CommandError(str(exc)) from exc
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        report = outcome.report
        command_check_report(self, report)
        verb = "would import" if dry_run else "imported"
        self.stdout.write(f"{verb}: {report.new} new, {report.updated} updated module(s)"
                          + (f", removed {', '.join(outcome.removed)}" if outcome.removed else "")
                          + f" into {found.code} version {year}.")
