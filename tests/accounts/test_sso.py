"""Single sign-on through OpenID Connect, end to end against a real provider (issue #19).

The provider is the `oidc-provider` npm package (tests/oidc_provider/provider.mjs), started
once for this module as a `node` process on a free port. A browser is played by two
clients: httpx on the provider's side (its cookies, its login form, its redirects) and
Django's test client on ours; our server talks to the provider over real HTTP (token,
userinfo, JWKS), as it would to the college's identity server.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import re
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode, urljoin, urlsplit

import httpx
import pytest
import time_machine
from django.urls import reverse

from tests.factories import TEST_PASSWORD, UserFactory
from vetschool.accounts import roles
from vetschool.sso.config import MFA_SESSION_KEY
from vetschool.sso.models import SsoIdentity

pytestmark = pytest.mark.django_db

PROVIDER_DIR = Path(__file__).resolve().parents[1] / "oidc_provider"
CALLBACK = "http://testserver/accounts/sso/callback/"
CLIENT_ID = "vetschool-test"
CLIENT_SECRET = "vetschool-test-secret-which-is-long-enough"  # the provider script's client


def _npm_ci_once() -> None:
    """node_modules from package-lock.json, installed by the first test process that needs
    it (a lock keeps parallel xdist workers from installing over each other)."""
    with open(PROVIDER_DIR / ".npm-ci.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (PROVIDER_DIR / "node_modules" / "oidc-provider").exists():
            subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"],
                           cwd=PROVIDER_DIR, check=True, timeout=300)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Provider:
    base: str
    discovery: dict


@pytest.fixture(scope="module")
def provider(tmp_path_factory):
    if not shutil.which("node") or not shutil.which("npm"):
        # As the browser tests without chromium (README.md): CI's machine has Node.js.
        pytest.skip("single sign-on tests skipped: no Node.js/npm to run the real OpenID "
                    "Connect provider of tests/oidc_provider (install Node.js 20+)")
    _npm_ci_once()
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    log_path = tmp_path_factory.mktemp("oidc") / "provider.log"
    with open(log_path, "w") as log:
        process = subprocess.Popen(["node", "provider.mjs", str(port), CALLBACK],
                                   cwd=PROVIDER_DIR, stdout=log, stderr=subprocess.STDOUT)
    try:
        discovery = _wait_for_discovery(base, process, log_path)
        yield Provider(base, discovery)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def _wait_for_discovery(base: str, process, log_path: Path) -> dict:
    deadline = time.monotonic() + 90  # a loaded CI machine starts Node slowly
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the OIDC provider stopped: {log_path.read_text()}")
        try:
            return httpx.get(f"{base}/.well-known/openid-configuration", timeout=2).json()
        except httpx.TransportError:
            time.sleep(0.1)
    pytest.fail(f"the OIDC provider did not start in 90 s: {log_path.read_text()}")


@pytest.fixture
def sso(settings, provider):
    return configure_sso(settings, provider)


def configure_sso(settings, provider):
    """Single sign-on configured as README.md says, pointing at the test provider."""
    settings.OIDC_OP_ISSUER = provider.discovery["issuer"]
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = provider.discovery["authorization_endpoint"]
    settings.OIDC_OP_TOKEN_ENDPOINT = provider.discovery["token_endpoint"]
    settings.OIDC_OP_USER_ENDPOINT = provider.discovery["userinfo_endpoint"]
    settings.OIDC_OP_JWKS_ENDPOINT = provider.discovery["jwks_uri"]
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_RP_SCOPES = "openid email profile personal_id"
    settings.OIDC_MATCH_CLAIM = "sub"
    settings.OIDC_MFA_AMR = ["mfa", "otp", "hwk"]
    settings.OIDC_MFA_ACR = []
    return settings


def at_provider(provider: Provider, start_url: str, login: str, amr: str = "",
                acr: str = "") -> str:
    """Plays the browser at the provider: from the authorization request to the redirect
    back to us; returns our callback's path and query."""
    browser = httpx.Client(timeout=10)

    def follow(answer):
        while answer.status_code in (302, 303) and urljoin(
                str(answer.url), answer.headers["location"]).startswith(provider.base):
            answer = browser.get(urljoin(str(answer.url), answer.headers["location"]))
        return answer

    with browser:
        page = follow(browser.get(start_url))
        assert page.status_code == 200, page.text
        action = re.search(r'action="([^"]+)"', page.text).group(1)
        back = follow(browser.post(urljoin(str(page.url), action),
                                   data={"login": login, "amr": amr, "acr": acr}))
    location = back.headers["location"]
    assert location.startswith(CALLBACK), location
    parts = urlsplit(location)
    return f"{parts.path}?{parts.query}"


