import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from tests.factories import TEST_PASSWORD, UserFactory
from tests.mfa import pass_second_factor
from vetschool.accounts import roles
from vetschool.accounts.models import PersonalDataAccess
from vetschool.accounts.services import personal_data_access_log

pytestmark = pytest.mark.django_db


def test_every_role_is_a_group():
    assert set(Group.objects.values_list("name", flat=True)) >= set(roles.ROLES)


@pytest.mark.parametrize(
    ("role", "granted", "refused"),
    [
        (roles.REGISTRAR, "reference.change_occupation", "reference.delete_province"),
        (roles.REGISTRAR, "reference.view_province", "accounts.change_user"),
        (roles.HR_OFFICER, "reference.view_occupation", "reference.change_occupation"),
        (roles.QA_OFFICER, "reference.view_institution", "reference.change_institution"),
    ],
)
def test_role_permissions_are_granted_by_name(role, granted, refused):
    user = UserFactory(roles=[role])
    assert user.has_perm(granted)
    assert not user.has_perm(refused)


@pytest.mark.parametrize(
    ("persona", "home"),
    [
        ("registrar", "/office/"),
        ("teacher", "/teacher/"),
        ("learner", "/student/"),
        ("qa_officer", "/office/"),
        ("hr_officer", "/office/"),
        ("superuser", "/office/"),
    ],
)
def test_landing_page_sends_each_role_home(request, client, persona, home):
    client.force_login(request.getfixturevalue(persona))
    response = client.get("/")
    assert response.status_code == 302
    assert response.url == home
    assert client.get(home).status_code == 200


def test_visitors_see_the_public_landing_page(client):
    response = client.get("/")
    assert response.status_code == 200
    assert reverse("accounts:login") in response.content.decode()


def test_a_user_without_role_is_told_so(client):
    client.force_login(UserFactory())
    response = client.get("/", follow=True)
    assert response.status_code == 403
    assert response.redirect_chain[-1][0] == reverse("accounts:no-role")


def test_portal_pages_refuse_other_roles(client, learner, teacher):
    client.force_login(learner)
    assert client.get("/teacher/").status_code == 403
    client.force_login(teacher)
    assert client.get("/student/").status_code == 403


def test_portal_pages_send_visitors_to_login(client):
    response = client.get("/teacher/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_login_page_logs_in_and_redirects_home(client, teacher):
    response = client.post(
        reverse("accounts:login"), {"username": teacher.username, "password": TEST_PASSWORD}
    )
    assert response.status_code == 302
    pass_second_factor(client, teacher)  # a teacher is staff (tests/accounts/test_mfa.py)
    assert client.get(response.url).url == "/teacher/"


def test_repeated_failed_logins_lock_the_account_with_a_clear_message(client, teacher, settings):
    url = reverse("accounts:login")
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(url, {"username": teacher.username, "password": "wrong"})
    assert response.status_code == 429
    page = response.content.decode()
    assert '<html lang="vi">' in page  # the portal's page, in Vietnamese
    assert 'role="alert"' in page
    assert f"Sau {settings.AXES_FAILURE_LIMIT} lần đăng nhập không thành công" in page, page
    assert "30 phút" in page
    # Even the right password is refused while locked.
    response = client.post(url, {"username": teacher.username, "password": TEST_PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_password_change_page(client, learner):
    client.force_login(learner)
    page = client.get(reverse("accounts:password_change")).content.decode()
    assert '<link rel="stylesheet" href="/static/css/vetschool.css">' in page  # the portal's
    for field in ("id_old_password", "id_new_password1", "id_new_password2"):
        assert f'<label for="{field}">' in page
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": TEST_PASSWORD, "new_password1": "Mật-khẩu-mới-2026!",
         "new_password2": "Mật-khẩu-mới-2026!"},
        follow=True,
    )
    assert response.redirect_chain == [(reverse("accounts:password_change_done"), 302)]
    assert "Mật khẩu của bạn đã được thay đổi." in response.content.decode()
    learner.refresh_from_db()
    assert learner.check_password("Mật-khẩu-mới-2026!")
    # Still signed in after the change (the session follows the new password).
    assert client.get("/").url == "/student/"


def test_password_change_refuses_a_wrong_old_password(client, learner):
    client.force_login(learner)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": "wrong", "new_password1": "Mật-khẩu-mới-2026!",
         "new_password2": "Mật-khẩu-mới-2026!"},
    )
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    learner.refresh_from_db()
    assert learner.check_password(TEST_PASSWORD)


def test_logout_is_a_post_from_the_header_and_ends_the_session(client, teacher):
    client.force_login(teacher)
    page = client.get("/teacher/").content.decode()
    assert f'<form action="{reverse("accounts:logout")}" method="post"' in page
    # A link (GET) cannot log anyone out.
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert "_auth_user_id" in client.session
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response.url == reverse("accounts:login")
    assert "_auth_user_id" not in client.session
    assert client.get("/teacher/").status_code == 302  # back to the login page


def test_language_switcher_changes_the_interface_language(client):
    response = client.get("/accounts/login/")
    assert "Đăng nhập" in response.content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    response = client.get("/accounts/login/")
    assert "Log in" in response.content.decode()


def test_full_id_reads_are_logged(registrar):
    subject = UserFactory(username="subject")
    personal_data_access_log(user=registrar, subject=subject, path="/admin/x/")
    entry = PersonalDataAccess.objects.get()
    assert entry.user == registrar
    assert entry.subject_type == "accounts.user"
    assert entry.subject_id == str(subject.pk)


def test_the_data_migrations_create_the_role_groups_with_their_permissions():
    from importlib import import_module

    from django.apps import apps
    from django.db import connection

    groups = import_module("vetschool.accounts.migrations.0002_role_groups")
    grants = import_module("vetschool.accounts.migrations.0003_role_permissions")
    assert sorted(groups.ROLE_NAMES) == sorted(roles.ROLES)
    Group.objects.all().delete()
    with connection.schema_editor() as editor:
        groups.create_role_groups(apps, editor)
        assert Group.objects.filter(permissions__isnull=False).count() == 0
        grants.grant_role_permissions(apps, editor)
    registrar = Group.objects.get(name=roles.REGISTRAR)
    codenames = set(registrar.permissions.values_list("content_type__app_label", "codename"))
    assert ("enrollment", "add_application") in codenames
    assert ("reference", "change_occupation") in codenames
    assert ("reference", "delete_province") not in codenames
    hr = set(Group.objects.get(name=roles.HR_OFFICER).permissions.values_list(
        "content_type__app_label", flat=True))
    assert hr == {"staff", "reference"}
    # Teachers and learners act through their portals, not through model permissions.
    assert not Group.objects.get(name=roles.TEACHER).permissions.exists()
