"""The sync's use cases: pushes (nightly, sync now, drain, command), retries, reconciliation."""

import datetime
import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.core.mail import mail_admins
from django.db import IntegrityError, connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from vetschool.sync import outbox, registry, selectors, sender, tasks
from vetschool.sync.client import AuthError, NationalClient, NationalError
from vetschool.sync.config import current_config
from vetschool.sync.models import Batch, Configuration, Entry, Reconciliation, Run

logger = logging.getLogger(__name__)

# A push stops waiting for a retry further away than this; the drain takes over.
MAX_WAIT_SECONDS = 120


# --- runs ------------------------------------------------------------------------------------
def nightly_slot(now: datetime.datetime | None = None) -> datetime.datetime:
    """The scheduled time this nightly push belongs to (the latest one, with 5 min slack
    for a worker whose clock is a little behind the beat's)."""
    local = timezone.localtime(now or timezone.now()) + datetime.timedelta(minutes=5)
    slot = local.replace(hour=settings.NATIONAL_SYNC_HOUR, minute=settings.NATIONAL_SYNC_MINUTE,
                         second=0, microsecond=0)
    if slot > local:
        slot -= datetime.timedelta(days=1)
    return slot


def push_nightly(*, slot: datetime.datetime | None = None) -> Run | None:
    """The nightly push: exactly one per slot, however many beats or workers ask for it."""
    slot = slot or nightly_slot()
    now = timezone.now()
    try:
        with transaction.atomic():
            run = Run.objects.create(kind=Run.Kind.NIGHTLY, slot=slot, status=Run.Status.RUNNING,
                                     started_at=now, heartbeat_at=now)
    except IntegrityError:
        logger.info("sync: the push of slot %s already ran or runs; nothing to do", slot)
        return None
    execute(run)
    run.refresh_from_db()
    notify_admins(run)
    return run


def push_request(*, by=None, full: bool = False, types: list[str] | None = None,
                 kind: str = Run.Kind.MANUAL) -> Run:
    """"Sync now": a queued run, started by a worker (or by the drain if the message is lost)."""
    types = _checked_types(types)
    run = Run.objects.create(kind=kind, status=Run.Status.QUEUED, full=full,
                             types=",".join(types), requested_by=by)
    transaction.on_commit(lambda: tasks.push_queued.delay(run.pk))
    return run


def push_queued(*, run_id: int) -> Run | None:
    """Start a queued run, unless someone (the drain) already did."""
    now = timezone.now()
    if not Run.objects.filter(pk=run_id, status=Run.Status.QUEUED).update(
            status=Run.Status.RUNNING, started_at=now, heartbeat_at=now):
        return None
    run = Run.objects.get(pk=run_id)
    return execute(run)


def push_command(*, full: bool = False, types: list[str] | None = None) -> Run:
    """`manage.py sync_national`: a push in this process."""
    types = _checked_types(types)
    now = timezone.now()
    run = Run.objects.create(kind=Run.Kind.COMMAND, status=Run.Status.RUNNING, full=full,
                             types=",".join(types), started_at=now, heartbeat_at=now)
    return execute(run)


def drain() -> Run | None:
    """Finish what pushes left: a queued run whose message was lost, open batches due for a
    retry or left by a killed worker, pending entries. Resolves no new changes itself."""
    sender.sweep()
    if not current_config().enabled:
        return None
    now = timezone.now()
    alive = now - 2 * datetime.timedelta(seconds=settings.NATIONAL_SYNC_LEASE_SECONDS)
    if Run.objects.filter(status=Run.Status.RUNNING, heartbeat_at__gte=alive).exists():
        return None
    # A "sync now" not started within a lease: its message was lost (or waits behind a
    # busy worker, which then finds the run taken and does nothing).
    grace = datetime.timedelta(seconds=settings.NATIONAL_SYNC_LEASE_SECONDS)
    queued = (Run.objects.filter(status=Run.Status.QUEUED, created_at__lt=now - grace)
              .order_by("created_at").first())
    if queued:
        return push_queued(run_id=queued.pk)
    work = (Batch.objects.filter(state=Batch.State.OPEN, next_attempt_at__lte=now).exists()
            or Entry.objects.filter(state=Entry.State.PENDING).exists())
    if not work:
        return None
    run = Run.objects.create(kind=Run.Kind.DRAIN, status=Run.Status.RUNNING, started_at=now,
                             heartbeat_at=now)
    return execute(run, resolve=False)


