"""Batches: formed and stored before they are sent, leased while in flight, retried as is.

A batch's id and gzip body are committed before the first request, so a sender that
dies at any moment — before the request, during it, or after the ministry answered but
before the answer was recorded — leaves an open batch whose lease expires; the next
sender sends the same id and bytes, and the ministry answers with the stored result
(`Idempotent-Replay: true`): nothing lost, nothing stored twice.
"""

import datetime
import gzip
import json
import logging
import random
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from vetschool.sync import contract
from vetschool.sync.client import (
    BatchAnswer,
    BatchRefused,
    NationalClient,
    NationalError,
    TransientError,
)
from vetschool.sync.models import Batch, Entry, Run
from vetschool.sync.signals import batch_answered

logger = logging.getLogger(__name__)


@dataclass
class Claim:
    batch_id: uuid.UUID
    token: uuid.UUID
    body: bytes
    attempts: int


def _lease() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.NATIONAL_SYNC_LEASE_SECONDS)


# form_batch's answer when pending entries wait for lower-ranked batches still open.
BLOCKED = object()
# A run's error_kind while (and after) batches wait for a retry: shown with the error.
RETRYING = "retrying"


def form_batch(*, run: Run | None, types: list[str] | None = None, full_only: bool = False):
    """Take up to NATIONAL_SYNC_BATCH_SIZE pending entries of one type rank into a new,
    leased batch. Returns a Claim, None (nothing pending) or BLOCKED.

    Types go in the contract's order (learners before their enrolments...): no batch of a
    rank is formed while a batch of a lower rank is still open, so the ministry never sees
    a record before the records it refers to, even when batches are retried. With
    `full_only` (while the resolver still produces entries) only full batches are formed.
    """
    size = max(1, min(settings.NATIONAL_SYNC_BATCH_SIZE, contract.MAX_BATCH))
    with transaction.atomic():
        with connection.cursor() as cursor:
            # One sender forms a batch at a time (until this transaction ends): two forming
            # at once would each SKIP LOCKED the other's rows and split one full batch in two.
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext('vetschool.sync.form_batch'))")
        where, params = "state = 'pending'", []
        if types:
            where += " AND type = ANY(%s)"
            params.append(types)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT min(rank) FROM sync_entry WHERE {where}",  # noqa: S608
                           params)
            rank = cursor.fetchone()[0]
            if rank is None:
                return None
            cursor.execute("SELECT 1 FROM sync_batch WHERE state = 'open' AND rank < %s "
                           "LIMIT 1", [rank])
            if cursor.fetchone():
                return BLOCKED
            if full_only:
                cursor.execute(
                    f"SELECT count(*) FROM (SELECT 1 FROM sync_entry WHERE {where} "  # noqa: S608
                    "AND rank = %s LIMIT %s) AS s", [*params, rank, size])
                if cursor.fetchone()[0] < size:
                    return BLOCKED
            # The rows themselves, locked, in one round trip (ids in order).
            cursor.execute(
                "SELECT id, type, op, version, key::text, data::text FROM sync_entry "  # noqa: S608
                f"WHERE {where} AND rank = %s ORDER BY id LIMIT %s FOR UPDATE SKIP LOCKED",
                [*params, rank, size])
            rows = cursor.fetchall()
            if not rows:
                return BLOCKED  # all taken by other senders right now
            ids = [row[0] for row in rows]
        now = timezone.now()
        batch_id, token = uuid.uuid4(), uuid.uuid4()
        # Keys and data are JSON already (jsonb as text): spliced in, not decoded again.
        # Level 3: half the CPU of level 6 for a body ~15 % larger (a batch is ~10 KB).
        records = []
        for _id, record_type, op, version, key, data in rows:
            item = f'{{"type":{json.dumps(record_type)},"op":"{op}","version":{int(version)},' \
                   f'"key":{key}'
            if op == Entry.Op.UPSERT:
                item += f',"data":{data}'
            records.append(item + "}")
        body = gzip.compress(
            (f'{{"batch_id":"{batch_id}","generated_at":"{now.isoformat()}",'
             f'"records":[{",".join(records)}]}}').encode(), compresslevel=3, mtime=0)
        Batch.objects.create(id=batch_id, run=run, body=body, size=len(rows), rank=rank,
                             attempts=1, next_attempt_at=now, lease_until=now + _lease(),
                             lease_token=token)
        with connection.cursor() as cursor:
            # The data now lives in the batch's body; the entry keeps its key and version.
            cursor.execute(
                "UPDATE sync_entry SET state = 'in_flight', batch_id = %s, attempts = 1, "
                "data = NULL, updated_at = now() WHERE id = ANY(%s)", [batch_id, ids])
    return Claim(batch_id=batch_id, token=token, body=body, attempts=1)


