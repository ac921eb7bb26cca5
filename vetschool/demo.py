"""The demo college: platform part plus each app's `demo.py`, discovered in
INSTALLED_APPS order (so an app's demo can rely on the apps it depends on).

Every step is idempotent: running seed_demo twice leaves the same data.
"""

import csv
import hashlib
import hmac
import time
from decimal import Decimal
from importlib import import_module
from importlib.util import find_spec
from pathlib import Path

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django_otp.oath import hotp
from django_otp.plugins.otp_totp.models import TOTPDevice

from vetschool.accounts import mfa, roles
from vetschool.reference.models import Institution, Level, Occupation, ProvincialUnit

DEMO_PASSWORD = "vetschool-demo"
# Demo staff have a TOTP device whose secret derives from this fixed seed and the username,
# so that `manage.py demo_otp_code <username>` can print their code; a real account's
# secret is random (vetschool/accounts/mfa.py) and that command refuses it.
DEMO_OTP_SEED = b"vetschool-demo-otp"

# username, full name, role (None = superuser). Two of each role, so that anyone can check
# that one person cannot see another's data: `teacher2` and `learner2` are linked to a staff
# member and a learner of another class by grading/demo.py, `graduate` and `graduate2` to
# two holders of this year's diplomas by degrees/demo.py (their names then follow those
# records).
DEMO_USERS = [
    ("admin", "Quản trị hệ thống", None),
    ("registrar", "Phạm Thị Thu Hà", roles.REGISTRAR),
    ("registrar2", "Nguyễn Thị Thanh Tâm", roles.REGISTRAR),
    ("teacher", "Nguyễn Văn Hùng", roles.TEACHER),
    ("teacher2", "Giáo viên thứ hai", roles.TEACHER),
    ("learner", "Trần Thị Ánh Dương", roles.LEARNER),
    ("learner2", "Học sinh thứ hai", roles.LEARNER),
    ("graduate", "Người tốt nghiệp", roles.LEARNER),
    ("graduate2", "Người tốt nghiệp thứ hai", roles.LEARNER),
    ("qa", "Lê Minh Châu", roles.QA_OFFICER),
    ("qa2", "Trịnh Quốc Bảo", roles.QA_OFFICER),
    ("hr", "Đỗ Thị Hồng Nhung", roles.HR_OFFICER),
    ("hr2", "Bùi Thị Mai Anh", roles.HR_OFFICER),
]


def demo_user(username: str):
    return get_user_model().objects.get(username=username)


def seed_platform() -> None:
    seed_institution()
    seed_demo_occupations()
    seed_demo_users()


def seed_institution() -> Institution:
    institution, _ = Institution.objects.update_or_create(
        pk=1,
        defaults={
            "name_vi": "Trường Cao đẳng Kỹ thuật Công nghệ Sông Hồng",
            "name_en": "Song Hong College of Technology",
            "short_name": "CĐ KTCN Sông Hồng",
            "ministry_code": "CDSH01",
            "level": Level.COLLEGE,
            "address": "Số 18 đường Nguyễn Trãi, phường Thanh Xuân, Hà Nội",
            "province": ProvincialUnit.objects.get(code="01"),
            "phone": "024 3858 0000",
            "email": "daotao@cdsonghong.edu.vn",
            "website": "https://cdsonghong.edu.vn",
            "latitude": Decimal("20.993500"),
            "longitude": Decimal("105.811700"),
            "rector_name": "TS. Vũ Quang Minh",
        },
    )
    return institution


def seed_demo_occupations() -> None:
    path = Path(__file__).resolve().parent / "reference" / "data" / "occupations_demo.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            Occupation.objects.update_or_create(
                code=row["code"],
                defaults={
                    "name_vi": row["name_vi"],
                    "name_en": row["name_en"],
                    "level": row["level"],
                    "is_demo": True,
                },
            )


def seed_demo_users() -> None:
    User = get_user_model()
    for username, full_name, role in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"full_name": full_name, "email": f"{username}@cdsonghong.edu.vn"},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
        user.is_superuser = role is None
        user.is_staff = role is None or roles.ROLES[role].staff
        user.save()
        if role:
            user.groups.add(Group.objects.get(name=role))
        if mfa.second_factor_required(user):
            TOTPDevice.objects.update_or_create(
                user=user, name="demo", defaults={"key": demo_totp_key(username),
                                                  "confirmed": True})


def demo_totp_key(username: str) -> str:
    """The demo secret of `username` (hex, 20 bytes, as django-otp stores it)."""
    return hmac.new(DEMO_OTP_SEED, username.encode(), hashlib.sha1).hexdigest()


def demo_otp_code(username: str) -> str | None:
    """The code the demo user's app would accept now (the next time step's when this
    step's was already used); None unless `username` is a demo account with its demo
    device."""
    if username not in {name for name, _full_name, _role in DEMO_USERS}:
        return None
    device = TOTPDevice.objects.filter(user__username=username, confirmed=True,
                                       key=demo_totp_key(username)).first()
    if device is None:
        return None
    step = max(int((time.time() - device.t0) // device.step) + device.drift, device.last_t + 1)
    return f"{hotp(device.bin_key, step, device.digits):0{device.digits}d}"


def app_demo_modules():
    for config in apps.get_app_configs():
        name = f"{config.name}.demo"
        if find_spec(name) is not None:
            yield import_module(name)


def seed_all(*, stdout=None) -> None:
    seed_platform()
    for module in app_demo_modules():
        if stdout:
            stdout.write(f"seeding {module.__name__} ...")
        module.seed()


def logins() -> list[tuple[str, str, str]]:
    out = []
    for username, _full_name, role in DEMO_USERS:
        label = str(roles.ROLES[role].label) if role else "Superuser"
        out.append((label, username, DEMO_PASSWORD))
    return out