def execute(run: Run, *, resolve: bool = True) -> Run:
    """Resolve changes while sender threads already send what is resolved; record how it
    went, then reconcile."""
    config = current_config()
    if not config.enabled:
        _finish(run, Run.Status.SKIPPED, "disabled", config.disabled_reason)
        return run
    types = run.type_list or None
    deadline = time.monotonic() + settings.NATIONAL_SYNC_PUSH_SECONDS
    try:
        sender.sweep()
        with NationalClient(config) as client:
            with _Senders(client, run, types, deadline) as senders:
                if resolve:
                    tally = outbox.Tally()
                    if run.full:
                        for record_type in _selected_types(types):
                            outbox.enqueue_full(record_type, tally=tally,
                                                progress=lambda: _heartbeat(run))
                    while outbox.resolve_changes(tally=tally):
                        _heartbeat(run)
                    Run.objects.filter(pk=run.pk).update(queued=tally.total)
                senders.producing.clear()
            open_batches = Batch.objects.filter(state=Batch.State.OPEN)
            if open_batches.exists():
                last = open_batches.exclude(last_error="").order_by("-next_attempt_at").first()
                _finish(run, Run.Status.INCOMPLETE, sender.RETRYING,
                        _("%(count)s batch(es) wait for a retry: %(error)s") % {
                            "count": open_batches.count(),
                            "error": last.last_error if last else _("still being sent")})
            else:
                _finish(run, Run.Status.SUCCEEDED)
            reconcile(client=client, run=run)
    except AuthError as exc:
        _finish(run, Run.Status.FAILED, exc.kind, str(exc))
    except Exception as exc:
        logger.exception("sync: push %s failed", run.pk)
        _finish(run, Run.Status.FAILED, "exception", f"{exc.__class__.__name__}: {exc}")
    run.refresh_from_db()
    return run


class _Senders:
    """NATIONAL_SYNC_SENDERS threads that claim and send batches (SKIP LOCKED keeps them
    apart) while the resolver still produces entries, then until none is due. The first
    error that must stop the push (an AuthError, say) stops them all and is re-raised."""

    def __init__(self, client, run, types, deadline):
        self.args = (client, run, types, deadline)
        self.stop = threading.Event()
        self.producing = threading.Event()
        self.language = translation.get_language()  # messages stored in the caller's language

    def __enter__(self):
        self.producing.set()
        count = max(1, settings.NATIONAL_SYNC_SENDERS)
        self.pool = ThreadPoolExecutor(max_workers=count, thread_name_prefix="sync-sender")
        self.futures = [self.pool.submit(self._loop) for _ in range(count)]
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is not None:
            self.stop.set()
        self.producing.clear()
        self.pool.shutdown(wait=True)
        if exc_type is None:
            for future in self.futures:
                future.result()
        return False

    def _loop(self) -> None:
        client, run, types, deadline = self.args
        idle = 0.05
        translation.activate(self.language)
        try:
            while not self.stop.is_set() and time.monotonic() < deadline:
                claim = sender.claim_due_batch()
                blocked = False
                if claim is None:
                    claim = sender.form_batch(run=run, types=types,
                                              full_only=self.producing.is_set())
                    if claim is sender.BLOCKED:
                        blocked, claim = True, None
                if claim is not None:
                    idle = 0.05
                    if sender.send(client, claim, run=run) == "retry":
                        _heartbeat(run)  # an answer or a refusal beat the run already
                    continue
                state = sender.open_batches()
                if blocked or state.leased or self.producing.is_set():
                    # Others are sending, or the resolver is still at work: look again soon.
                    time.sleep(idle)
                    idle = min(idle * 2, 0.5)
                    continue
                if state.next_due is None:
                    return
                wait = (state.next_due - timezone.now()).total_seconds()
                if wait > MAX_WAIT_SECONDS or time.monotonic() + wait > deadline:
                    return
                time.sleep(min(max(wait, 0.02), 5))
                _heartbeat(run)
        except BaseException:
            self.stop.set()
            raise
        finally:
            connection.close()  # this thread's own connection


def _heartbeat(run: Run) -> None:
    Run.objects.filter(pk=run.pk).update(heartbeat_at=timezone.now())


def _finish(run: Run, status: str, error_kind: str = "", error: str = "") -> None:
    now = timezone.now()
    Run.objects.filter(pk=run.pk).update(status=status, finished_at=now, heartbeat_at=now,
                                         error_kind=error_kind, error=error[:4000])
    if run.started_at is None:
        Run.objects.filter(pk=run.pk, started_at__isnull=True).update(started_at=now)