def start(client, next_url: str = "") -> str:
    answer = client.get(reverse("sso:login") + (f"?{urlencode({'next': next_url})}"
                                                if next_url else ""))
    assert answer.status_code == 302
    return answer["Location"]


def sso_login(client, provider, login, amr="", acr="", next_url=""):
    return client.get(at_provider(provider, start(client, next_url), login, amr, acr))


def logged_in_as(client):
    return client.session.get("_auth_user_id")


def link(user, provider, value, claim="sub"):
    return SsoIdentity.objects.create(user=user, issuer=provider.discovery["issuer"],
                                      claim=claim, value=value)


# --- The login page ----------------------------------------------------------------------

def test_login_page_offers_sso_only_when_configured(client, settings, provider):
    settings.OIDC_RP_CLIENT_ID = ""
    assert "Đăng nhập bằng SSO" not in client.get(reverse("accounts:login")).content.decode()
    assert client.get(reverse("sso:login")).status_code == 404
    assert client.get(reverse("sso:callback")).status_code == 404
    configure_sso(settings, provider)
    page = client.get(reverse("accounts:login") + "?next=/accounts/password/").content.decode()
    assert "Đăng nhập bằng SSO" in page
    assert reverse("sso:login") + "?next=%2Faccounts%2Fpassword%2F" in page


# --- Who is matched -------------------------------------------------------------------------

def test_staff_member_logs_in_matched_by_subject(client, sso, provider):
    teacher = UserFactory(username="gv.sso", roles=[roles.TEACHER])
    link(teacher, provider, "staff-0001")

    answer = sso_login(client, provider, "staff-0001", next_url="/accounts/password/")

    assert answer.status_code == 302
    assert answer["Location"] == "/accounts/password/"
    assert logged_in_as(client) == str(teacher.pk)
    # the provider asserted no second factor: a staff member still gives the TOTP code
    assert client.get(reverse("accounts:password_change")).url.startswith("/accounts/mfa/")


def test_learner_logs_in_matched_by_verified_email(client, sso, provider):
    sso.OIDC_MATCH_CLAIM = "email"
    learner = UserFactory(username="hs.sso", email="Learner.SSO@example.edu.vn",
                          roles=[roles.LEARNER])

    answer = sso_login(client, provider, "learner-0001")

    assert answer.status_code == 302
    assert logged_in_as(client) == str(learner.pk)


def test_personal_id_claim_matches_through_a_link(client, sso, provider):
    """The national platform's case: the account is found by the personal ID claim."""
    sso.OIDC_MATCH_CLAIM = "personal_id"
    learner = UserFactory(username="hs.vneid", roles=[roles.LEARNER])
    link(learner, provider, "001204012345", claim="personal_id")

    sso_login(client, provider, "citizen-0001")

    assert logged_in_as(client) == str(learner.pk)


@pytest.mark.parametrize("match_claim, login, reason", [
    ("email", "unverified-0001", "chưa xác minh địa chỉ e-mail"),
    ("sub", "nobody-9999", "không có tài khoản nào"),
    # Lê Văn C exists at the college by name only: a display name never matches.
    ("sub", "citizen-0001", "không có tài khoản nào"),
    ("personal_id", "staff-0001", "không gửi thông tin"),
])
def test_identity_without_a_verified_match_is_refused(client, sso, provider, caplog,
                                                      match_claim, login, reason):
    sso.OIDC_MATCH_CLAIM = match_claim
    UserFactory(username="hs.sso", email="learner.sso@example.edu.vn", roles=[roles.LEARNER])
    UserFactory(username="le.van.c", full_name="Lê Văn C", roles=[roles.LEARNER])
    users_before = UserFactory._meta.model.objects.count()

    answer = sso_login(client, provider, login)

    assert answer.status_code == 403
    assert reason in answer.content.decode()
    assert logged_in_as(client) is None
    assert UserFactory._meta.model.objects.count() == users_before  # no account created
    assert any("SSO login refused" in record.getMessage() for record in caplog.records)