def claim_due_batch() -> Claim | None:
    """Lease an open batch whose retry time has come (or whose sender died)."""
    token = uuid.uuid4()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE sync_batch SET lease_until = now() + %s, lease_token = %s, "
            "attempts = attempts + 1 WHERE id = ("
            "  SELECT id FROM sync_batch WHERE state = 'open' AND next_attempt_at <= now()"
            "  AND (lease_until IS NULL OR lease_until < now())"
            "  ORDER BY next_attempt_at, created_at LIMIT 1 FOR UPDATE SKIP LOCKED)"
            " RETURNING id, body, attempts", [_lease(), token])
        row = cursor.fetchone()
        if row is None:
            return None
        cursor.execute("UPDATE sync_entry SET attempts = %s, updated_at = now() "
                       "WHERE batch_id = %s AND state = 'in_flight'", [row[2], row[0]])
    return Claim(batch_id=row[0], token=token, body=bytes(row[1]), attempts=row[2])


@dataclass
class OpenBatches:
    leased: int  # being sent right now (or by a sender that died: until its lease ends)
    next_due: datetime.datetime | None  # when the earliest waiting one may be retried


def open_batches() -> OpenBatches:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FILTER (WHERE lease_until >= now()), "
            "min(next_attempt_at) FILTER (WHERE lease_until IS NULL OR lease_until < now()) "
            "FROM sync_batch WHERE state = 'open'")
        leased, next_due = cursor.fetchone()
    return OpenBatches(leased=leased, next_due=next_due)


def backoff_seconds(attempts: int, retry_after: float | None = None) -> float:
    """Exponential back-off with jitter; Retry-After, when given, is a floor."""
    base = float(settings.NATIONAL_SYNC_RETRY_BASE_SECONDS)
    cap = float(settings.NATIONAL_SYNC_RETRY_MAX_SECONDS)
    delay = min(cap, base * 2 ** max(0, attempts - 1))
    delay = delay / 2 + random.uniform(0, delay / 2)
    if retry_after is not None:
        delay = max(retry_after + random.uniform(0, min(1.0, retry_after / 10)),
                    min(delay, retry_after))
    return delay


def send(client: NationalClient, claim: Claim, *, run: Run | None) -> str:
    """Send one claimed batch; returns "answered", "retry" or "refused".

    AuthError propagates (after giving the lease back): the push must stop.
    """
    try:
        answer = client.post_batch(claim.body)
    except TransientError as exc:
        _schedule_retry(claim, exc, run=run)
        return "retry"
    except BatchRefused as exc:
        _refuse(claim, exc, run=run)
        return "refused"
    except NationalError as exc:
        _release(claim, str(exc))
        raise
    # Between the ministry's answer and our record of it: where a crash tests replay.
    batch_answered.send(sender=Batch, batch_id=claim.batch_id, replay=answer.replay)
    try:
        record_answer(claim, answer, run=run)
    except TransientError as exc:
        _schedule_retry(claim, exc, run=run)
        return "retry"
    return "answered"


