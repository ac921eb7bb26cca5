"""Demo partner enterprises: ~30 enterprises with contacts and agreements (a few expiring or
expired, so the reminders and filters have something to show), open and pending postings."""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone

from enterprises.models import Agreement, Contact, Enterprise, JobPosting, SalaryBand, Sector
from vetschool.reference.models import Occupation, ProvincialUnit

KINDS = ["Công ty TNHH", "Công ty Cổ phần", "Công ty TNHH MTV", "Tổng công ty"]
TRADES = [
    ("Cơ khí Chính xác", Sector.MANUFACTURING), ("Điện tử Sao Mai", Sector.MANUFACTURING),
    ("Ô tô Trường Hải Miền Bắc", Sector.TRADE), ("Xây dựng Hồng Hà", Sector.CONSTRUCTION),
    ("Phần mềm Ánh Dương", Sector.INFORMATION), ("Khách sạn Biển Xanh", Sector.HOSPITALITY),
    ("Điện lực Thăng Long", Sector.ENERGY), ("Logistics Cửu Long", Sector.TRANSPORT),
    ("May mặc Thành Công", Sector.MANUFACTURING), ("Nhà hàng Phố Cổ", Sector.HOSPITALITY),
    ("Tự động hóa Việt Đức", Sector.MANUFACTURING), ("Viễn thông Đông Á", Sector.INFORMATION),
    ("Cấp thoát nước Sông Đà", Sector.WATER), ("Chăm sóc sức khỏe An Tâm", Sector.HEALTH),
    ("Kế toán Minh Bạch", Sector.PROFESSIONAL),
]
CONTACT_NAMES = ["Nguyễn Văn Thành", "Trần Thị Mai", "Lê Quốc Bảo", "Phạm Thu Trang",
                 "Hoàng Minh Đức", "Vũ Thị Hạnh", "Đặng Văn Long", "Bùi Thị Ngọc"]


def seed() -> None:
    if Enterprise.objects.exists():
        return
    rng = random.Random(2222)
    today = timezone.localdate()
    provinces = list(ProvincialUnit.objects.order_by("code")[:12])
    occupations = list(Occupation.objects.order_by("code"))
    if not provinces or not occupations:
        return
    enterprises = []
    for index in range(30):
        trade, sector = TRADES[index % len(TRADES)]
        kind = KINDS[index % len(KINDS)]
        suffix = "" if index < len(TRADES) else " Chi nhánh 2"
        enterprise = Enterprise.objects.create(
            tax_code=f"0{100000000 + index * 7919:09d}" + ("-001" if suffix else ""),
            name=f"{kind} {trade}{suffix}", sector=sector,
            province=provinces[index % len(provinces)],
            address=f"Số {10 + index} đường Số {index % 9 + 1}", phone=f"024{3800000 + index}",
            email=f"lienhe{index}@doanhnghiep.example.vn")
        enterprise.occupations.set(rng.sample(occupations, k=min(2, len(occupations))))
        Contact.objects.create(enterprise=enterprise, full_name=CONTACT_NAMES[index % 8],
                               position="Trưởng phòng Nhân sự", phone=f"09{12000000 + index}",
                               email=f"nhansu{index}@doanhnghiep.example.vn", is_mentor=True)
        enterprises.append(enterprise)
    for index, enterprise in enumerate(enterprises):
        starts = today - timedelta(days=400 + index * 10)
        ends = starts + timedelta(days=3 * 365)
        if index < 2:  # ending within the reminder window
            ends = today + timedelta(days=20 + index * 15)
        elif index < 4:  # ended
            ends = today - timedelta(days=30 * index)
        Agreement.objects.create(
            enterprise=enterprise, number=f"{index + 1:02d}/{starts.year}/TTHT",
            signed_on=starts - timedelta(days=7), starts_on=starts, ends_on=ends,
            internships=True, recruitment=index % 2 == 0, co_teaching=index % 3 == 0,
            equipment=index % 5 == 0, council=index in (5, 6, 7),
            summary="Tiếp nhận người học thực tập, tuyển dụng người tốt nghiệp.")
    bands = list(SalaryBand.values)
    for index, enterprise in enumerate(enterprises[:10]):
        JobPosting.objects.create(
            enterprise=enterprise, title=f"Tuyển {2 + index % 4} kỹ thuật viên",
            occupation=enterprise.occupations.first(), province=enterprise.province,
            salary_band=bands[index % len(bands)], openings=2 + index % 4,
            description="Tốt nghiệp trung cấp hoặc cao đẳng đúng nghề; được đào tạo thêm.",
            deadline=today + timedelta(days=15 + index * 3), contact_name=CONTACT_NAMES[index % 8],
            contact_phone=f"09{12000000 + index}",
            status=JobPosting.Status.PENDING if index >= 8 else JobPosting.Status.OPEN,
            source=JobPosting.Source.PUBLIC if index >= 8 else JobPosting.Source.STAFF)
