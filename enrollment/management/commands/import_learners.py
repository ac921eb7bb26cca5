from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from enrollment.services import learners_import


class Command(BaseCommand):
    help = (
        "Import existing learners and their enrolments from an XLSX or CSV file (layout in "
        "docs/enrollment.md). A file with any bad row imports nothing; the row-by-row report "
        "says what to fix."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="path of the .xlsx or .csv file")
        parser.add_argument("--dry-run", action="store_true",
                            help="check the file and report, import nothing")

    def handle(self, *args, file: str, dry_run: bool, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        report = learners_import(content=path.read_bytes(), filename=path.name,
                                 dry_run=dry_run, by=None)
        if report.problems:
            self.stdout.write(f"{len(report.problems)} problem(s); nothing was imported:")
            for problem in report.problems:
                column = f" [{problem.column}]" if problem.column else ""
                self.stdout.write(f"  row {problem.row}{column}: {problem.message}")
            raise CommandError("The file was not imported.")
        if dry_run:
            self.stdout.write(self.style.SUCCESS(
                f"The file is valid: {report.new} new and {report.updated} updated row(s) "
                "would be imported (dry run, nothing written)."))
        else:
            self.stdout.write(self.style.SUCCESS(
                f"Imported {report.imported} row(s): {report.new} new, "
                f"{report.updated} updated."))