def _schedule_retry(claim: Claim, exc: TransientError, *, run: Run | None = None) -> None:
    """Put the batch back for a later attempt. The run still going says so at once, with
    the error, on the dashboard (its end writes its final status and error over it)."""
    delay = backoff_seconds(claim.attempts, exc.retry_after)
    logger.warning("sync: batch %s attempt %s failed (%s); retry in %.1f s",
                   claim.batch_id, claim.attempts, exc, delay)
    with transaction.atomic():
        updated = Batch.objects.filter(pk=claim.batch_id, state=Batch.State.OPEN,
                                       lease_token=claim.token).update(
            next_attempt_at=timezone.now() + datetime.timedelta(seconds=delay),
            lease_until=None, lease_token=None, last_error=str(exc)[:2000])
        if updated:
            Entry.objects.filter(batch_id=claim.batch_id, state=Entry.State.IN_FLIGHT).update(
                last_error=str(exc)[:2000], updated_at=timezone.now())
        if updated and run is not None:
            Run.objects.filter(pk=run.pk, status=Run.Status.RUNNING).update(
                error_kind=RETRYING, error=str(exc)[:2000])


def _release(claim: Claim, error: str) -> None:
    Batch.objects.filter(pk=claim.batch_id, state=Batch.State.OPEN,
                         lease_token=claim.token).update(
        lease_until=None, lease_token=None, last_error=error[:2000])


def _refuse(claim: Claim, exc: BatchRefused, *, run: Run | None) -> None:
    """The ministry refused the whole batch: every record waits, rejected, for a person."""
    logger.error("sync: batch %s refused: %s", claim.batch_id, exc)
    with transaction.atomic():
        batch = Batch.objects.select_for_update().get(pk=claim.batch_id)
        if batch.state != Batch.State.OPEN:
            return
        count = Entry.objects.filter(batch=batch, state=Entry.State.IN_FLIGHT).update(
            state=Entry.State.REJECTED, reject_code=f"http_{exc.status}",
            reject_message=str(exc)[:2000], updated_at=timezone.now())
        batch.state = Batch.State.ANSWERED
        batch.answered_at = timezone.now()
        batch.rejected = count
        batch.lease_until = batch.lease_token = None
        batch.last_error = str(exc)[:2000]
        batch.save()
        if run is not None:
            Run.objects.filter(pk=run.pk).update(rejected=F("rejected") + count,
                                                 batches=F("batches") + 1,
                                                 heartbeat_at=timezone.now())


_REJECT_SQL = """
UPDATE sync_entry e SET state = 'rejected', reject_code = u.code, reject_message = u.message,
       updated_at = now()
FROM jsonb_to_recordset(%s::jsonb) AS u(id bigint, code text, message text)
WHERE e.id = u.id
"""
# Acknowledged entries of the batch, and the version the ministry now holds per record, in
# one statement each (set-based: no list of ids or keys goes back and forth).
_SENT_SQL = """
UPDATE sync_entry SET state = 'sent', outcome = %s, sent_at = %s, updated_at = %s,
       last_error = ''
WHERE batch_id = %s AND id = ANY(%s)
"""
_SENT_VERSION_SQL = """
UPDATE sync_record r SET sent_version = GREATEST(COALESCE(r.sent_version, 0), e.version)
FROM sync_entry e
WHERE e.batch_id = %s AND e.state = 'sent' AND e.op = 'upsert'
  AND r.type = e.type AND r.key_text = e.key_text
"""


