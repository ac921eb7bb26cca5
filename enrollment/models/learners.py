"""Learners' personal records, the personal-ID rules an application shares, and the
counter learner codes are allocated from."""

import pghistory
from django.conf import settings
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from vetschool.reference.models import EthnicGroup, Gender, ProvincialUnit
from vetschool.reference.national_id import mask_national_id
from vetschool.search import ImmutableUnaccent
from vetschool.spreadsheets import no_formula_start

NATIONAL_ID_FORMAT = RegexValidator(
    r"^[0-9]{12}$", _("The personal ID number must be exactly 12 digits (0-9).")
)
NATIONALITY_FORMAT = RegexValidator(
    r"^[A-Z]{2}$", _("Use the two-letter country code (ISO 3166-1), e.g. VN.")
)


def name_search_index(name: str) -> GinIndex:
    # Accent-insensitive search ("nguyen van an" finds "Nguyễn Văn An") uses this
    # expression; selectors filter on exactly the same one so the index applies.
    return GinIndex(
        OpClass(ImmutableUnaccent(Lower("full_name")), name="gin_trgm_ops"), name=name
    )



@pghistory.track()
class Learner(models.Model):
    """A learner's personal record; one per person, whatever the number of enrolments."""

    code = models.CharField(
        _("learner code"), max_length=20, unique=True,
        help_text=_("Ten digits given on enrolment: admission year (2), level (1), occupation "
                    "(3), sequence number (4), e.g. 2662010042; a code from the previous "
                    "system is kept on import."),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="learner", verbose_name=_("login"),
    )
    full_name = models.CharField(_("full name"), max_length=100,
                                 validators=[no_formula_start])
    date_of_birth = models.DateField(_("date of birth"))
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices)
    national_id = models.CharField(
        _("personal ID number"), max_length=12, null=True, blank=True, unique=True,
        validators=[NATIONAL_ID_FORMAT],
        help_text=_("Required for Vietnamese citizens."),
    )
    ethnic_group = models.ForeignKey(
        EthnicGroup, on_delete=models.PROTECT, related_name="+", verbose_name=_("ethnic group")
    )
    nationality = models.CharField(
        _("nationality"), max_length=2, default="VN", validators=[NATIONALITY_FORMAT]
    )
    province = models.ForeignKey(
        ProvincialUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("province of permanent residence"),
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("learner")
        verbose_name_plural = _("learners")
        permissions = [("export_learner", _("Can export learners"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(national_id__isnull=True) | Q(national_id__regex=r"^[0-9]{12}$"),
                name="learner_national_id_12_digits",
            ),
            models.CheckConstraint(
                condition=~Q(nationality="VN") | Q(national_id__isnull=False),
                name="learner_vietnamese_has_national_id",
            ),
            models.CheckConstraint(
                condition=Q(nationality__regex=r"^[A-Z]{2}$"), name="learner_nationality_iso2"
            ),
        ]
        indexes = [name_search_index("learner_name_trgm")]

    def __str__(self):
        return f"{self.code} {self.full_name}"

    @property
    def national_id_masked(self) -> str:
        return mask_national_id(self.national_id) if self.national_id else ""



class LearnerCodeCounter(models.Model):
    """The last sequence used for one learner-code prefix; locked FOR UPDATE to allocate."""

    prefix = models.CharField(_("prefix"), max_length=10, unique=True)
    last_value = models.PositiveIntegerField(_("last value"), default=0)

    class Meta:
        verbose_name = _("learner code counter")
        verbose_name_plural = _("learner code counters")

    def __str__(self):
        return f"{self.prefix}: {self.last_value}"
