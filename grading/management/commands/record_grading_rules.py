from django.core.management.base import BaseCommand

from grading.services.rulesets import rule_set_record


class Command(BaseCommand):
    help = ("Record the effective grading rules (GRADING_RULES) if they changed since the "
            "last record: who, when, each old and new value. `migrate` does this too.")

    def add_arguments(self, parser):
        parser.add_argument("--by", help="Who changed the rules (default: "
                                         "GRADING_RULES_CHANGED_BY, else the OS user).")

    def handle(self, *args, by=None, **options):
        change = rule_set_record(by=by)
        if change is None:
            self.stdout.write("The grading rules in force are already recorded.")
            return
        names = ", ".join(change.changes) or "first record"
        self.stdout.write(f"Recorded the grading rules in force ({names}).")