def record_answer(claim: Claim, answer: BatchAnswer, *, run: Run | None) -> None:
    """Mark each entry by its outcome, in one transaction (idempotent: once per batch)."""
    with transaction.atomic():
        # Not the body: it is stored once, read by a retry, never written again.
        batch = Batch.objects.select_for_update().defer("body").get(pk=claim.batch_id)
        if batch.state != Batch.State.OPEN:
            return  # another sender recorded the same answer
        with connection.cursor() as cursor:
            # An answer lost in a crash of PostgreSQL is no loss: the batch stays open, is
            # re-sent as is, and the ministry replays its stored answer. So the commit does
            # not wait for the WAL flush.
            cursor.execute("SET LOCAL synchronous_commit TO off")
        with connection.cursor() as cursor:
            cursor.execute("SELECT id FROM sync_entry WHERE batch_id = %s ORDER BY id",
                           [batch.pk])
            entries = [row[0] for row in cursor.fetchall()]
        outcomes: dict[int, dict] = {}
        for result in answer.results:
            if isinstance(result, dict) and isinstance(result.get("index"), int):
                outcomes[result["index"]] = result
        if len(entries) != batch.size or set(outcomes) != set(range(len(entries))):
            raise TransientError(f"the answer to batch {batch.pk} does not have one result "
                                 f"per record ({len(outcomes)} for {len(entries)})",
                                 kind="server")
        accepted, stale, rejected = [], [], []
        for index, entry_id in enumerate(entries):
            status = outcomes[index].get("status")
            if status == "accepted":
                accepted.append(entry_id)
            elif status == "stale":
                stale.append(entry_id)
            else:
                rejected.append((entry_id, str(outcomes[index].get("code") or "unknown"),
                                 str(outcomes[index].get("message") or status)[:2000]))
        now = timezone.now()
        with connection.cursor() as cursor:
            for outcome, group in (("accepted", accepted), ("stale", stale)):
                if group:
                    cursor.execute(_SENT_SQL, [outcome, now, now, batch.pk, group])
            if accepted or stale:
                cursor.execute(_SENT_VERSION_SQL, [batch.pk])
            if rejected:
                cursor.execute(_REJECT_SQL, [json.dumps(
                    [{"id": r[0], "code": r[1], "message": r[2]} for r in rejected],
                    ensure_ascii=False)])
                # A newer state already waits for that key: this rejection is moot.
                cursor.execute(
                    "UPDATE sync_entry e SET state = 'superseded' WHERE e.id = ANY(%s) AND "
                    "EXISTS (SELECT 1 FROM sync_entry p WHERE p.state = 'pending' "
                    "AND p.type = e.type AND p.key_text = e.key_text)",
                    [[r[0] for r in rejected]])
        batch.state = Batch.State.ANSWERED
        batch.answered_at = now
        batch.replayed = answer.replay
        batch.accepted, batch.stale, batch.rejected = len(accepted), len(stale), len(rejected)
        batch.lease_until = batch.lease_token = None
        batch.last_error = ""
        batch.save(update_fields=["state", "answered_at", "replayed", "accepted", "stale",
                                  "rejected", "lease_until", "lease_token", "last_error"])
        if run is not None:
            Run.objects.filter(pk=run.pk).update(
                accepted=F("accepted") + len(accepted), stale=F("stale") + len(stale),
                rejected=F("rejected") + len(rejected), batches=F("batches") + 1,
                heartbeat_at=now)


def sweep() -> dict:
    """Give back expired leases, mark dead runs interrupted, purge what is long done."""
    now = timezone.now()
    with transaction.atomic():
        leases = Batch.objects.filter(state=Batch.State.OPEN, lease_until__lt=now).update(
            lease_until=None, lease_token=None)
        silent = now - 2 * _lease()
        interrupted = Run.objects.filter(status=Run.Status.RUNNING,
                                         heartbeat_at__lt=silent).update(
            status=Run.Status.INTERRUPTED, finished_at=F("heartbeat_at"),
            error_kind="interrupted",
            error="The push stopped without finishing (worker killed or restarted); "
                  "the next push or drain goes on from where it stopped.")
        cutoff = now - datetime.timedelta(days=settings.NATIONAL_SYNC_KEEP_DAYS)
        purged = Entry.objects.filter(state__in=[Entry.State.SENT, Entry.State.SUPERSEDED],
                                      updated_at__lt=cutoff).delete()[0]
        Batch.objects.filter(state=Batch.State.ANSWERED, answered_at__lt=cutoff).delete()
    if leases or interrupted:
        logger.warning("sync: sweeper gave back %s expired lease(s), %s interrupted run(s)",
                       leases, interrupted)
    return {"leases": leases, "interrupted": interrupted, "purged": purged}