def test_disabled_account_is_refused(client, sso, provider):
    teacher = UserFactory(username="gv.off", roles=[roles.TEACHER], is_active=False)
    link(teacher, provider, "staff-0001")

    answer = sso_login(client, provider, "staff-0001")

    assert answer.status_code == 403
    assert logged_in_as(client) is None


# --- The second factor asserted by the provider -------------------------------------------

@pytest.mark.parametrize("amr, acr, mfa_acr, asserted", [
    ("pwd,mfa", "", [], True),
    ("pwd,otp", "", [], True),
    ("hwk", "", [], True),
    ("pwd", "", [], False),
    ("", "", [], False),
    ("pwd", "urn:example:loa:3", ["urn:example:loa:3"], True),
    ("pwd", "urn:example:loa:1", ["urn:example:loa:3"], False),
])
def test_second_factor_is_recorded_only_when_the_provider_asserts_one(
        client, sso, provider, amr, acr, mfa_acr, asserted):
    sso.OIDC_MFA_ACR = mfa_acr
    link(UserFactory(username="gv.mfa", roles=[roles.TEACHER]), provider, "staff-0001")

    sso_login(client, provider, "staff-0001", amr=amr, acr=acr)

    assert logged_in_as(client) is not None
    assert client.session[MFA_SESSION_KEY] is asserted
    # end to end: the assertion lets the teacher in without the TOTP code, its absence not
    page = client.get("/accounts/password/")
    assert (page.status_code == 200) is asserted


def test_password_login_keeps_working_and_drops_the_providers_assertion(client, sso, provider):
    teacher = UserFactory(username="gv.both", roles=[roles.TEACHER])
    link(teacher, provider, "staff-0001")
    sso_login(client, provider, "staff-0001", amr="mfa")
    assert client.session[MFA_SESSION_KEY] is True

    # A login by another backend in the same session (which keeps its data for the same
    # user) does not inherit the provider's assertion.
    client.force_login(teacher, backend="django.contrib.auth.backends.ModelBackend")
    assert client.session[MFA_SESSION_KEY] is False

    client.logout()
    answer = client.post(reverse("accounts:login"),
                         {"username": "gv.both", "password": TEST_PASSWORD})
    assert answer.status_code == 302
    assert logged_in_as(client) == str(teacher.pk)
    assert client.session[MFA_SESSION_KEY] is False


def test_refused_sso_logins_count_toward_the_address_limit(client, sso, provider):
    from django.core.cache import cache

    sso.LOGIN_ADDRESS_FAILURE_LIMIT = 2
    cache.clear()
    link(UserFactory(username="gv.limit", roles=[roles.TEACHER]), provider, "staff-0001")
    try:
        refusals = [sso_login(client, provider, "nobody-9999").status_code for _ in range(2)]
        blocked = sso_login(client, provider, "staff-0001")
    finally:
        cache.clear()

    assert refusals == [403, 403]
    assert blocked.status_code == 429
    assert logged_in_as(client) is None


def test_a_password_login_carrying_code_and_state_is_only_a_password_login(client, sso):
    teacher = UserFactory(username="gv.pw", roles=[roles.TEACHER])
    login_url = reverse("accounts:login") + "?code=stolen&state=forged"

    wrong = client.post(login_url, {"username": "gv.pw", "password": "not the password"})
    assert wrong.status_code == 200  # the form again, no code exchange attempted
    assert logged_in_as(client) is None

    right = client.post(login_url, {"username": "gv.pw", "password": TEST_PASSWORD})
    assert right.status_code == 302
    assert logged_in_as(client) == str(teacher.pk)
    assert client.session[MFA_SESSION_KEY] is False


