"""The second factor of staff and the limits of a staff session (vetschool/accounts/mfa.py).

Every test here logs in through the login form (a plain password login), never with
force_login, which the suite's other tests use to stand for a login that passed the code.
"""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import TEST_PASSWORD, UserFactory
from tests.mfa import code_at, current_step, fresh_code, totp_device
from vetschool import demo
from vetschool.accounts import mfa
from vetschool.accounts.models import ApiToken

pytestmark = pytest.mark.django_db

VERIFY = "/accounts/mfa/verify/"
ENROL = "/accounts/mfa/enrol/"
RECOVERY = "/accounts/mfa/recovery-codes/"
STAFF = ["registrar", "teacher", "qa_officer", "hr_officer", "superuser"]
# One route of each family a staff member reaches: the admin, the office, the teacher
# pages, the API by session.
STAFF_ROUTES = ["/admin/", "/office/", "/teacher/", "/api/v1/", "/api/v1/auth/tokens/", "/"]


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()  # the login limits of axes and of the address
    yield
    cache.clear()


def _password_login(client, user, password=TEST_PASSWORD):
    response = client.post("/accounts/login/", {"username": user.username,
                                                "password": password})
    assert response.status_code == 302, response.content.decode()[:500]


def _verify(client, code):
    return client.post(VERIFY, {"code": code})


@pytest.mark.parametrize("persona", STAFF)
@pytest.mark.parametrize("path", STAFF_ROUTES)
def test_staff_after_the_password_alone_reach_nothing(client, request, persona, path):
    user = request.getfixturevalue(persona)
    totp_device(user)
    _password_login(client, user)
    response = client.get(path)
    if path.startswith("/api/"):
        assert response.status_code == 403
        assert response.json()["code"] == "second_factor_required"
    else:
        assert response.status_code == 302
        assert response.url.startswith(VERIFY)


@pytest.mark.parametrize("persona", STAFF)
def test_staff_reach_their_home_after_the_code(client, request, persona):
    user = request.getfixturevalue(persona)
    device = totp_device(user)
    _password_login(client, user)
    assert _verify(client, fresh_code(device)).status_code == 302
    home = client.get("/", follow=True)
    assert home.status_code == 200
    assert not home.redirect_chain[-1][0].startswith("/accounts/")


def test_a_learner_is_not_asked_for_a_second_factor(client, learner):
    _password_login(client, learner)
    assert client.get("/student/").status_code == 200
    assert client.get(VERIFY).status_code == 403  # and has no second-factor pages


def test_a_staff_member_without_a_device_enrols_by_qr_code_and_gets_recovery_codes(
        client, registrar):
    _password_login(client, registrar)
    assert client.get("/office/").url == VERIFY + "?next=%2Foffice%2F"
    assert client.get(VERIFY + "?next=/office/").url == ENROL + "?next=%2Foffice%2F"
    page = client.get(ENROL + "?next=/office/")
    body = page.content.decode()
    device = TOTPDevice.objects.get(user=registrar, confirmed=False)
    assert "<svg" in body  # the QR code, inline
    assert mfa.otpauth_secret(device) in body
    assert "otpauth://totp/vetschool%3Aregistrar1?secret=" in device.config_url
    assert client.get("/office/").status_code == 302  # not before the code is typed
    assert client.post(ENROL, {"code": "12345x"}).status_code == 400
    device.throttle_reset()  # as two seconds later (the throttle after the failure)
    response = client.post(ENROL, {"code": fresh_code(device), "next": "/office/"})
    assert response.url == RECOVERY + "?next=%2Foffice%2F"
    codes = re.findall(r"<li><code>(\w+)</code></li>",
                       client.get(response.url).content.decode())
    assert len(codes) == 10 and len(set(codes)) == 10
    assert set(codes) == set(StaticToken.objects.filter(device__user=registrar)
                             .values_list("token", flat=True))
    # Shown once.
    assert "<li><code>" not in client.get(RECOVERY).content.decode()
    assert client.get("/office/").status_code == 200
    device.refresh_from_db()
    assert device.confirmed


def test_a_wrong_code_is_refused_and_slows_the_next_attempts(client, registrar):
    device = totp_device(registrar)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        _password_login(client, registrar)
        right = fresh_code(device)
        wrong = "000000" if right != "000000" else "111111"
        response = _verify(client, wrong)
        assert response.status_code == 400
        assert 'role="alert"' in response.content.decode()
        # django-otp's throttle: after a failure even the right code waits a moment.
        assert _verify(client, right).status_code == 400
        clock.shift(timedelta(seconds=2))
        assert _verify(client, fresh_code(device)).status_code == 302


