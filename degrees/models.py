"""Degrees: graduation review, graduation decisions, the diploma register (sổ gốc), certified
copies, online copy requests and background print jobs (REGULATIONS §4–§5).

Legal records are append-only: decisions and their lines never change, a diploma's facts are
frozen at issue (database triggers refuse any change to them), its status only moves from
`issued` to `replaced` or `revoked`, and nothing is deleted. pghistory keeps who did what.
"""

import uuid

import pghistory
import pgtrigger
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from degrees import graduation
from vetschool.jobs import BackgroundJob, job_file_path
from vetschool.reference.models import Level


class Classification(models.TextChoices):
    EXCELLENT = graduation.EXCELLENT, _("Excellent")
    VERY_GOOD = graduation.VERY_GOOD, _("Very good")
    GOOD = graduation.GOOD, _("Good")
    AVERAGE = graduation.AVERAGE, _("Average")


CLASSIFICATION_VI = {
    graduation.EXCELLENT: "Xuất sắc",
    graduation.VERY_GOOD: "Giỏi",
    graduation.GOOD: "Khá",
    graduation.AVERAGE: "Trung bình",
}

REASON_LABELS = {
    graduation.CREDITS_OR_MODULES: _("modules or credits not all passed"),
    graduation.GPA: _("cumulative GPA below the minimum"),
    graduation.CONDITION_MODULES: _("physical education or defence and security education "
                                    "not completed"),
    graduation.OTHER_REQUIREMENTS: _("other requirements of the program missing"),
    graduation.DISCIPLINE_OR_PROSECUTION: _("under suspension or higher, or prosecuted"),
    graduation.NO_APPLICATION: _("off the program schedule without an application"),
}


class ReviewStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DECIDED = "decided", _("Decided")


