"""Personal data by the Personal Data Protection Law (91/2025/QH15) and Decree 356/2025:
a learner's requests to correct their data, and the log of the retention rule's erasures."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from enrollment.models.learners import Learner
from enrollment.models.rounds import AdmissionRound


class CorrectableField(models.TextChoices):
    """The learner's fields a correction request may name (the record's personal data)."""

    FULL_NAME = "full_name", _("Full name")
    DATE_OF_BIRTH = "date_of_birth", _("Date of birth")
    GENDER = "gender", _("Gender")
    NATIONAL_ID = "national_id", _("Personal ID number")
    ETHNIC_GROUP = "ethnic_group", _("Ethnic group")
    ADDRESS = "address", _("Address")
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("E-mail")
    OTHER = "other", _("Other")


class CorrectionStatus(models.TextChoices):
    OPEN = "open", _("Waiting for an answer")
    CORRECTED = "corrected", _("Corrected")
    REFUSED = "refused", _("Refused")


class CorrectionRequest(models.Model):
    """A learner asks the college to correct one field of their personal data. The office
    answers before `due_on` (PERSONAL_DATA_CORRECTION_DAYS after the request); a correction
    itself goes through the learner services, as any other change of the record."""

    learner = models.ForeignKey(Learner, on_delete=models.CASCADE,
                                related_name="correction_requests", verbose_name=_("learner"))
    field = models.CharField(_("field"), max_length=20, choices=CorrectableField.choices)
    proposed_value = models.CharField(_("proposed value"), max_length=300)
    note = models.TextField(_("note"), blank=True, max_length=2000)
    status = models.CharField(_("status"), max_length=10, choices=CorrectionStatus.choices,
                              default=CorrectionStatus.OPEN, db_index=True)
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    due_on = models.DateField(_("answer due on"))
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("answered by"),
    )

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("personal data correction request")
        verbose_name_plural = _("personal data correction requests")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open", answered_at__isnull=True)
                | (~Q(status="open") & Q(answered_at__isnull=False)),
                name="correction_answered_when_closed",
            ),
        ]

    def __str__(self):
        return f"{self.learner.code} · {self.get_field_display()}"


class RetentionErasure(models.Model):
    """One run of the retention rule over one round: how many applications of applicants
    not admitted were de-identified, and how many documents deleted. No personal data."""

    round = models.ForeignKey(AdmissionRound, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("admission round"))
    at = models.DateTimeField(_("at"), auto_now_add=True)
    applications = models.PositiveIntegerField(_("applications erased"))
    documents = models.PositiveIntegerField(_("documents deleted"))

    class Meta:
        ordering = ["-at"]
        verbose_name = _("personal data erasure")
        verbose_name_plural = _("personal data erasures")

    def __str__(self):
        return f"{self.round} · {self.applications} · {self.at:%Y-%m-%d %H:%M}"
