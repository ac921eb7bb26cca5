from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _grant_role_permissions(sender, using="default", **kwargs):
    from vetschool.accounts.roles import sync_role_permissions

    sync_role_permissions(using=using)


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "vetschool.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        # Runs after the last app's migrations, when every permission exists.
        post_migrate.connect(_grant_role_permissions, dispatch_uid="vetschool.roles")
        from vetschool.accounts import (
            mfa,  # noqa: F401  (stamps a session's login time)
            throttle,  # noqa: F401  (connects its signal receiver)
        )
        _name_third_party_apps()


def _name_third_party_apps():
    """The admin lists the login-attempt and change-history apps too; their names are
    fixed English words there ("Axes", "Pghistory", "events"), so give them translatable
    ones (the models' own names are translated in vetschool/django_vi)."""
    from django.apps import apps

    names = {"axes": _("Login attempts"), "pghistory": _("Change history")}
    for label, name in names.items():
        if apps.is_installed(label):
            apps.get_app_config(label).verbose_name = name
    if apps.is_installed("pghistory"):
        from pghistory.models import Events, MiddlewareEvents

        Events._meta.verbose_name = _("change event")
        Events._meta.verbose_name_plural = _("change events")
        MiddlewareEvents._meta.verbose_name = _("change event with its request")
        MiddlewareEvents._meta.verbose_name_plural = _("change events with their request")
