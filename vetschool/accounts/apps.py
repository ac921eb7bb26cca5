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
        from vetschool.accounts import throttle  # noqa: F401  (connects its signal receiver)
