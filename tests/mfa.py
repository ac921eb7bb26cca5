"""The second factor of staff in tests (vetschool/accounts/mfa.py).

`force_login` of the test client leaves a staff user's session as django-otp's
`otp_login` does after a typed code: a real confirmed TOTP device of the user, its
persistent id in the session (installed for the whole suite by tests/conftest.py). The
tests of the second factor itself log in through the login form instead.

`fresh_code(device)` is the code an authenticator app would show for the device now,
moved to the next time step when this step's code was already used (django-otp refuses a
replay, and accepts the next step within the device's tolerance).
"""

import time

from django.test.client import ClientMixin
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import hotp
from django_otp.plugins.otp_totp.models import TOTPDevice

from vetschool.accounts.mfa import second_factor_required


def totp_device(user) -> TOTPDevice:
    """The user's confirmed TOTP device; one is made if the user has none."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="test", confirmed=True)


def current_step(device: TOTPDevice) -> int:
    return int((time.time() - device.t0) // device.step) + device.drift


def code_at(device: TOTPDevice, step: int) -> str:
    return f"{hotp(device.bin_key, step, device.digits):0{device.digits}d}"


def fresh_code(device: TOTPDevice) -> str:
    device.refresh_from_db()
    step = max(current_step(device), device.last_t + 1)
    while step > current_step(device) + device.tolerance:  # two logins in one step
        time.sleep(1)
    return code_at(device, step)


def verify_session(client, user) -> None:
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = totp_device(user).persistent_id
    session.save()


def install_force_login_with_second_factor() -> None:
    original = ClientMixin.force_login
    if getattr(original, "passes_second_factor", False):
        return

    def force_login(self, user, backend=None):
        original(self, user, backend)
        if second_factor_required(user):
            verify_session(self, user)

    force_login.passes_second_factor = True
    ClientMixin.force_login = force_login


def pass_second_factor(client, user) -> None:
    """After a login through the form: type the code of the user's app on the verify page."""
    response = client.post("/accounts/mfa/verify/", {"code": fresh_code(totp_device(user))})
    assert response.status_code == 302, response.content.decode()[:1000]
