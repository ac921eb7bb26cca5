"""Admission letters as one PDF, always in Vietnamese: they are official documents."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils import timezone

from enrollment.models import Application
from vetschool.pdf import render_pdf
from vetschool.reference.models import Institution


def admission_letters_pdf(applications: Sequence[Application]) -> bytes:
    return render_pdf("enrollment/pdf/admission_letter.html", {
        "applications": applications,
        "institution": Institution.current(),
        "today": timezone.localdate(),
    }, language="vi")