@pghistory.track()
@pgtrigger.register(
    pgtrigger.Protect(name="review_not_deleted", operation=pgtrigger.Delete),
    pgtrigger.ReadOnly(name="review_facts_fixed", fields=["homeroom_class", "review_date"]),
)
class GraduationReview(models.Model):
    """The graduation council's review of one class (REGULATIONS §4.1): a proposal only;
    nothing is decided until a GraduationDecision is recorded."""

    homeroom_class = models.ForeignKey("training.HomeroomClass", on_delete=models.PROTECT,
                                       related_name="+", verbose_name=_("class"))
    review_date = models.DateField(_("review date"))
    status = models.CharField(_("status"), max_length=10, choices=ReviewStatus.choices,
                              default=ReviewStatus.OPEN)
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("run by"))
    created_at = models.DateTimeField(_("run at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("graduation review")
        verbose_name_plural = _("graduation reviews")

    def __str__(self):
        return f"{self.homeroom_class} · {self.review_date:%d/%m/%Y}"


@pghistory.track()
@pgtrigger.register(
    pgtrigger.Protect(name="review_line_not_deleted", operation=pgtrigger.Delete),
    pgtrigger.ReadOnly(
        name="review_line_proposal_fixed",
        fields=["review", "enrollment", "eligible", "reasons", "cumulative_gpa_4",
                "earned_credits", "required_credits", "retaken_modules", "restudied_credits",
                "proposed_classification", "downgraded"]),
)
class ReviewLine(models.Model):
    """One learner in a review: the computed proposal (fixed) and the final verdict, which
    only an adjustment with a recorded reason changes."""

    review = models.ForeignKey(GraduationReview, on_delete=models.PROTECT, related_name="lines",
                               verbose_name=_("review"))
    enrollment = models.ForeignKey("enrollment.Enrollment", on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("enrolment"))
    eligible = models.BooleanField(_("eligible (computed)"))
    reasons = ArrayField(models.CharField(max_length=30), default=list, blank=True,
                         verbose_name=_("reasons"))
    cumulative_gpa_4 = models.DecimalField(_("cumulative GPA (4-point)"), max_digits=3,
                                           decimal_places=2, null=True, blank=True)
    earned_credits = models.PositiveSmallIntegerField(_("credits earned"))
    required_credits = models.PositiveSmallIntegerField(_("credits required"))
    retaken_modules = models.PositiveSmallIntegerField(_("modules retaken"), default=0)
    restudied_credits = models.PositiveSmallIntegerField(_("credits re-studied"), default=0)
    proposed_classification = models.CharField(_("proposed classification"), max_length=10,
                                               choices=Classification.choices, blank=True)
    downgraded = models.BooleanField(_("lowered one level"), default=False)
    final_eligible = models.BooleanField(_("recognised"))
    final_classification = models.CharField(_("classification"), max_length=10,
                                            choices=Classification.choices, blank=True)

    class Meta:
        ordering = ["review", "enrollment__learner__full_name", "pk"]
        verbose_name = _("review line")
        verbose_name_plural = _("review lines")
        constraints = [
            models.UniqueConstraint(fields=["review", "enrollment"], name="review_line_unique"),
            models.CheckConstraint(
                condition=Q(final_eligible=False) | ~Q(final_classification=""),
                name="review_line_recognised_has_classification"),
        ]

    def __str__(self):
        return f"{self.review} · {self.enrollment}"

    @property
    def reason_labels(self) -> list[str]:
        return [str(REASON_LABELS.get(code, code)) for code in self.reasons]


@pghistory.track()
@pgtrigger.register(
    pgtrigger.Protect(name="adjustment_append_only",
                      operation=pgtrigger.Update | pgtrigger.Delete),
)
class ReviewAdjustment(models.Model):
    """A recorded change of a line's verdict (recognised or not, classification) and why."""

    line = models.ForeignKey(ReviewLine, on_delete=models.PROTECT, related_name="adjustments",
                             verbose_name=_("review line"))
    eligible = models.BooleanField(_("recognised"))
    classification = models.CharField(_("classification"), max_length=10,
                                      choices=Classification.choices, blank=True)
    reason = models.TextField(_("reason"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                           related_name="+", verbose_name=_("by"))
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("review adjustment")
        verbose_name_plural = _("review adjustments")
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="adjustment_has_reason"),
            models.CheckConstraint(condition=Q(eligible=False) | ~Q(classification=""),
                                   name="adjustment_recognised_has_classification"),
        ]

    def __str__(self):
        return f"{self.line} · {self.at:%d/%m/%Y}"


@pghistory.track()
@pgtrigger.register(
    pgtrigger.Protect(name="decision_append_only",
                      operation=pgtrigger.Update | pgtrigger.Delete),
)
class GraduationDecision(models.Model):
    """The principal's graduation decision (quyết định công nhận tốt nghiệp)."""

    review = models.OneToOneField(GraduationReview, on_delete=models.PROTECT,
                                  related_name="decision", verbose_name=_("review"))
    number = models.CharField(_("decision number"), max_length=50, unique=True)
    date = models.DateField(_("decision date"))
    signer_name = models.CharField(_("signed by"), max_length=150)
    signer_title = models.CharField(_("signer's title"), max_length=150)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("graduation decision")
        verbose_name_plural = _("graduation decisions")
        constraints = [
            models.CheckConstraint(condition=~Q(number="") & ~Q(signer_name=""),
                                   name="decision_has_number_and_signer"),
        ]

    def __str__(self):
        return f"{self.number} ({self.date:%d/%m/%Y})"


@pghistory.track()
@pgtrigger.register(
    pgtrigger.Protect(name="decision_line_append_only",
                      operation=pgtrigger.Update | pgtrigger.Delete),
)
class DecisionLine(models.Model):
    """One learner recognised as graduated by a decision. An enrolment graduates once."""

    decision = models.ForeignKey(GraduationDecision, on_delete=models.PROTECT,
                                 related_name="lines", verbose_name=_("decision"))
    enrollment = models.OneToOneField("enrollment.Enrollment", on_delete=models.PROTECT,
                                      related_name="graduation", verbose_name=_("enrolment"))
    review_line = models.OneToOneField(ReviewLine, on_delete=models.PROTECT, related_name="+",
                                       verbose_name=_("review line"))
    classification = models.CharField(_("classification"), max_length=10,
                                      choices=Classification.choices)
    cumulative_gpa_4 = models.DecimalField(_("cumulative GPA (4-point)"), max_digits=3,
                                           decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["decision", "pk"]
        verbose_name = _("learner recognised")
        verbose_name_plural = _("learners recognised")

    def __str__(self):
        return f"{self.decision.number} · {self.enrollment}"


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


def _new_token() -> uuid.UUID:
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

    token = models.UUIDField(_("verification token"), default=_new_token, unique=True,
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


@pghistory.track()
@pgtrigger.register(
    pgtrigger.Protect(name="certified_copy_append_only",
                      operation=pgtrigger.Update | pgtrigger.Delete),
)
class CertifiedCopy(models.Model):
    """A certified copy from the original register (bản sao từ sổ gốc, REGULATIONS §5.3):
    what a holder of a lost or damaged diploma gets; any number of times, each recorded."""

    diploma = models.ForeignKey(Diploma, on_delete=models.PROTECT, related_name="copies",
                                verbose_name=_("diploma"))
    number = models.PositiveSmallIntegerField(_("copy number"))
    issued_on = models.DateField(_("issued on"))
    requester_name = models.CharField(_("requested by"), max_length=150)
    note = models.CharField(_("note"), max_length=300, blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+", verbose_name=_("issued by"))
    issued_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["diploma", "number"]
        verbose_name = _("certified copy")
        verbose_name_plural = _("certified copies")
        constraints = [
            models.UniqueConstraint(fields=["diploma", "number"], name="certified_copy_unique"),
            models.CheckConstraint(condition=~Q(requester_name=""),
                                   name="certified_copy_has_requester"),
        ]

    def __str__(self):
        return f"{self.diploma.serial_number} · {self.number}"


class RequestKind(models.TextChoices):
    CERTIFIED_COPY = "certified_copy", _("Certified copy of the diploma from the register")
    TRANSCRIPT_COPY = "transcript_copy", _("Copy of the transcript")


class RequestStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    READY = "ready", _("Ready")
    DELIVERED = "delivered", _("Delivered")


@pghistory.track()
class CopyRequest(models.Model):
    """An online request of a graduate for a certified copy or a transcript copy."""

    tracking_code = models.UUIDField(_("tracking code"), default=_new_token, unique=True,
                                     editable=False)
    kind = models.CharField(_("what is requested"), max_length=20, choices=RequestKind.choices)
    diploma = models.ForeignKey(Diploma, on_delete=models.PROTECT, related_name="requests",
                                verbose_name=_("diploma"))
    full_name = models.CharField(_("full name"), max_length=100)
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    copies = models.PositiveSmallIntegerField(_("number of copies"), default=1)
    note = models.CharField(_("note"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=RequestStatus.choices,
                              default=RequestStatus.RECEIVED)
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)
    ready_at = models.DateTimeField(_("ready at"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("handled by"))

    class Meta:
        ordering = ["status", "received_at"]
        verbose_name = _("copy request")
        verbose_name_plural = _("copy requests")
        constraints = [
            models.CheckConstraint(condition=Q(copies__gte=1, copies__lte=10),
                                   name="copy_request_copies_range"),
            models.CheckConstraint(
                condition=Q(status="received") | Q(ready_at__isnull=False),
                name="copy_request_ready_has_date"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.full_name}"


def print_job_upload_to(instance, filename: str) -> str:
    """Named by migration 0001; the path is now `DiplomaPrintJob.file_folder`'s."""
    return job_file_path(instance, filename)


class DiplomaPrintJob(BackgroundJob):
    """A decision's valid diplomas rendered into one PDF in the background (Celery)."""

    file_folder = "diplomas"

    decision = models.ForeignKey(GraduationDecision, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("decision"))

    class Meta(BackgroundJob.Meta):
        verbose_name = _("diploma print job")
        verbose_name_plural = _("diploma print jobs")
        constraints = [
            models.CheckConstraint(condition=Q(done__lte=models.F("total")),
                                   name="diploma_print_progress"),
        ]

    def __str__(self):
        return f"{self.decision} · {self.created_at:%d/%m/%Y %H:%M}"
