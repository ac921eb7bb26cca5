"""Surveys (khảo sát): module and teacher evaluations by the learners of sections, graduate
surveys at 6 and 12 months, staff surveys — see docs/quality.md, "Surveys".

An anonymous survey keeps two things apart so that nobody, a database administrator
included, can tie an answer to a person:

* the eligibility ledger (`SurveyInvitation`): who may answer and whether they have —
  a flag, never a time;
* the ballots (`Ballot`): the answers, with a random id, no key to a person or to the
  ledger, no time of their own (only the survey's close date applies), and only the
  grouping a result is shown by (section, occupation). A submitted ballot waits in
  `PendingBallot` until its group holds a full batch, then the batch is written to
  `Ballot` in shuffled order in one transaction and the pending rows are deleted; at
  close, groups under the batch size are pooled, and what would still stand in a group
  under five is destroyed (it could be told apart by counting).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Audience(models.TextChoices):
    SECTIONS = "sections", _("Learners of sections (module and teacher evaluation)")
    GRADUATES = "graduates", _("Graduates")
    EMPLOYERS = "employers", _("Employers (partner enterprises)")
    STAFF = "staff", _("Staff")


class SurveyState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class QuestionKind(models.TextChoices):
    SCALE = "scale", _("Scale 1–5")
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    TEXT = "text", _("Text")


class TracerField(models.TextChoices):
    """The tracking fact a graduate-survey question fills (non-anonymous surveys only)."""
    STATUS = "status", _("Employment status")
    EMPLOYER = "employer_name", _("Employer")
    RELATEDNESS = "relatedness", _("Job related to the occupation")
    INCOME = "income_band", _("Monthly income")
    MONTHS = "months_to_first_job", _("Months to the first job")


class Survey(models.Model):
    title = models.CharField(_("title"), max_length=200)
    audience = models.CharField(_("audience"), max_length=10, choices=Audience.choices)
    anonymous = models.BooleanField(
        _("anonymous"), default=True,
        help_text=_("Answers can never be tied to a person, even by the database "
                    "administrator. A graduate survey that fills the tracking records "
                    "cannot be anonymous."))
    checkpoint = models.PositiveSmallIntegerField(
        _("checkpoint"), null=True, blank=True, choices=[(6, _("6 months after graduation")),
                                                         (12, _("12 months after graduation"))],
        help_text=_("Graduate surveys: the months after graduation asked about."))
    graduation_year = models.PositiveSmallIntegerField(
        _("graduation year"), null=True, blank=True,
        help_text=_("Graduate surveys: only graduates of this year (all when empty)."))
    sections = models.ManyToManyField("training.Section", blank=True, related_name="+",
                                      verbose_name=_("sections"))
    state = models.CharField(_("state"), max_length=6, choices=SurveyState.choices,
                             default=SurveyState.DRAFT)
    closes_on = models.DateField(_("closes on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("created by"))

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["-closes_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(checkpoint__isnull=True) | Q(audience="graduates"),
                name="survey_checkpoint_only_graduates"),
        ]

    def __str__(self):
        return self.title


class Question(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions",
                               verbose_name=_("survey"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    kind = models.CharField(_("kind"), max_length=8, choices=QuestionKind.choices)
    text = models.CharField(_("question"), max_length=500)
    options = models.TextField(_("options"), blank=True,
                               help_text=_("Choice questions: one option per line."))
    required = models.BooleanField(_("required"), default=True)
    tracer_field = models.CharField(
        _("fills tracking fact"), max_length=20, choices=TracerField.choices, blank=True,
        help_text=_("Graduate surveys that are not anonymous: the answer is written to the "
                    "graduate's tracking record. Choice options are then the codes of that "
                    "fact."))

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["survey", "position", "pk"]

    def __str__(self):
        return self.text

    @property
    def option_list(self) -> list[str]:
        return [line.strip() for line in self.options.splitlines() if line.strip()]


class SurveyInvitation(models.Model):
    """The eligibility ledger: one row per person (and section) invited; `answered` is a
    flag with no time. A one-time link is stored as a digest only."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations",
                               verbose_name=_("survey"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True,
                             blank=True, related_name="+", verbose_name=_("account"))
    enrollment = models.ForeignKey("enrollment.Enrollment", on_delete=models.CASCADE,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("learner / graduate"))
    staff = models.ForeignKey("staff.StaffMember", on_delete=models.CASCADE, null=True,
                              blank=True, related_name="+", verbose_name=_("staff member"))
    section = models.ForeignKey("training.Section", on_delete=models.CASCADE, null=True,
                                blank=True, related_name="+", verbose_name=_("section"))
    contact = models.ForeignKey("enterprises.Contact", on_delete=models.CASCADE, null=True,
                                blank=True, related_name="+",
                                verbose_name=_("enterprise contact"))
    email = models.EmailField(_("e-mail"), blank=True)
    digest = models.CharField(max_length=64, null=True, blank=True, unique=True)
    expires_at = models.DateTimeField(_("link valid until"), null=True, blank=True)
    answered = models.BooleanField(_("answered"), default=False)
    reminded = models.PositiveSmallIntegerField(_("reminders sent"), default=0)

    class Meta:
        verbose_name = _("survey invitation")
        verbose_name_plural = _("survey invitations")
        ordering = ["survey", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "enrollment", "section"],
                                    name="survey_invite_once_per_enrollment_section",
                                    nulls_distinct=False,
                                    condition=Q(enrollment__isnull=False)),
            models.UniqueConstraint(fields=["survey", "staff"], name="survey_invite_staff_once",
                                    condition=Q(staff__isnull=False)),
            models.UniqueConstraint(fields=["survey", "contact"],
                                    name="survey_invite_contact_once",
                                    condition=Q(contact__isnull=False)),
        ]

    def __str__(self):
        return f"{self.survey_id}/{self.pk}"


class Response(models.Model):
    """The answers of a named (not anonymous) survey: one per invitation."""

    invitation = models.OneToOneField(SurveyInvitation, on_delete=models.CASCADE,
                                      related_name="response", verbose_name=_("invitation"))
    answers = models.JSONField(_("answers"), default=dict)
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("named response")
        verbose_name_plural = _("named responses")

    def __str__(self):
        return f"{self.invitation_id}"


class _BallotBase(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="+")
    section_id_value = models.IntegerField(null=True, blank=True)
    occupation_code = models.CharField(max_length=10, blank=True)
    answers = models.JSONField(default=dict)

    class Meta:
        abstract = True

    def __str__(self):
        return str(self.id)


class PendingBallot(_BallotBase):
    """A ballot waiting for its batch (deleted when the batch is written)."""

    class Meta:
        verbose_name = _("pending ballot")
        verbose_name_plural = _("pending ballots")


class Ballot(_BallotBase):
    """An anonymous ballot: no person, no ledger key, no time (see the module's doc)."""

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        ordering = ["id"]
