"""Grant each role group its permissions (roles.ROLES) in the migration itself.

The permissions of the domain apps are created here, for every installed model, before
they are granted: on a fresh database this migration runs before those apps' own
migrations, when Django has not created their permissions yet. Permissions are rows
naming a content type, so their tables need not exist yet. Apps and models added later
are granted by the same role table after every `migrate` (accounts.apps).
"""

from django.apps import apps as installed_apps
from django.db import migrations


def grant_role_permissions(apps, schema_editor):
    from django.contrib.auth.management import create_permissions
    from django.contrib.contenttypes.management import create_contenttypes

    from vetschool.accounts.roles import sync_role_permissions

    using = schema_editor.connection.alias
    for config in installed_apps.get_app_configs():
        create_contenttypes(config, verbosity=0, using=using, apps=installed_apps)
        create_permissions(config, verbosity=0, using=using, apps=installed_apps)
    sync_role_permissions(using=using)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_role_groups"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant_role_permissions, migrations.RunPython.noop)]
