"""What a program version requires for graduation besides its modules (REGULATIONS §4.1 c),
and the certificates learners hand in as evidence: physical education and defence-security
education (required of everyone, §4.1) and each requirement of their program version.

A requirement belongs to its version and freezes with it. A certificate is a legal record:
its facts never change and it is never deleted; a certificate recorded by mistake is
revoked, once, with the reason.
"""

import functools
import operator

import pghistory
import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from training.models.programs import Program
from training.models.triggers import frozen_with_program


class RequirementKind(models.TextChoices):
    LANGUAGE = "language", _("Foreign language")
    IT = "it", _("Information technology")
    SKILLS = "skills", _("Skills")
    OTHER = "other", _("Other")


@pghistory.track()
@pgtrigger.register(
    frozen_with_program("requirement_program_not_in_use", program_of="{row}.program_id"),
)
class ProgramRequirement(models.Model):
    """An other mandatory requirement of a program version (e.g. an output standard in a
    foreign language or IT), met by a certificate of the learner."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="requirements",
                                verbose_name=_("program"))
    code = models.CharField(_("code"), max_length=20, help_text=_("E.g. NN-B1, TH-CB."))
    kind = models.CharField(_("kind"), max_length=10, choices=RequirementKind.choices)
    name_vi = models.CharField(_("requirement (Vietnamese)"), max_length=200)
    name_en = models.CharField(_("requirement (English)"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["program", "order", "code"]
        verbose_name = _("graduation requirement")
        verbose_name_plural = _("graduation requirements")
        constraints = [
            models.UniqueConstraint(fields=["program", "code"], name="requirement_code_unique"),
            models.CheckConstraint(condition=Q(kind__in=RequirementKind.values),
                                   name="requirement_kind_valid"),
            models.CheckConstraint(condition=~Q(code="") & ~Q(name_vi=""),
                                   name="requirement_has_code_and_name"),
        ]

    def __str__(self):
        return f"{self.code} {self.name_vi}"


class CertificateKind(models.TextChoices):
    PHYSICAL_EDUCATION = "physical_education", _("Physical education (Giáo dục thể chất)")
    DEFENCE_SECURITY = "defence_security", _(
        "Defence and security education (Giáo dục quốc phòng và an ninh)")
    REQUIREMENT = "requirement", _("Requirement of the program")


CERTIFICATE_FACTS = ["enrollment", "kind", "requirement", "number", "issued_on", "issuer",
                     "recorded_by", "recorded_at"]
CERTIFICATE_REVOCATION = ["revoked_on", "revocation_reason", "revoked_by"]


@pghistory.track()
@pgtrigger.register(
    pgtrigger.Protect(name="certificate_not_deleted", operation=pgtrigger.Delete),
    pgtrigger.ReadOnly(name="certificate_facts_frozen", fields=CERTIFICATE_FACTS),
    pgtrigger.Protect(
        name="certificate_revocation_final", operation=pgtrigger.Update,
        condition=pgtrigger.Q(old__revoked_on__isnull=False) & functools.reduce(
            operator.or_, [pgtrigger.Q(**{f"old__{f}__df": pgtrigger.F(f"new__{f}")})
                           for f in CERTIFICATE_REVOCATION])),
)
class LearnerCertificate(models.Model):
    """A certificate (chứng chỉ) of a learner, by number and date of issue."""

    enrollment = models.ForeignKey("enrollment.Enrollment", on_delete=models.PROTECT,
                                   related_name="certificates", verbose_name=_("enrolment"))
    kind = models.CharField(_("kind"), max_length=20, choices=CertificateKind.choices)
    requirement = models.ForeignKey(ProgramRequirement, on_delete=models.PROTECT, null=True,
                                    blank=True, related_name="certificates",
                                    verbose_name=_("requirement"))
    number = models.CharField(_("certificate number"), max_length=50)
    issued_on = models.DateField(_("date of issue"))
    issuer = models.CharField(_("issued by"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    revoked_on = models.DateField(_("revoked on"), null=True, blank=True)
    revocation_reason = models.TextField(_("reason of the revocation"), blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("revoked by"))

    class Meta:
        ordering = ["enrollment", "kind", "issued_on", "pk"]
        verbose_name = _("learner certificate")
        verbose_name_plural = _("learner certificates")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=CertificateKind.values),
                                   name="certificate_kind_valid"),
            models.CheckConstraint(condition=~Q(number=""), name="certificate_has_number"),
            # A requirement's certificate names it; the two condition certificates do not.
            models.CheckConstraint(
                condition=Q(kind=CertificateKind.REQUIREMENT, requirement__isnull=False)
                | (~Q(kind=CertificateKind.REQUIREMENT) & Q(requirement__isnull=True)),
                name="certificate_requirement_iff_kind"),
            models.CheckConstraint(
                condition=Q(revoked_on__isnull=True, revoked_by__isnull=True)
                | (Q(revoked_on__isnull=False, revoked_by__isnull=False)
                   & ~Q(revocation_reason="")),
                name="certificate_revocation_complete"),
        ]

    def __str__(self):
        label = self.requirement.code if self.requirement_id else self.get_kind_display()
        return f"{label} · {self.number}"
