"""The diploma register (sổ gốc, REGULATIONS §5): diplomas with their facts frozen at
issue and the gapless counters their numbers come from."""

import uuid

import pghistory
import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from degrees.models.review import CLASSIFICATION_VI, Classification, DecisionLine
from vetschool.reference.models import Level


class CounterKind(models.TextChoices):
    SERIAL = "serial", _("Serial number")
    REGISTER = "register", _("Register number")
    STATUS = "status", _("Credential status index")


class DiplomaCounter(models.Model):
    """The last number given in a sequence (REGULATIONS §5.4): serials per year, register
    numbers per year and level, credential status indexes overall (year 0). Locked
    `SELECT ... FOR UPDATE` in the issuing transaction, so numbers are gapless."""

    kind = models.CharField(_("sequence"), max_length=10, choices=CounterKind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    level = models.CharField(_("level"), max_length=20, blank=True)
    last = models.PositiveIntegerField(_("last number given"), default=0)

    class Meta:
        verbose_name = _("diploma counter")
        verbose_name_plural = _("diploma counters")
        constraints = [
            models.UniqueConstraint(fields=["kind", "year", "level"],
                                    name="diploma_counter_unique"),
        ]

    def __str__(self):
        return f"{self.kind} {self.year} {self.level}: {self.last}"


class DiplomaStatus(models.TextChoices):
    ISSUED = "issued", _("Valid")
    REPLACED = "replaced", _("Replaced")
    REVOKED = "revoked", _("Revoked")


FROZEN_FACTS = [
    "token", "decision_line", "enrollment", "replaces", "serial_number", "register_number",
    "year", "serial_sequence", "register_sequence", "status_index", "credential_id",
    "credential", "holder_name", "date_of_birth", "national_id", "gender", "occupation_code",
    "occupation_name_vi", "occupation_name_en", "level", "classification", "graduation_year",
    "decision_number", "decision_date", "issue_date", "issue_place", "signer_name",
    "signer_title", "institution_name_vi", "institution_name_en", "annex", "replacement_reason",
    "issued_by", "issued_at",
]


def new_token() -> uuid.UUID:
    return uuid.uuid4()


@pghistory.track()
@pgtrigger.register(
    pgtrigger.Protect(name="diploma_not_deleted", operation=pgtrigger.Delete),
    pgtrigger.ReadOnly(name="diploma_facts_frozen", fields=FROZEN_FACTS),
    pgtrigger.Protect(
        name="diploma_status_final", operation=pgtrigger.Update,
        condition=pgtrigger.Q(old__status__in=["replaced", "revoked"])
        & (pgtrigger.Q(old__status__df=pgtrigger.F("new__status"))
           | pgtrigger.Q(old__revocation_reason__df=pgtrigger.F("new__revocation_reason"))),
    ),
)
class Diploma(models.Model):
    """One diploma in the original register (sổ gốc cấp bằng), with its facts copied at issue.

    Later edits to the learner's name or results never reach an issued diploma: a correction
    is a replacement (new serial and register numbers, this one marked `replaced`).
    """

    token = models.UUIDField(_("verification token"), default=new_token, unique=True,
                             editable=False)
    decision_line = models.ForeignKey(DecisionLine, on_delete=models.PROTECT,
                                      related_name="diplomas", verbose_name=_("decision line"))
    enrollment = models.ForeignKey("enrollment.Enrollment", on_delete=models.PROTECT,
                                   related_name="diplomas", verbose_name=_("enrolment"))
    replaces = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="replaced_by", verbose_name=_("replaces"))
    replacement_reason = models.TextField(_("reason of the replacement"), blank=True)
    serial_number = models.CharField(_("serial number"), max_length=30, unique=True)
    register_number = models.CharField(_("register number"), max_length=30, unique=True)
    year = models.PositiveSmallIntegerField(_("year of issue"))
    serial_sequence = models.PositiveIntegerField(_("serial sequence"))
    register_sequence = models.PositiveIntegerField(_("register sequence"))
    status_index = models.PositiveIntegerField(_("credential status index"), unique=True)
    credential_id = models.CharField(_("credential id"), max_length=60, unique=True)
    credential = models.TextField(_("signed credential"), blank=True)
    # Facts as printed, copied at issue.
    holder_name = models.CharField(_("full name"), max_length=100)
    date_of_birth = models.DateField(_("date of birth"))
    national_id = models.CharField(_("personal ID number"), max_length=12, blank=True)
    gender = models.CharField(_("gender"), max_length=10, blank=True)
    occupation_code = models.CharField(_("occupation code"), max_length=10)
    occupation_name_vi = models.CharField(_("occupation"), max_length=200)
    occupation_name_en = models.CharField(_("occupation (English)"), max_length=200, blank=True)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    classification = models.CharField(_("classification"), max_length=10,
                                      choices=Classification.choices)
    graduation_year = models.PositiveSmallIntegerField(_("graduation year"))
    decision_number = models.CharField(_("decision number"), max_length=50)
    decision_date = models.DateField(_("decision date"))
    issue_date = models.DateField(_("issue date"))
    issue_place = models.CharField(_("place of issue"), max_length=100)
    signer_name = models.CharField(_("signed by"), max_length=150)
    signer_title = models.CharField(_("signer's title"), max_length=150)
    institution_name_vi = models.CharField(_("institution"), max_length=200)
    institution_name_en = models.CharField(_("institution (English)"), max_length=200,
                                           blank=True)
    annex = models.JSONField(_("transcript annex"), default=dict)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+", verbose_name=_("issued by"))
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    # The only fields that change, once, when the diploma is replaced or revoked.
    status = models.CharField(_("status"), max_length=10, choices=DiplomaStatus.choices,
                              default=DiplomaStatus.ISSUED)
    revocation_reason = models.TextField(_("reason of the revocation"), blank=True)
    revocation_decision_number = models.CharField(_("revocation decision number"),
                                                  max_length=50, blank=True)
    revocation_decision_date = models.DateField(_("revocation decision date"), null=True,
                                                blank=True)
    status_changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                          null=True, blank=True, related_name="+",
                                          verbose_name=_("status changed by"))
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True)

    class Meta:
        ordering = ["-year", "-serial_sequence"]
        verbose_name = _("diploma")
        verbose_name_plural = _("diploma register")
        permissions = [("export_diploma", _("Can export the diploma register"))]
        constraints = [
            models.UniqueConstraint(fields=["year", "serial_sequence"],
                                    name="diploma_serial_sequence_unique"),
            models.UniqueConstraint(fields=["year", "level", "register_sequence"],
                                    name="diploma_register_sequence_unique"),
            models.UniqueConstraint(fields=["decision_line"], condition=Q(status="issued"),
                                    name="diploma_one_valid_per_graduation"),
            models.CheckConstraint(condition=Q(serial_sequence__gte=1, register_sequence__gte=1),
                                   name="diploma_sequences_positive"),
            models.CheckConstraint(
                condition=~Q(status="revoked")
                | ~Q(revocation_reason="") & ~Q(revocation_decision_number="")
                & Q(revocation_decision_date__isnull=False),
                name="diploma_revocation_has_reason_and_decision"),
            models.CheckConstraint(
                condition=Q(replaces__isnull=True) | ~Q(replacement_reason=""),
                name="diploma_replacement_has_reason"),
            models.CheckConstraint(
                condition=Q(level__in=[Level.INTERMEDIATE, Level.COLLEGE]),
                name="diploma_level_valid"),
        ]
        indexes = [models.Index(fields=["status"], name="diploma_status")]

    def __str__(self):
        return f"{self.serial_number} {self.holder_name}"

    @property
    def is_valid(self) -> bool:
        return self.status == DiplomaStatus.ISSUED

    @property
    def classification_vi(self) -> str:
        return CLASSIFICATION_VI.get(self.classification, "")
