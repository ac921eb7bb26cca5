"""Builders of partner enterprises, agreements and postings for tests."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from enterprises.models import Agreement, Enterprise, JobPosting
from enterprises.services import agreement_save, enterprise_save, posting_save
from tests.enrollment.factories import occupation
from vetschool.reference.models import ProvincialUnit


def province(code="01") -> ProvincialUnit:
    return ProvincialUnit.objects.get(code=code)


def enterprise(tax_code="0101234567", name="Công ty TNHH Cơ khí Hà Nội", *, province_code="01",
               occupations=None, **extra) -> Enterprise:
    return enterprise_save(
        enterprise=Enterprise(tax_code=tax_code, name=name, sector="C",
                              province=province(province_code), address="Số 1 Tràng Tiền",
                              **extra),
        occupations=occupations if occupations is not None else [occupation()])


def agreement(partner: Enterprise, number="01/2026/TTHT", *, days_left=400, **scopes) -> Agreement:
    today = timezone.localdate()
    return agreement_save(agreement=Agreement(
        enterprise=partner, number=number, signed_on=today - timedelta(days=30),
        starts_on=today - timedelta(days=30), ends_on=today + timedelta(days=days_left),
        **({"internships": True} | scopes)))


def posting(partner: Enterprise | None = None, *, title="Tuyển kỹ thuật viên", by=None,
            deadline_days=20, occ=None) -> JobPosting:
    partner = partner or enterprise()
    return posting_save(posting=JobPosting(
        enterprise=partner, title=title, occupation=occ or occupation(),
        province=partner.province, salary_band="8-12", description="Mô tả",
        deadline=timezone.localdate() + timedelta(days=deadline_days),
        contact_name="Nguyễn Văn Thành", contact_phone="0912345678"), by=by)
