"""List every double booking in the timetable: a room, a teacher or a learner in two
sections at once. New writes are refused; this finds old ones (e.g. carried by an upgrade
or written before the check existed) so the training office can move them."""

from django.core.management.base import BaseCommand, CommandError

from training.models import Semester
from training.services import find_clashes


class Command(BaseCommand):
    help = ("List timetable clashes (room, teacher or learner booked twice in the same "
            "period of the same week). Exits with status 1 when there is one.")

    def add_arguments(self, parser):
        parser.add_argument("--semester", type=int, action="append",
                            help="Only this semester (id); repeatable.")

    def handle(self, *args, semester=None, **options):
        clashes = find_clashes(semester_ids=semester)
        labels = {s.pk: str(s) for s in Semester.objects.filter(
            pk__in={c.semester_id for c in clashes})}
        for clash in clashes:
            self.stdout.write(
                f"{labels[clash.semester_id]}\t{clash.kind}\t{clash.who}\t"
                f"{clash.section} ({clash.module})\t{clash.other} ({clash.other_module})\t"
                f"{clash.when}")
        if clashes:
            raise CommandError(f"{len(clashes)} timetable clash(es).", returncode=1)
        self.stdout.write("No timetable clash.")
