"""A generated password is used once (User.must_change_password,
vetschool.accounts.middleware): a learner's login from enrolment, an account an
administrator created, a password an administrator reset."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache import cache

from enrollment import services
from tests.enrollment.factories import LearnerFactory
from tests.factories import TEST_PASSWORD
from tests.mfa import fresh_code, pass_second_factor, totp_device
from vetschool.accounts import roles

pytestmark = pytest.mark.django_db
User = get_user_model()
NEW_PASSWORD = "Rừng-tràm-U-Minh-2026"
CHANGE = "/accounts/password/"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def _login(client, username, password):
    client.logout()
    response = client.post("/accounts/login/", {"username": username, "password": password})
    assert response.status_code == 302, response.content
    return response


def _change(client, old, new=NEW_PASSWORD, **extra):
    return client.post(CHANGE, {"old_password": old, "new_password1": new,
                                "new_password2": new, **extra})


@pytest.mark.parametrize("path", ["/", "/student/", "/student/transcript/", "/admin/",
                                  "/teacher/", "/verify/"])
def test_a_learner_with_a_generated_password_is_sent_to_the_change_first(client, registrar,
                                                                         path):
    learner = LearnerFactory()
    username, password = services.learner_login_create(learner=learner, by=registrar)
    _login(client, username, password)
    response = client.get(path)
    assert response.status_code == 302
    assert response.url.startswith(CHANGE)
    page = client.get(response.url)
    assert page.status_code == 200
    assert "mật khẩu" in page.content.decode().lower()


def test_a_learner_sets_a_password_and_reaches_their_home(client, registrar):
    learner = LearnerFactory()
    username, password = services.learner_login_create(learner=learner, by=registrar)
    _login(client, username, password)
    # The generated password again is no change.
    response = _change(client, password, password)
    assert response.status_code == 200
    assert User.objects.get(username=username).must_change_password
    response = _change(client, password, next="/student/")
    assert response.status_code == 302 and response.url == "/student/"
    assert not User.objects.get(username=username).must_change_password
    assert client.get("/student/").status_code == 200
    # ... and the next login goes straight home with the new password.
    response = _login(client, username, NEW_PASSWORD)
    assert client.get("/", follow=True).request["PATH_INFO"] == "/student/"


def test_the_change_page_keeps_a_foreign_next_out(client, registrar):
    learner = LearnerFactory()
    username, password = services.learner_login_create(learner=learner, by=registrar)
    _login(client, username, password)
    response = _change(client, password, next="https://evil.example/")
    assert response.status_code == 302 and response.url == "/"


def test_logout_stays_open(client, registrar):
    learner = LearnerFactory()
    username, password = services.learner_login_create(learner=learner, by=registrar)
    _login(client, username, password)
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/student/").url.startswith("/accounts/login/")


def test_a_staff_account_created_in_the_admin_must_change_its_password(client, superuser):
    client.force_login(superuser)
    response = client.post("/admin/accounts/user/add/", {
        "username": "registrar9", "usable_password": "true",
        "password1": "Mat-khau-tam-thoi-9", "password2": "Mat-khau-tam-thoi-9"})
    assert response.status_code == 302, response.content.decode()[:2000]
    user = User.objects.get(username="registrar9")
    assert user.must_change_password
    user.groups.add(Group.objects.get(name=roles.REGISTRAR))
    user.is_staff = True
    user.save()

    _login(client, "registrar9", "Mat-khau-tam-thoi-9")
    pass_second_factor(client, user)  # the second factor comes before the change
    assert client.get("/admin/").url.startswith(CHANGE)
    response = _change(client, "Mat-khau-tam-thoi-9")
    assert response.status_code == 302
    assert client.get(response.url, follow=True).request["PATH_INFO"] == "/office/"
    assert client.get("/admin/").status_code == 200


def test_an_administrators_reset_makes_the_password_one_time_again(client, superuser,
                                                                   teacher):
    client.force_login(superuser)
    response = client.post(f"/admin/accounts/user/{teacher.pk}/password/", {
        "usable_password": "true", "password1": "Dat-lai-boi-admin-7",
        "password2": "Dat-lai-boi-admin-7"})
    assert response.status_code == 302, response.content.decode()[:2000]
    teacher.refresh_from_db()
    assert teacher.must_change_password
    # The administrator's own session and password are untouched.
    superuser.refresh_from_db()
    assert not superuser.must_change_password
    assert client.get("/admin/").status_code == 200

    _login(client, teacher.username, "Dat-lai-boi-admin-7")
    pass_second_factor(client, teacher)
    assert client.get("/teacher/").url.startswith(CHANGE)
    _change(client, "Dat-lai-boi-admin-7")
    assert client.get("/teacher/").status_code == 200


def test_an_administrator_changing_their_own_password_in_the_admin_is_not_forced(
        client, superuser):
    client.force_login(superuser)
    response = client.post(f"/admin/accounts/user/{superuser.pk}/password/", {
        "usable_password": "true", "password1": "Cua-toi-rieng-8",
        "password2": "Cua-toi-rieng-8"})
    assert response.status_code == 302
    superuser.refresh_from_db()
    assert not superuser.must_change_password


def test_the_learners_password_reset_by_the_office_is_one_time_again(client, registrar):
    learner = LearnerFactory()
    username, password = services.learner_login_create(learner=learner, by=registrar)
    _login(client, username, password)
    _change(client, password)
    learner.refresh_from_db()
    new = services.learner_password_reset(learner=learner, by=registrar)
    _login(client, username, new)
    assert client.get("/student/").url.startswith(CHANGE)


def test_the_api_refuses_clearly(client, api_client, registrar, teacher):
    # No token for a generated password ...
    teacher.must_change_password = True
    teacher.save()
    response = api_client.post("/api/v1/auth/token/", {"username": teacher.username,
                                                      "password": TEST_PASSWORD})
    assert response.status_code == 403
    assert response.json()["code"] == "password_change_required"
    # ... a token issued before an administrator's reset waits for the new password ...
    teacher.must_change_password = False
    teacher.save()
    key = api_client.post("/api/v1/auth/token/", {
        "username": teacher.username, "password": TEST_PASSWORD,
        "otp_token": fresh_code(totp_device(teacher))}).json()["token"]
    teacher.must_change_password = True
    teacher.save()
    response = api_client.get("/api/v1/auth/tokens/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 403
    assert response.json()["code"] == "password_change_required"
    # ... and a session call from a page gets the API's JSON, not a redirect.
    client.force_login(teacher)
    response = client.get("/api/v1/auth/tokens/")
    assert response.status_code == 403
    assert response.json()["code"] == "password_change_required"
    teacher.must_change_password = False
    teacher.save()
    assert api_client.get("/api/v1/auth/tokens/",
                          HTTP_AUTHORIZATION=f"Token {key}").status_code == 200
