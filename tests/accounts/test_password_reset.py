"""Password reset by e-mail: the link in the mail sets a new password; the answer and the
work of the request are the same whether or not the address has an account; rate limits
per client address and per e-mail address."""

import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/accounts/password/reset/"
NEW_PASSWORD = "Hoa-sen-no-2026!"


@pytest.fixture(autouse=True)
def _fresh_cache(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.PUBLIC_URL = "https://qldt.example.edu.vn"
    cache.clear()
    yield
    cache.clear()


def _ask(client, email, **extra):
    return client.post(URL, {"email": email}, **extra)


def test_the_link_in_the_mail_sets_a_new_password_and_logs_in(client, learner,
                                                             django_capture_on_commit_callbacks):
    learner.email = "anh.duong@example.edu.vn"
    learner.save()
    page = client.get(URL).content.decode()
    assert "Đặt lại mật khẩu" in page and '<label for="id_email">' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = _ask(client, "Anh.Duong@example.edu.vn")
    assert response.status_code == 302
    assert response.url == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["anh.duong@example.edu.vn"]
    assert "Đặt lại mật khẩu" in message.subject
    assert learner.username in message.body
    link = re.search(r"https://qldt\.example\.edu\.vn(/accounts/password/reset/\S+/)",
                     message.body).group(1)
    form = client.get(link, follow=True)
    assert form.status_code == 200
    set_url = form.redirect_chain[-1][0]  # Django hides the token behind a redirect
    assert 'name="new_password1"' in form.content.decode()
    done = client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302
    assert done.url == reverse("accounts:password_reset_complete")
    assert "Mật khẩu mới đã được đặt" in client.get(done.url).content.decode()
    learner.refresh_from_db()
    assert learner.check_password(NEW_PASSWORD)
    # The link works once.
    again = client.get(link, follow=True).content.decode()
    assert "Liên kết này không hợp lệ" in again
    login = client.post(reverse("accounts:login"),
                        {"username": learner.username, "password": NEW_PASSWORD})
    assert login.status_code == 302
    assert client.session["_auth_user_id"] == str(learner.pk)


def test_the_answer_and_the_work_are_the_same_for_an_unknown_address(
        client, learner, django_capture_on_commit_callbacks):
    answers = {}
    for email in (learner.email, "nobody@example.edu.vn"):
        with django_capture_on_commit_callbacks(execute=False) as callbacks, \
                CaptureQueriesContext(connection) as queries:
            response = _ask(client, email)
        answers[email] = (response.status_code, response.url, response.content,
                          len(queries), len(callbacks))
        # The mail is sent from a task after the answer; run it now.
        for callback in callbacks:
            callback()
    assert answers[learner.email] == answers["nobody@example.edu.vn"]
    assert answers[learner.email][3] == 0  # the request looks nothing up
    assert [m.to for m in mail.outbox] == [[learner.email]]


def test_inactive_accounts_get_no_mail(client, learner, django_capture_on_commit_callbacks):
    learner.is_active = False
    learner.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert _ask(client, learner.email).status_code == 302
    assert mail.outbox == []


def test_requests_are_limited_per_email_address(client, settings, learner,
                                                django_capture_on_commit_callbacks):
    settings.PASSWORD_RESET_RATE_PER_EMAIL = 3
    with django_capture_on_commit_callbacks(execute=True):
        codes = [_ask(client, learner.email, REMOTE_ADDR=f"198.51.100.{i}").status_code
                 for i in range(5)]
    assert codes == [302, 302, 302, 429, 429]
    assert len(mail.outbox) == 3
    # The same refusal for an address without an account: the limit tells nothing either.
    codes = [_ask(client, "nobody@example.edu.vn").status_code for _ in range(4)]
    assert codes == [302, 302, 302, 429]


def test_requests_are_limited_per_client_address(client, settings):
    settings.PASSWORD_RESET_RATE_PER_ADDRESS = 4
    codes = [_ask(client, f"someone{i}@example.edu.vn").status_code for i in range(6)]
    assert codes == [302] * 4 + [429] * 2
    page = _ask(client, "someone9@example.edu.vn").content.decode()
    assert 'role="alert"' in page
    assert "Quá nhiều yêu cầu đặt lại mật khẩu" in page
    # Another client address is not held up.
    assert _ask(client, "someone9@example.edu.vn", REMOTE_ADDR="192.0.2.1").status_code == 302


def test_the_login_page_links_the_reset(client):
    page = client.get(reverse("accounts:login")).content.decode()
    assert f'href="{URL}"' in page
    assert "Quên mật khẩu?" in page


def test_users_with_the_address_all_get_a_link(client, django_capture_on_commit_callbacks):
    UserFactory(username="a1", email="shared@example.edu.vn")
    UserFactory(username="a2", email="shared@example.edu.vn")
    with django_capture_on_commit_callbacks(execute=True):
        _ask(client, "shared@example.edu.vn")
    assert sorted(re.search(r'"(a\d)"', m.body).group(1) for m in mail.outbox) == ["a1", "a2"]
