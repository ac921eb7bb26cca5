"""Test clients of the benchmarks' users, logged in as a login leaves them."""


def logged_in_client(user):
    """A Django test client logged in as `user`; for staff, with the second factor passed
    as after a typed TOTP code (vetschool/accounts/mfa.py): a confirmed device of theirs,
    its id in the session. The benchmarks measure the pages, not the login."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from vetschool.accounts.mfa import second_factor_required

    client = Client()
    client.force_login(user)
    if second_factor_required(user):
        device = (TOTPDevice.objects.filter(user=user, confirmed=True).first()
                  or TOTPDevice.objects.create(user=user, name="bench", confirmed=True))
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client
