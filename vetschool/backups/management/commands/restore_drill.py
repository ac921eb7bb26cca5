from django.core.management.base import BaseCommand, CommandError

from vetschool.backups.drill import restore_drill


class Command(BaseCommand):
    help = ("Restore the newest backup into a scratch database, check its manifest, its "
            "migrations and its legal records' counts and checksums, then drop it.")

    def handle(self, *args, **options):
        report = restore_drill()
        for line in report.lines():
            self.stdout.write(line)
        if not report.passed:
            raise CommandError("restore drill FAILED")
