"""Digital courseware authored by teachers.

The module taught is stored as a code + name text pair: modules belong to the
training app, which depends on staff (training → staff), so staff cannot point at
them. The training app can later add a link (see docs/staff.md).
"""

import uuid
from pathlib import Path

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from staff.models.people import StaffMember, tracked


class CoursewareKind(models.TextChoices):
    E_LECTURE = "e_lecture", _("E-lecture")
    VIDEO = "video", _("Video")
    SIMULATION = "simulation", _("Simulation")
    VR_AR = "vr_ar", _("Virtual or augmented reality")
    QUESTION_BANK = "question_bank", _("Question bank")


class CoursewareStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_USE = "in_use", _("In use")
    RETIRED = "retired", _("Retired")


def courseware_path(instance, filename: str) -> str:
    suffix = Path(filename).suffix.lower()[:10]
    return f"staff/courseware/{uuid.uuid4().hex}{suffix}"


@tracked()
class Courseware(models.Model):
    author = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="courseware",
                               verbose_name=_("author"))
    title = models.CharField(_("title"), max_length=300)
    module_code = models.CharField(_("module code"), max_length=30, blank=True)
    module_name = models.CharField(_("module taught"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=CoursewareKind.choices)
    link = models.URLField(_("link"), max_length=500, blank=True)
    file = models.FileField(_("file"), upload_to=courseware_path, blank=True, max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=CoursewareStatus.choices,
                              default=CoursewareStatus.DRAFT)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["author", "title"]
        verbose_name = _("digital courseware")
        verbose_name_plural = _("digital courseware")
        constraints = [
            models.CheckConstraint(
                condition=Q(status=CoursewareStatus.DRAFT) | ~Q(link="") | ~Q(file=""),
                name="courseware_in_use_has_content",
                violation_error_message=_("Courseware in use or retired needs a link or a file."),
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def module_display(self) -> str:
        return f"{self.module_code} {self.module_name}".strip()