def test_a_used_code_cannot_be_replayed(client, teacher):
    device = totp_device(teacher)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        code = fresh_code(device)
        _password_login(client, teacher)
        assert _verify(client, code).status_code == 302
        client.post("/accounts/logout/")
        _password_login(client, teacher)
        replay = _verify(client, code)
        assert replay.status_code == 400
        assert client.get("/teacher/").status_code == 302
        clock.shift(timedelta(seconds=2))  # the throttle after the failure
        # The next time step's code is accepted (the app's next code).
        assert _verify(client, code_at(device, current_step(device) + 1)).status_code == 302


def test_a_recovery_code_works_once(client, hr_officer):
    totp_device(hr_officer)
    codes = mfa.recovery_codes_renew(hr_officer)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        _password_login(client, hr_officer)
        assert _verify(client, codes[0]).status_code == 302
        assert client.get("/office/").status_code == 200
        client.post("/accounts/logout/")
        _password_login(client, hr_officer)
        assert _verify(client, codes[0]).status_code == 400
        clock.shift(timedelta(seconds=2))  # the throttle after the failure
        assert _verify(client, codes[1]).status_code == 302
    assert StaticToken.objects.filter(device__user=hr_officer).count() == 8


def test_a_password_reset_does_not_skip_the_second_factor(client, qa_officer, settings,
                                                          django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    totp_device(qa_officer)
    qa_officer.email = "chau.le@example.edu.vn"
    qa_officer.save()
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/password/reset/", {"email": qa_officer.email})
    link = re.search(r"(/accounts/password/reset/\S+/)", mail.outbox[0].body).group(1)
    form = client.get(link, follow=True)
    new_password = "Hoa-sen-no-2026!"
    done = client.post(form.redirect_chain[-1][0], {"new_password1": new_password,
                                                    "new_password2": new_password})
    assert done.url == "/accounts/password/reset/complete/"
    assert client.get("/office/").url.startswith("/accounts/login/")  # not logged in
    _password_login(client, qa_officer, new_password)
    assert client.get("/office/").url.startswith(VERIFY)


def test_an_identity_providers_assertion_counts_as_the_second_factor(client, registrar):
    _password_login(client, registrar)
    for value, reaches in (("true", False), (1, False), (True, True)):
        session = client.session
        session[mfa.IDP_ASSERTED_KEY] = value
        session.save()
        assert (client.get("/office/").status_code == 200) is reaches, value


def test_single_sign_on_stays_open_before_the_second_factor(client, registrar):
    """A staff member half-way through a password login may still use SSO, whose provider
    can assert the second factor: not sent to the verify page (404: SSO not configured)."""
    totp_device(registrar)
    _password_login(client, registrar)
    assert client.get("/accounts/sso/login/").status_code == 404
    assert client.get("/office/").url.startswith(VERIFY)


# --- API tokens ----------------------------------------------------------------------------

def _obtain(api_client, user, **extra):
    return api_client.post("/api/v1/auth/token/", {
        "username": user.username, "password": TEST_PASSWORD, **extra})


@pytest.mark.parametrize("persona", STAFF)
def test_staff_get_a_token_only_with_a_valid_code(api_client, request, persona):
    user = request.getfixturevalue(persona)
    device = totp_device(user)
    for extra in ({}, {"otp_token": ""}, {"otp_token": "12345"}):
        response = _obtain(api_client, user, **extra)
        assert response.status_code == 403, extra
        assert response.json()["code"] == "second_factor_required"
    device.throttle_reset()  # as two seconds later (the throttle after the failure)
    code = fresh_code(device)
    assert _obtain(api_client, user, otp_token=code).status_code == 200
    assert _obtain(api_client, user, otp_token=code).status_code == 403  # no replay
    assert ApiToken.objects.filter(user=user).count() == 1


def test_a_learner_gets_a_token_without_a_code(api_client, learner):
    assert _obtain(api_client, learner).status_code == 200


def test_staff_list_and_revoke_their_tokens_and_a_revoked_one_is_refused(api_client,
                                                                          teacher):
    key = _obtain(api_client, teacher, otp_token=fresh_code(totp_device(teacher))) \
        .json()["token"]
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    listed = api_client.get("/api/v1/auth/tokens/").json()
    assert [t["prefix"] for t in listed] == [key[:8]]
    assert api_client.delete(f"/api/v1/auth/tokens/{listed[0]['id']}/").status_code == 204
    assert api_client.get("/api/v1/auth/tokens/").status_code == 401


# --- session limits ------------------------------------------------------------------------

def _verified_login(client, user):
    _password_login(client, user)
    assert _verify(client, fresh_code(totp_device(user))).status_code == 302


def test_a_staff_session_ends_after_thirty_idle_minutes(client, registrar):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        _verified_login(client, registrar)
        clock.shift(timedelta(minutes=29))
        assert client.get("/office/").status_code == 200
        clock.shift(timedelta(minutes=29))  # 58 minutes after the login, 29 idle
        assert client.get("/office/").status_code == 200
        clock.shift(timedelta(minutes=31))
        response = client.get("/office/")
        assert response.url == "/accounts/login/?next=%2Foffice%2F"
        # Logged out: a fresh code after a fresh password is needed.
        assert client.get("/office/").url.startswith("/accounts/login/")


def test_a_staff_session_ends_twelve_hours_after_the_login_even_when_busy(client, teacher):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        _verified_login(client, teacher)
        for _request in range(24):  # a request every 29 minutes: 11 h 36 min
            clock.shift(timedelta(minutes=29))
            assert client.get("/teacher/").status_code == 200
        clock.shift(timedelta(minutes=25))  # 12 h 01 min
        assert client.get("/teacher/").url.startswith("/accounts/login/")


def test_an_expired_session_call_to_the_api_is_a_401(client, registrar):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        _verified_login(client, registrar)
        clock.shift(timedelta(minutes=31))
        response = client.get("/api/v1/")
        assert response.status_code == 401
        assert response.json()["code"] == "session_expired"


def test_a_learners_session_keeps_djangos_age(client, learner):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        _password_login(client, learner)
        clock.shift(timedelta(hours=13))
        assert client.get("/student/").status_code == 200


# --- the demo ------------------------------------------------------------------------------

def test_demo_staff_log_in_with_the_code_of_demo_otp_code(client, capsys):
    demo.seed_demo_users()
    call_command("demo_otp_code", "teacher")
    code = capsys.readouterr().out.strip()
    assert re.fullmatch(r"\d{6}", code)
    user = demo.demo_user("teacher")
    response = client.post("/accounts/login/", {"username": "teacher",
                                                "password": demo.DEMO_PASSWORD})
    assert response.status_code == 302
    assert _verify(client, code).status_code == 302
    assert client.get("/teacher/").status_code == 200
    assert TOTPDevice.objects.filter(user=user).count() == 1
    demo.seed_demo_users()  # idempotent
    assert TOTPDevice.objects.filter(user=user).count() == 1


@pytest.mark.parametrize("username", ["learner", "nobody", "registrar1"])
def test_demo_otp_code_refuses_what_is_not_a_demo_staff_account(registrar, username):
    demo.seed_demo_users()
    with pytest.raises(CommandError):
        call_command("demo_otp_code", username)


def test_demo_otp_code_refuses_a_demo_name_with_a_real_device():
    user = UserFactory(username="admin", is_staff=True, is_superuser=True)
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    with pytest.raises(CommandError):
        call_command("demo_otp_code", "admin")


def test_an_administrator_resets_a_lost_second_factor_and_the_owner_enrols_again(
        client, superuser, teacher, caplog):
    from django.test import Client

    device = totp_device(teacher)
    mfa.recovery_codes_renew(teacher)
    # the teacher's verified session stops counting once the device is gone
    teachers_session = Client()
    _password_login(teachers_session, teacher)
    assert _verify(teachers_session, fresh_code(device)).status_code == 302
    assert teachers_session.get("/office/").status_code in (200, 302, 403)
    client.force_login(superuser)
    response = client.post("/admin/accounts/user/", {
        "action": "reset_second_factor", "_selected_action": [teacher.pk]})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=teacher).exists()
    assert not StaticToken.objects.filter(device__user=teacher).exists()
    assert f"user {teacher.pk} by user {superuser.pk}" in caplog.text
    # the session verified by the removed device is sent back to the second factor
    assert teachers_session.get("/teacher/").url.startswith((VERIFY, ENROL))
    fresh = Client()
    _password_login(fresh, teacher)
    landed = fresh.get("/teacher/", follow=True)
    assert landed.redirect_chain[-1][0].startswith(ENROL) and landed.status_code == 200
