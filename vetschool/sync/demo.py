"""Demo: the college pushes to the local sandbox (`python manage.py national_sandbox`).

Stored configuration only: NATIONAL_API_* environment variables, when set, still win.
"""

from vetschool.reference.models import Institution
from vetschool.sync import sandbox, services

SANDBOX_URL = f"http://127.0.0.1:{sandbox.DEFAULT_PORT}"


def seed() -> None:
    college = Institution.current()
    services.configuration_update(
        url=SANDBOX_URL,
        institution_code=college.ministry_code if college else "",
        secret=sandbox.DEFAULT_SECRET,
    )
