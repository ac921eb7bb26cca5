"""The sync ledger. PostgreSQL holds every promise; Celery and Redis only wake the sender.

change  --resolve-->  record + entry (pending)  --batch-->  batch (open, leased)
        --answer-->   entry sent | rejected

- `Change`: one row per changed row of a source table, written by database triggers in
  the writer's transaction (so a rollback leaves nothing), whichever path wrote it.
- `Record`: per record type and root object, the key and version last queued, so a key
  change or a deletion can send a `delete` for the old key, and /summary can be compared.
- `Entry`: the outbox. At most one pending entry per key: later changes of the record
  coalesce into it with a new, higher version (one global sequence: versions only grow).
- `Batch`: up to 1000 entries, stored with its body before it is sent; every retry sends
  the same batch_id and bytes, so the ministry answers a replay, never a duplicate.
- `Run`: one push (nightly slot, sync now, drain, command); the nightly slot is unique.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _

VERSION_SEQUENCE = "sync_version_seq"


class Configuration(models.Model):
    """The stored endpoint (filled by seed_demo or the admin). Environment variables win."""

    url = models.URLField(_("national API URL"), blank=True)
    institution_code = models.CharField(
        _("institution code"), max_length=12, blank=True,
        help_text=_("Empty: the institution's ministry code."),
    )
    secret = models.CharField(
        _("shared secret"), max_length=200, blank=True,
        help_text=_("Prefer NATIONAL_API_SECRET or NATIONAL_API_SECRET_FILE in production."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("sync configuration")
        verbose_name_plural = _("sync configuration")
        constraints = [
            models.CheckConstraint(condition=models.Q(id=1), name="sync_configuration_single_row"),
        ]

    def __str__(self):
        return str(_("National sync configuration"))

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)


class Change(models.Model):
    """A committed change of a row of a source table (written by triggers, never by Python)."""

    class Op(models.TextChoices):
        INSERT = "I", _("insert")
        UPDATE = "U", _("update")
        DELETE = "D", _("delete")

    table_name = models.CharField(max_length=63)
    row_pk = models.TextField()
    op = models.CharField(max_length=1, choices=Op.choices)
    # The row before the change (updates and deletes of tables mapped to other roots).
    old = models.JSONField(null=True)
    created_at = models.DateTimeField(db_default=Now())

    class Meta:
        verbose_name = _("captured change")
        verbose_name_plural = _("captured changes")

    def __str__(self):
        return f"{self.op} {self.table_name}#{self.row_pk}"


class Record(models.Model):
    """What was last queued for one record type and root object."""

    type = models.CharField(max_length=20)
    object_pk = models.CharField(max_length=64)
    key = models.JSONField()
    key_text = models.TextField()
    version = models.BigIntegerField()
    data_hash = models.CharField(max_length=64)
    # The highest version of this key the ministry acknowledged (accepted or stale).
    sent_version = models.BigIntegerField(null=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("synced record")
        verbose_name_plural = _("synced records")
        constraints = [
            models.UniqueConstraint(fields=["type", "object_pk"],
                                    name="sync_record_one_per_object"),
        ]
        indexes = [models.Index(fields=["type", "key_text"], name="sync_record_key")]

    def __str__(self):
        return f"{self.type} {self.key_text} v{self.version}"


class Batch(models.Model):
    class State(models.TextChoices):
        OPEN = "open", _("open")
        ANSWERED = "answered", _("answered")

    id = models.UUIDField(_("batch id"), primary_key=True, default=uuid.uuid4)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN)
    run = models.ForeignKey("Run", on_delete=models.SET_NULL, null=True, blank=True,
                            related_name="batch_set")
    created_at = models.DateTimeField(_("created at"), db_default=Now())
    body = models.BinaryField(_("gzip body as sent"))
    size = models.PositiveIntegerField(_("records"))
    rank = models.PositiveSmallIntegerField(default=0)  # the type order of its records
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), db_default=Now())
    lease_until = models.DateTimeField(_("leased until"), null=True, blank=True)
    lease_token = models.UUIDField(null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    replayed = models.BooleanField(_("answered as a replay"), default=False)
    accepted = models.PositiveIntegerField(_("accepted"), default=0)
    stale = models.PositiveIntegerField(_("stale"), default=0)
    rejected = models.PositiveIntegerField(_("rejected"), default=0)

    class Meta:
        verbose_name = _("batch")
        verbose_name_plural = _("batches")
        constraints = [
            models.CheckConstraint(condition=models.Q(state__in=["open", "answered"]),
                                   name="sync_batch_state_valid"),
        ]
        indexes = [
            models.Index(fields=["next_attempt_at"], condition=models.Q(state="open"),
                         name="sync_batch_open_due"),
        ]

    def __str__(self):
        return str(self.id)


class Entry(models.Model):
    """One record state to send: an upsert of its latest data, or a delete of a key."""

    class State(models.TextChoices):
        PENDING = "pending", _("pending")
        IN_FLIGHT = "in_flight", _("in flight")
        SENT = "sent", _("sent")
        REJECTED = "rejected", _("rejected")
        SUPERSEDED = "superseded", _("superseded by a newer version")

    class Op(models.TextChoices):
        UPSERT = "upsert", _("upsert")
        DELETE = "delete", _("delete")

    type = models.CharField(_("record type"), max_length=20)
    rank = models.PositiveSmallIntegerField()
    object_pk = models.CharField(_("object"), max_length=64, blank=True)
    key = models.JSONField(_("key"))
    key_text = models.TextField(_("key"))
    op = models.CharField(_("operation"), max_length=6, choices=Op.choices)
    version = models.BigIntegerField(_("version"))
    data = models.JSONField(null=True, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices,
                             default=State.PENDING)
    outcome = models.CharField(_("outcome"), max_length=10, blank=True)  # accepted | stale
    batch = models.ForeignKey(Batch, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="entries", verbose_name=_("batch"))
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    reject_code = models.CharField(_("ministry's code"), max_length=40, blank=True)
    reject_message = models.TextField(_("ministry's message"), blank=True)
    created_at = models.DateTimeField(_("first change at"), db_default=Now())
    updated_at = models.DateTimeField(_("updated at"), db_default=Now())
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outbox entry")
        verbose_name_plural = _("outbox entries")
        constraints = [
            # Coalescing: later changes of a record update its one pending entry.
            models.UniqueConstraint(fields=["type", "key_text"],
                                    condition=models.Q(state="pending"),
                                    name="sync_entry_one_pending_per_key"),
            models.CheckConstraint(
                condition=models.Q(state__in=["pending", "in_flight", "sent", "rejected",
                                              "superseded"]),
                name="sync_entry_state_valid"),
            models.CheckConstraint(condition=models.Q(op__in=["upsert", "delete"]),
                                   name="sync_entry_op_valid"),
            models.CheckConstraint(
                condition=~models.Q(state="in_flight") | models.Q(batch__isnull=False),
                name="sync_entry_in_flight_has_batch"),
        ]
        indexes = [
            models.Index(fields=["rank", "id"], condition=models.Q(state="pending"),
                         name="sync_entry_pending_order"),
            models.Index(fields=["type", "key_text"], condition=models.Q(state="rejected"),
                         name="sync_entry_rejected_key"),
            models.Index(fields=["state", "type"], name="sync_entry_state_type"),
        ]

    def __str__(self):
        return f"{self.type} {self.op} v{self.version}"


class Run(models.Model):
    """One push. A nightly run owns its slot: a second beat, worker or restart cannot."""

    class Kind(models.TextChoices):
        NIGHTLY = "nightly", _("nightly")
        MANUAL = "manual", _("sync now")
        DRAIN = "drain", _("drain")
        COMMAND = "command", _("command")

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        SUCCEEDED = "succeeded", _("succeeded")
        INCOMPLETE = "incomplete", _("incomplete (retrying)")
        FAILED = "failed", _("failed")
        INTERRUPTED = "interrupted", _("interrupted")
        SKIPPED = "skipped", _("skipped")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    slot = models.DateTimeField(_("scheduled slot"), null=True, blank=True, unique=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices,
                              default=Status.QUEUED)
    full = models.BooleanField(_("full"), default=False)
    types = models.CharField(_("record types"), max_length=200, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                     null=True, blank=True, related_name="+",
                                     verbose_name=_("requested by"))
    created_at = models.DateTimeField(_("created at"), db_default=Now())
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    queued = models.PositiveIntegerField(_("queued"), default=0)
    batches = models.PositiveIntegerField(_("batches"), default=0)
    accepted = models.PositiveIntegerField(_("accepted"), default=0)
    stale = models.PositiveIntegerField(_("stale"), default=0)
    rejected = models.PositiveIntegerField(_("rejected"), default=0)
    error_kind = models.CharField(_("error kind"), max_length=20, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("push")
        verbose_name_plural = _("pushes")
        ordering = ["-created_at", "-id"]
        permissions = [("push", _("Can start a push and retry rejected records"))]

    def __str__(self):
        return f"{self.get_kind_display()} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def duration(self):
        if self.started_at and self.finished_at:
            return self.finished_at - self.started_at
        return None

    @property
    def retrying(self) -> bool:
        """Still running, but a batch failed and waits for its retry (the error says why)."""
        return self.status == self.Status.RUNNING and bool(self.error)

    @property
    def type_list(self) -> list[str]:
        return [name for name in self.types.split(",") if name]


class Reconciliation(models.Model):
    """The ministry's /summary beside the college's own, per record type."""

    checked_at = models.DateTimeField(_("checked at"), db_default=Now())
    run = models.ForeignKey(Run, on_delete=models.SET_NULL, null=True, blank=True,
                            related_name="+")
    ok = models.BooleanField(_("in sync"), default=False)
    error = models.TextField(_("error"), blank=True)
    # {type: {"ours": {"count", "digest"}, "national": {...}, "status", "outstanding"}}
    types = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("reconciliation")
        verbose_name_plural = _("reconciliations")
        ordering = ["-checked_at", "-id"]

    def __str__(self):
        return f"{self.checked_at:%Y-%m-%d %H:%M} {'ok' if self.ok else 'mismatch'}"


class Dashboard(Run):
    """The sync dashboard's place in the admin index (a proxy: no table of its own)."""

    class Meta:
        proxy = True
        verbose_name = _("sync dashboard")
        verbose_name_plural = _("sync dashboard")