def _checked_types(types) -> list[str]:
    for name in types or []:
        registry.get_type(name)  # raises ImproperlyConfigured for an unknown type
    return list(types or [])


def _selected_types(types):
    return [registry.get_type(name) for name in types] if types else registry.record_types()


def dry_run(*, full: bool = False, types: list[str] | None = None) -> outbox.Tally:
    """What a push would queue now: resolved in a transaction that is rolled back."""
    types = _checked_types(types)
    tally = outbox.Tally()
    with transaction.atomic():
        if full:
            for record_type in _selected_types(types):
                outbox.enqueue_full(record_type, tally=tally)
        while outbox.resolve_changes(tally=tally):
            pass
        transaction.set_rollback(True)
    return tally


# --- rejected records -------------------------------------------------------------------------
def entries_retry(*, entries, by=None) -> outbox.Tally:
    """"Retry after fix": rebuild rejected records from the current data, with new versions.
    The next push, or the drain within minutes, sends them."""
    tally = outbox.requeue_rejected(list(entries))
    logger.info("sync: %s re-queued %s rejected record(s)", by or "system", tally.total)
    return tally


# --- reconciliation ---------------------------------------------------------------------------
def reconcile_request() -> None:
    """"Check reconciliation now": a worker asks the ministry (up to NATIONAL_API_TIMEOUT,
    never in a request); the dashboard shows the result, or why it failed, when it lands."""
    transaction.on_commit(lambda: tasks.reconcile.delay())


def reconcile(*, client: NationalClient | None = None, run: Run | None = None) -> Reconciliation:
    """Compare the ministry's /summary with the college's own count and digest per type."""
    config = current_config()
    if not config.enabled:
        return Reconciliation.objects.create(run=run, ok=False, error=config.disabled_reason)
    own_client = client is None
    client = client or NationalClient(config)
    try:
        summary = client.summary()
    except NationalError as exc:
        return Reconciliation.objects.create(run=run, ok=False, error=str(exc))
    finally:
        if own_client:
            client.close()
    national = summary.get("types") or {}
    outstanding = selectors.outstanding_by_type()
    unresolved = selectors.unresolved_change_count()
    names = [t.name for t in registry.record_types()]
    names += [name for name, value in national.items()
              if name not in names and (value or {}).get("count")]
    types = {}
    for name in names:
        ours = selectors.local_summary(name)
        theirs = national.get(name) or {"count": 0, "digest": selectors.EMPTY_DIGEST}
        theirs = {"count": theirs.get("count"), "digest": theirs.get("digest")}
        waiting = outstanding.get(name, 0)
        if ours == theirs:
            status = "ok"
        elif waiting or unresolved:
            status = "behind"
        else:
            status = "diverged"
        types[name] = {"ours": ours, "national": theirs, "status": status,
                       "outstanding": waiting,
                       "repair": f"python manage.py sync_national --full --type {name}"}
    return Reconciliation.objects.create(
        run=run, ok=all(t["status"] == "ok" for t in types.values()), types=types)


# --- notifications ----------------------------------------------------------------------------
def notify_admins(run: Run) -> bool:
    """E-mail ADMINS when a nightly push failed or records were rejected."""
    problems = []
    if run.status in (Run.Status.FAILED, Run.Status.INCOMPLETE):
        problems.append(_("The nightly push %(status)s: %(error)s")
                        % {"status": run.get_status_display(), "error": run.error})
    if run.rejected:
        problems.append(_("The national database rejected %(count)s record(s); they wait, "
                          "with its reasons, on the sync dashboard.") % {"count": run.rejected})
    if not problems:
        return False
    subject = (_("National sync: nightly push failed") if run.status != Run.Status.SUCCEEDED
               else _("National sync: %(count)s record(s) rejected") % {"count": run.rejected})
    body = "\n\n".join(problems + [
        _("Slot: %(slot)s. Sent: %(accepted)s accepted, %(stale)s stale, %(rejected)s "
          "rejected.") % {"slot": run.slot, "accepted": run.accepted, "stale": run.stale,
                          "rejected": run.rejected},
        _("Dashboard: /admin/sync/dashboard/"),
    ])
    mail_admins(subject, body)
    return True


# --- configuration ----------------------------------------------------------------------------
def configuration_update(*, url: str, institution_code: str, secret: str) -> Configuration:
    with transaction.atomic():
        configuration, _created = Configuration.objects.update_or_create(
            pk=1, defaults={"url": url, "institution_code": institution_code, "secret": secret})
    return configuration
