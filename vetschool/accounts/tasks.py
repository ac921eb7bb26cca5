from urllib.parse import urlsplit

from celery import shared_task
from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.utils import translation


@shared_task(name="accounts.password_reset_mail_send")
def password_reset_mail_send(email: str, language: str) -> None:
    """Mail a password-reset link to every active account of `email` (none if it has none).

    Run after the answer, by a worker: the request does the same work whether or not the
    address has an account, so neither its answer nor its timing tells (no enumeration).
    The link points at PUBLIC_URL, not at the Host header of the request that asked."""
    public = urlsplit(settings.PUBLIC_URL)
    with translation.override(language or settings.LANGUAGE_CODE):
        form = PasswordResetForm({"email": email})
        if form.is_valid():
            form.save(
                domain_override=public.netloc, use_https=public.scheme == "https",
                subject_template_name="accounts/password_reset_subject.txt",
                email_template_name="accounts/password_reset_email.txt",
            )
