"""Diploma, transcript annex, certified copy and register PDFs. The diploma is bilingual by
regulation (REGULATIONS §5.2), so its template holds both languages as text, not translations; it is
rendered with Vietnamese active so that dates and numbers do not follow the reader's language.

Everything printed comes from the diploma's frozen facts, never from the learner's current
record: a later edit cannot change a reprint.
"""

from __future__ import annotations

from collections.abc import Iterable

import segno
from django.utils import timezone

from degrees.models import CLASSIFICATION_VI, CertifiedCopy, Diploma
from degrees.services.register import verify_url
from vetschool.pdf import render_pdf

DIPLOMA_TEMPLATE = "degrees/pdf/diploma.html"
LEVEL_TITLES = {
    "intermediate": ("BẰNG TỐT NGHIỆP TRUNG CẤP", "INTERMEDIATE DIPLOMA"),
    "college": ("BẰNG TỐT NGHIỆP CAO ĐẲNG", "COLLEGE DIPLOMA"),
}
CLASSIFICATION_EN = {"excellent": "Excellent", "very_good": "Very good", "good": "Good",
                     "average": "Average"}
STATUS_VI = {"issued": "Còn hiệu lực", "replaced": "Đã thay thế", "revoked": "Đã thu hồi"}


def qr_data_uri(url: str) -> str:
    return segno.make(url, error="m").svg_data_uri(scale=4, border=1)


def diploma_context(diploma: Diploma, *, copy: bool = False) -> dict:
    url = verify_url(diploma.token)
    title_vi, title_en = LEVEL_TITLES[diploma.level]
    return {
        "d": diploma, "copy": copy, "url": url, "qr": qr_data_uri(url),
        "title_vi": title_vi, "title_en": title_en,
        "classification_vi": CLASSIFICATION_VI[diploma.classification],
        "classification_en": CLASSIFICATION_EN[diploma.classification],
        "status_vi": STATUS_VI[diploma.status],
        "annex": diploma.annex or {},
    }


def diploma_pdf(diploma: Diploma, *, copy: bool = False) -> bytes:
    """The diploma and its transcript annex; `copy` marks every page as a copy (the learner's
    download, never a second original)."""
    return render_pdf(DIPLOMA_TEMPLATE, diploma_context(diploma, copy=copy), language="vi")


def certified_copy_pdf(copy: CertifiedCopy, *, rector_name: str = "") -> bytes:
    """A certified copy from the original register (bản sao từ sổ gốc): Vietnamese only,
    under the national title, from the diploma's frozen facts and the copy's record."""
    context = diploma_context(copy.diploma)
    context.update(c=copy, rector_name=rector_name)
    return render_pdf("degrees/pdf/certified_copy.html", context, language="vi")


def certified_copy_filename(copy: CertifiedCopy) -> str:
    return f"ban-sao-tu-so-goc-{copy.diploma.serial_number}-{copy.number}.pdf"


def register_pdf(diplomas: Iterable[Diploma], *, institution=None) -> bytes:
    return render_pdf("degrees/pdf/register.html", {
        "diplomas": list(diplomas), "institution": institution,
        "today": timezone.localdate(), "classification_vi": CLASSIFICATION_VI,
        "status_vi": STATUS_VI,
    }, language="vi")


def diploma_filename(diploma: Diploma, *, copy: bool = False) -> str:
    return f"{'ban-sao-' if copy else ''}bang-{diploma.serial_number}.pdf"