# --- Requests that are not what they claim --------------------------------------------------

def test_tampered_state_is_refused(client, sso, provider):
    link(UserFactory(username="gv.state", roles=[roles.TEACHER]), provider, "staff-0001")
    callback = at_provider(provider, start(client), "staff-0001")
    tampered = re.sub(r"state=[^&]+", "state=forged-state", callback)

    answer = client.get(tampered)

    assert answer.status_code == 400
    assert "không hợp lệ" in answer.content.decode()
    assert logged_in_as(client) is None


def test_callback_cannot_be_replayed(client, sso, provider):
    link(UserFactory(username="gv.replay", roles=[roles.TEACHER]), provider, "staff-0001")
    callback = at_provider(provider, start(client), "staff-0001")
    assert client.get(callback).status_code == 302
    client.logout()

    assert client.get(callback).status_code in (400, 403)
    assert logged_in_as(client) is None


def test_expired_state_is_refused(client, sso, provider):
    link(UserFactory(username="gv.late", roles=[roles.TEACHER]), provider, "staff-0001")
    callback = at_provider(provider, start(client), "staff-0001")
    later = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=sso.OIDC_STATE_TTL_MINUTES + 1)

    with time_machine.travel(later):
        answer = client.get(callback)

    assert answer.status_code == 400
    assert "đã hết hạn" in answer.content.decode()
    assert logged_in_as(client) is None


def test_id_token_from_another_issuer_is_refused(client, sso, provider):
    link(UserFactory(username="gv.iss", roles=[roles.TEACHER]), provider, "staff-0001")
    callback = at_provider(provider, start(client), "staff-0001")
    sso.OIDC_OP_ISSUER = "https://id.other.example"

    answer = client.get(callback)

    assert answer.status_code == 400
    assert logged_in_as(client) is None


def test_unreachable_provider_gets_a_clear_page_not_a_500(client, sso, provider):
    link(UserFactory(username="gv.down", roles=[roles.TEACHER]), provider, "staff-0001")
    callback = at_provider(provider, start(client), "staff-0001")
    sso.OIDC_OP_TOKEN_ENDPOINT = f"http://127.0.0.1:{_free_port()}/token"  # nobody listens

    answer = client.get(callback)

    assert answer.status_code == 502
    assert "không thể kết nối" in answer.content.decode()
    assert logged_in_as(client) is None


def test_provider_error_answer_is_shown(client, sso, provider):
    start(client)
    answer = client.get(reverse("sso:callback") + "?error=access_denied&state=x")

    assert answer.status_code == 403
    assert logged_in_as(client) is None


# --- Configuration ----------------------------------------------------------------------------

@pytest.mark.parametrize("change, expected", [
    ({}, []),
    ({"OIDC_RP_CLIENT_SECRET": ""}, ["sso.E001"]),
    ({"OIDC_MATCH_CLAIM": "name"}, ["sso.E002"]),
    ({"OIDC_MATCH_CLAIM": "preferred_username"}, ["sso.E002"]),
    ({"OIDC_MATCH_CLAIM": "email"}, []),
])
def test_configuration_is_checked_at_start_up(sso, change, expected):
    from vetschool.sso.checks import sso_settings

    for name, value in change.items():
        setattr(sso, name, value)
    assert [message.id for message in sso_settings(None)] == expected


def test_an_administrator_links_an_identity_in_the_admin(client, superuser):
    client.force_login(superuser)
    learner = UserFactory(username="hs.link", roles=[roles.LEARNER])
    add = reverse("admin:sso_ssoidentity_add")
    assert client.get(add).status_code == 200

    answer = client.post(add, {"user": learner.pk, "issuer": "https://id.example.edu.vn",
                               "claim": "sub", "value": "abc-123"})

    assert answer.status_code == 302
    assert SsoIdentity.objects.get(user=learner).value == "abc-123"
    listing = client.get(reverse("admin:sso_ssoidentity_changelist")).content.decode()
    assert "hs.link" in listing and "abc-123" not in listing  # the value may be a personal ID
