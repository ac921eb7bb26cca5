"""Online applications, their wishes, documents and append-only log (pgtrigger).

One application per personal ID per round is enforced by the database.
"""

import secrets

import pghistory
import pgtrigger
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from enrollment.models.learners import NATIONAL_ID_FORMAT, name_search_index
from enrollment.models.rounds import AdmissionRound
from vetschool.reference.models import EthnicGroup, Gender, Occupation, ProvincialUnit
from vetschool.reference.national_id import mask_national_id
from vetschool.spreadsheets import no_formula_start


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    WAITLISTED = "waitlisted", _("Waitlisted")
    ADMITTED = "admitted", _("Admitted")
    REJECTED = "rejected", _("Not admitted")
    ENROLLED = "enrolled", _("Enrolled")


class EducationLevel(models.TextChoices):
    LOWER_SECONDARY = "lower_secondary", _("Lower secondary school graduate (THCS)")
    UPPER_SECONDARY = "upper_secondary", _("Upper secondary school graduate (THPT)")
    UPPER_SECONDARY_UNFINISHED = (
        "upper_secondary_unfinished", _("Studied upper secondary, not graduated"),
    )
    VOCATIONAL = "vocational", _("Intermediate or college graduate")
    HIGHER = "higher", _("University graduate")


class GuardianRelation(models.TextChoices):
    FATHER = "father", _("Father")
    MOTHER = "mother", _("Mother")
    GUARDIAN = "guardian", _("Guardian")


TRACKING_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I look-alikes
TRACKING_RANDOM_LENGTH = 8


def new_tracking_code(year: int) -> str:
    return f"{year}-" + "".join(
        secrets.choice(TRACKING_ALPHABET) for _ in range(TRACKING_RANDOM_LENGTH)
    )


@pghistory.track()
class Application(models.Model):
    """An applicant's online application to a round, with up to three ranked wishes."""

    round = models.ForeignKey(
        AdmissionRound, on_delete=models.PROTECT, related_name="applications",
        verbose_name=_("admission round"),
    )
    tracking_code = models.CharField(_("tracking code"), max_length=20, unique=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ApplicationStatus.choices,
        default=ApplicationStatus.SUBMITTED, db_index=True,
    )
    # Personal data, as the applicant typed it (names NFC, spaces collapsed).
    full_name = models.CharField(_("full name"), max_length=100,
                                 validators=[no_formula_start])
    # Empty only once erased (retention): `erased_at` is then set.
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices)
    national_id = models.CharField(
        _("personal ID number"), max_length=12, blank=True, validators=[NATIONAL_ID_FORMAT]
    )
    ethnic_group = models.ForeignKey(
        EthnicGroup, on_delete=models.PROTECT, related_name="+", verbose_name=_("ethnic group")
    )
    province = models.ForeignKey(
        ProvincialUnit, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("province of permanent residence"),
    )
    address = models.CharField(_("address"), max_length=300)
    phone = models.CharField(_("phone"), max_length=20)
    email = models.EmailField(_("e-mail"), blank=True)
    # Education background.
    education_level = models.CharField(
        _("education"), max_length=30, choices=EducationLevel.choices
    )
    school_name = models.CharField(_("school"), max_length=200)
    graduation_year = models.PositiveSmallIntegerField(
        _("year of graduation"), null=True, blank=True,
        validators=[MinValueValidator(1950), MaxValueValidator(2100)],
    )
    # Decision.
    admitted_occupation = models.ForeignKey(
        Occupation, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("admitted to"),
    )
    decision_reason = models.TextField(_("reason of the decision"), blank=True)
    changes_requested = models.TextField(_("changes requested"), blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("decided by"),
    )
    # Consent (Law 91/2025/QH15): the exact text the applicant agreed to and its version,
    # and for an applicant under CONSENT_GUARDIAN_BELOW_AGE the legal representative's.
    consent_version = models.CharField(_("consent version"), max_length=20, blank=True)
    consent_text = models.TextField(_("consent text"), blank=True)
    consented_at = models.DateTimeField(_("consent given at"), null=True, blank=True)
    guardian_name = models.CharField(_("legal representative"), max_length=100, blank=True)
    guardian_relation = models.CharField(
        _("relation to the applicant"), max_length=20, blank=True,
        choices=GuardianRelation.choices,
    )
    guardian_phone = models.CharField(_("legal representative's phone"), max_length=20,
                                      blank=True)
    guardian_consented = models.BooleanField(_("legal representative consented"),
                                             default=False)
    # Set when the retention rule erased the personal data of an applicant not admitted.
    erased_at = models.DateTimeField(_("personal data erased at"), null=True, blank=True,
                                     db_index=True)
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        permissions = [("export_application", _("Can export applications"))]
        constraints = [
            # Re-submitting the same personal ID in the same round never makes a second record.
            models.UniqueConstraint(
                fields=["round", "national_id"], name="application_one_per_id_per_round",
                condition=Q(erased_at__isnull=True),
            ),
            models.CheckConstraint(
                condition=Q(national_id__regex=r"^[0-9]{12}$", date_of_birth__isnull=False)
                | Q(erased_at__isnull=False, national_id="", date_of_birth__isnull=True),
                name="application_national_id_12_digits",
            ),
            models.CheckConstraint(
                condition=(
                    Q(status__in=[ApplicationStatus.ADMITTED, ApplicationStatus.ENROLLED],
                      admitted_occupation__isnull=False)
                    | (~Q(status__in=[ApplicationStatus.ADMITTED, ApplicationStatus.ENROLLED])
                       & Q(admitted_occupation__isnull=True))
                ),
                name="application_admitted_has_occupation",
            ),
        ]
        indexes = [
            name_search_index("application_name_trgm"),
            models.Index(fields=["round", "status"], name="application_round_status"),
            models.Index(fields=["national_id"], name="application_national_id"),
        ]

    def __str__(self):
        return f"{self.tracking_code} {self.full_name}"

    @property
    def national_id_masked(self) -> str:
        return mask_national_id(self.national_id) if self.national_id else ""

    @property
    def level(self) -> str | None:
        occupation = self.admitted_occupation
        return occupation.level if occupation else None


