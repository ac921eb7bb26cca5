"""The institution profile and the national code lists."""

import pghistory
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    """Training levels of vocational education (Law on Vocational Education 2014)."""

    INTERMEDIATE = "intermediate", _("Intermediate (trung cấp)")
    COLLEGE = "college", _("College (cao đẳng)")


# The first digit of a level-IV occupation code is its level (REGULATIONS.md §7).
LEVEL_DIGIT = {Level.INTERMEDIATE: "5", Level.COLLEGE: "6"}


class Gender(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class ProvincialUnit(models.Model):
    """The 34 provincial-level units since 1 July 2025 (Resolution 202/2025/QH15), coded by
    Decision 19/2025/QĐ-TTg. Addresses, forms, filters and statistics use these; the
    district level no longer exists (Resolution 203/2025/QH15)."""

    class Kind(models.TextChoices):
        CITY = "city", _("centrally-run city")
        PROVINCE = "province", _("province")

    code = models.CharField(_("administrative code"), max_length=2, unique=True,
                            validators=[RegexValidator(r"^\d{2}$")])
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=100)
    name_ascii = models.CharField(_("name (without diacritics)"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)

    class Meta:
        ordering = ["name_vi"]
        verbose_name = _("province or city (since 1 July 2025)")
        verbose_name_plural = _("provinces and cities (since 1 July 2025)")
        constraints = [
            models.CheckConstraint(condition=models.Q(code__regex=r"^\d{2}$"),
                                   name="provincial_unit_code_2_digits"),
        ]

    def __str__(self):
        return self.name_vi


class Province(models.Model):
    """The 63 former provinces as coded in personal ID numbers (Circular 07/2016/TT-BCA
    Appendix I). An ID number is for life, so these codes stay valid for ID checks after
    the 2025 merger; `successor` converts an older record to the current unit."""

    id_code = models.CharField(_("ID code"), max_length=3, unique=True,
                               validators=[RegexValidator(r"^\d{3}$")])
    admin_code = models.CharField(_("administrative code"), max_length=2, unique=True)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=100)
    name_ascii = models.CharField(_("name (without diacritics)"), max_length=100)
    unit_type = models.CharField(_("unit type"), max_length=30, blank=True)
    successor = models.ForeignKey(
        ProvincialUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="former",
        verbose_name=_("provincial unit since 1 July 2025"))

    class Meta:
        ordering = ["id_code"]
        verbose_name = _("province")
        verbose_name_plural = _("provinces")
        constraints = [
            models.CheckConstraint(condition=models.Q(id_code__regex=r"^\d{3}$"),
                                   name="province_id_code_3_digits"),
        ]

    def __str__(self):
        return self.name_vi


class EthnicGroup(models.Model):
    """Ethnic groups by Decision 1019/QĐ-TCTK (2008) codes 01–54."""

    code = models.CharField(_("code"), max_length=2, unique=True)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=100)
    name_ascii = models.CharField(_("name (without diacritics)"), max_length=100)
    other_spellings = models.CharField(_("other spellings"), max_length=200, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("ethnic group")
        verbose_name_plural = _("ethnic groups")

    def __str__(self):
        return self.name_vi


@pghistory.track()
class Occupation(models.Model):
    """A level-IV occupation of the national catalogue, at one level."""

    code = models.CharField(
        _("code"), max_length=7, unique=True,
        validators=[RegexValidator(r"^[56]\d{6}$", _("An occupation code has 7 digits and "
                                                      "starts with 5 (intermediate) or 6 "
                                                      "(college)."))],
    )
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    is_demo = models.BooleanField(
        _("demo data"), default=False,
        help_text=_("Unverified code shipped for the demo; check against the official "
                    "catalogue before use."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    hazardous = models.BooleanField(
        _("heavy or hazardous"), default=False,
        help_text=_("A heavy, hazardous or dangerous occupation: its practice classes take "
                    "at most 10 learners instead of 18 (REGULATIONS §3.5)."),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("occupation")
        verbose_name_plural = _("occupations")
        permissions = [("import_occupation", _("Can import the occupation catalogue")),
                       ("export_occupation", _("Can export the occupation catalogue"))]
        constraints = [
            models.CheckConstraint(condition=models.Q(code__regex=r"^[56]\d{6}$"),
                                   name="occupation_code_format"),
            models.CheckConstraint(
                condition=(models.Q(level=Level.INTERMEDIATE, code__startswith="5")
                           | models.Q(level=Level.COLLEGE, code__startswith="6")),
                name="occupation_code_matches_level",
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.name_vi}"

    @property
    def display_name(self) -> str:
        """The name in the active language: the catalogue's English name on English pages
        when it has one, the Vietnamese name everywhere else."""
        if (get_language() or "vi").split("-")[0] == "en" and self.name_en:
            return self.name_en
        return self.name_vi


@pghistory.track()
class Institution(models.Model):
    """The college itself: exactly one row (id 1)."""

    name_vi = models.CharField(_("name (Vietnamese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    short_name = models.CharField(_("short name"), max_length=50, blank=True)
    ministry_code = models.CharField(
        _("ministry institution code"), max_length=20,
        help_text=_("The code the national vocational-education database knows the college by."),
    )
    level = models.CharField(_("highest level trained"), max_length=20, choices=Level.choices,
                             default=Level.COLLEGE)
    address = models.CharField(_("address"), max_length=300, blank=True)
    province = models.ForeignKey(ProvincialUnit, on_delete=models.PROTECT, null=True, blank=True,
                                 verbose_name=_("province"))
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    rector_name = models.CharField(_("rector (signs diplomas)"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("institution")
        verbose_name_plural = _("institution")
        constraints = [
            models.CheckConstraint(condition=models.Q(id=1), name="institution_single_row"),
        ]

    def __str__(self):
        return self.name_vi

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)

    @classmethod
    def current(cls) -> "Institution | None":
        return cls.objects.select_related("province").filter(pk=1).first()
