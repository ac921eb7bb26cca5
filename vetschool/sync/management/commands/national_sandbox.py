"""`manage.py national_sandbox`: the local stand-in of the national API (see sandbox.py)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from vetschool.sync import sandbox


def _rate(value: str) -> float:
    rate = float(value)
    if not 0 <= rate <= 1:
        raise ValueError("a rate is between 0 and 1")
    return rate


class Command(BaseCommand):
    help = ("Serve the national API contract locally from a SQLite file, with switches "
            "that inject faults (for demos and tests).")

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=sandbox.DEFAULT_PORT,
                            help="0 picks a free port (printed on start).")
        parser.add_argument("--db", default=str(settings.VAR_DIR / "national_sandbox.sqlite3"),
                            help="SQLite file of the sandbox (default var/national_sandbox."
                                 "sqlite3).")
        parser.add_argument("--secret", default=sandbox.DEFAULT_SECRET,
                            help="Shared secret expected in signatures (default: the demo "
                                 "college's).")
        parser.add_argument("--fail-rate", type=_rate, default=0.0,
                            help="Share of batch requests answered 503.")
        parser.add_argument("--throttle-rate", type=_rate, default=0.0,
                            help="Share of batch requests answered 429 with Retry-After: 1.")
        parser.add_argument("--latency-ms", type=int, default=0,
                            help="Delay before answering each batch.")
        parser.add_argument("--reject-rate", type=_rate, default=0.0,
                            help="Share of valid records rejected anyway (same answer for the "
                                 "same record version).")
        parser.add_argument("--drop-rate", type=_rate, default=0.0,
                            help="Share of batches stored and then left unanswered (connection "
                                 "closed), so the client must replay them.")
        parser.add_argument("--clock-offset", type=int, default=0,
                            help="Seconds added to the sandbox's clock (simulates clock skew).")
        parser.add_argument("--seed", type=int, default=None, help="Seed of the fault dice.")
        parser.add_argument("--verbose", action="store_true", help="Log every request.")

    def handle(self, *args, **options):
        faults = sandbox.Faults(
            fail_rate=options["fail_rate"], throttle_rate=options["throttle_rate"],
            latency_ms=options["latency_ms"], reject_rate=options["reject_rate"],
            drop_rate=options["drop_rate"], clock_offset=options["clock_offset"],
            seed=options["seed"])
        try:
            server = sandbox.make_server(host=options["host"], port=options["port"],
                                         db=options["db"], secret=options["secret"],
                                         faults=faults, verbose=options["verbose"])
        except OSError as exc:
            raise CommandError(
                f"cannot listen on {options['host']}:{options['port']}: {exc}") from exc
        self.stdout.write(f"National sandbox listening on {server.url} (data: {options['db']})")
        self.stdout.flush()
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()
