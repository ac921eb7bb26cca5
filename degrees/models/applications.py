"""The learner's application for a graduation review off the program schedule (REGULATIONS
§4.1 e): submitted from the student portal, append-only."""

import pghistory
import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ApplicationTiming(models.TextChoices):
    EARLY = "early", _("Earlier than the program schedule")
    LATE = "late", _("Later than the program schedule")


@pghistory.track()
@pgtrigger.register(
    pgtrigger.Protect(name="graduation_application_append_only",
                      operation=pgtrigger.Update | pgtrigger.Delete),
)
class GraduationApplication(models.Model):
    """A learner asks to be considered for graduation earlier or later than the schedule of
    their program; every later graduation review of the enrolment reads it."""

    enrollment = models.ForeignKey("enrollment.Enrollment", on_delete=models.PROTECT,
                                   related_name="graduation_applications",
                                   verbose_name=_("enrolment"))
    timing = models.CharField(_("finishing"), max_length=5, choices=ApplicationTiming.choices)
    statement = models.TextField(_("statement"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("submitted by"))
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = _("graduation review application")
        verbose_name_plural = _("graduation review applications")
        constraints = [
            models.CheckConstraint(condition=~Q(statement=""),
                                   name="graduation_application_has_statement"),
            models.CheckConstraint(condition=Q(timing__in=ApplicationTiming.values),
                                   name="graduation_application_timing_valid"),
        ]

    def __str__(self):
        return f"{self.enrollment} · {self.submitted_at:%d/%m/%Y}"
