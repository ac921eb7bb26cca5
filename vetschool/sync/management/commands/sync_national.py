"""`manage.py sync_national [--full] [--type T] [--dry-run] [--reconcile]`."""

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from vetschool.sync import registry, selectors, services
from vetschool.sync.config import current_config


class Command(BaseCommand):
    help = ("Push pending changes to the national database now. --full re-queues every "
            "record (first load, or after a ministry-side reset).")

    def add_arguments(self, parser):
        parser.add_argument("--full", action="store_true",
                            help="Re-queue every record (and delete what the college no "
                                 "longer has), not only the changes.")
        parser.add_argument("--type", action="append", dest="types", metavar="T",
                            help="Only this record type (repeatable).")
        parser.add_argument("--dry-run", action="store_true",
                            help="Show what would be queued; change and send nothing.")
        parser.add_argument("--reconcile", action="store_true",
                            help="Only compare the ministry's /summary with ours.")

    def handle(self, *args, full, types, dry_run, reconcile, **options):
        try:
            for name in types or []:
                registry.get_type(name)
        except ImproperlyConfigured as exc:
            known = ", ".join(t.name for t in registry.record_types()) or "none"
            raise CommandError(f"{exc} Registered types: {known}.") from exc
        config = current_config()
        if dry_run:
            return self._dry_run(config, full, types)
        if not config.enabled:
            raise CommandError(config.disabled_reason)
        if reconcile:
            return self._show_reconciliation(services.reconcile())
        self.stdout.write(f"Pushing to {config.base_url} as {config.institution} "
                          f"({config.source} configuration)...")
        run = services.push_command(full=full, types=types)
        self.stdout.write(
            f"{run.get_status_display()}: {run.queued} queued, {run.batches} batch(es), "
            f"{run.accepted} accepted, {run.stale} stale, {run.rejected} rejected "
            f"in {run.duration}.")
        if run.error:
            self.stderr.write(run.error)
        self._show_reconciliation(selectors.latest_reconciliation())
        if run.status == run.Status.FAILED:
            raise CommandError(f"push failed ({run.error_kind})")

    def _dry_run(self, config, full, types):
        if not config.enabled:
            self.stdout.write(f"Note: {config.disabled_reason}")
        tally = services.dry_run(full=full, types=types)
        state = selectors.queue_state()
        self.stdout.write("Dry run: nothing was changed or sent.")
        for line in tally.lines() or ["nothing new to queue"]:
            self.stdout.write(f"  would queue {line}")
        for name, pk, error in tally.build_errors:
            self.stdout.write(f"  cannot build {name} #{pk}: {error}")
        self.stdout.write(f"Already waiting: {state['pending']} pending, {state['in_flight']} in "
                          f"flight ({state['open_batches']} open batches), {state['rejected']} "
                          f"rejected.")

    def _show_reconciliation(self, reconciliation):
        if reconciliation is None:
            return
        if reconciliation.error:
            self.stdout.write(f"Reconciliation: not done ({reconciliation.error})")
            return
        for name, state in reconciliation.types.items():
            line = (f"  {name}: ours {state['ours']['count']}, national "
                    f"{state['national']['count']} — {state['status']}")
            if state["status"] == "diverged":
                line += f"; repair: {state['repair']}"
            elif state["status"] == "behind":
                line += f" ({state['outstanding']} waiting)"
            self.stdout.write(line)