class ApplicationWish(models.Model):
    """One ranked wish (nguyện vọng): an occupation at its level."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="wishes",
        verbose_name=_("application"),
    )
    rank = models.PositiveSmallIntegerField(
        _("rank"), validators=[MinValueValidator(1), MaxValueValidator(3)]
    )
    occupation = models.ForeignKey(
        Occupation, on_delete=models.PROTECT, related_name="+", verbose_name=_("occupation")
    )

    class Meta:
        ordering = ["application", "rank"]
        verbose_name = _("wish")
        verbose_name_plural = _("wishes")
        constraints = [
            models.UniqueConstraint(fields=["application", "rank"], name="wish_rank_unique"),
            models.UniqueConstraint(
                fields=["application", "occupation"], name="wish_occupation_unique"
            ),
            models.CheckConstraint(condition=Q(rank__gte=1, rank__lte=3), name="wish_rank_1_3"),
        ]
        indexes = [models.Index(fields=["occupation", "rank"], name="wish_occupation_rank")]

    def __str__(self):
        return f"{self.rank}. {self.occupation}"


class DocumentKind(models.TextChoices):
    ID_CARD = "id_card", _("Personal ID card (both sides)")
    CERTIFICATE = "certificate", _("Diploma, graduation certificate or school record")
    PHOTO = "photo", _("Portrait photo")
    OTHER = "other", _("Other document (priority, health ...)")


def document_upload_to(instance, filename: str) -> str:
    # Random names: a guessed URL never reaches someone else's documents.
    suffix = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}.get(
        instance.content_type, ""
    )
    return f"applications/{instance.application.round_id}/{secrets.token_hex(16)}{suffix}"


class ApplicationDocument(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="documents",
        verbose_name=_("application"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind.choices)
    file = models.FileField(_("file"), upload_to=document_upload_to, max_length=200)
    original_name = models.CharField(_("original file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=50)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["application", "uploaded_at", "id"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self):
        return f"{self.get_kind_display()} ({self.original_name})"


@pgtrigger.register(
    pgtrigger.Protect(name="application_log_append_only", operation=pgtrigger.Update),
)
class ApplicationLog(models.Model):
    """The human-readable log of an application (STYLE #21), shown to staff and applicant."""

    SUBMITTED = "enrollment.application.submitted"
    CHANGES_REQUESTED = "enrollment.application.changes_requested"
    RESUBMITTED = "enrollment.application.resubmitted"
    ADMITTED = "enrollment.application.admitted"
    WAITLISTED = "enrollment.application.waitlisted"
    REJECTED = "enrollment.application.rejected"
    ENROLLED = "enrollment.application.enrolled"
    ACTIONS = {
        SUBMITTED: _("Application submitted"),
        CHANGES_REQUESTED: _("Changes requested"),
        RESUBMITTED: _("Changes sent by the applicant"),
        ADMITTED: _("Admitted"),
        WAITLISTED: _("Put on the waiting list"),
        REJECTED: _("Not admitted"),
        ENROLLED: _("Enrolled"),
    }

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="log",
        verbose_name=_("application"),
    )
    action = models.CharField(_("action"), max_length=60)
    message = models.TextField(_("message"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("by"),
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["application", "at", "id"]
        verbose_name = _("application event")
        verbose_name_plural = _("application events")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"

    @property
    def label(self) -> str:
        return str(self.ACTIONS.get(self.action, self.action))
