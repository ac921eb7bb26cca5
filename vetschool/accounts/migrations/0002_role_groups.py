from django.db import migrations

ROLE_NAMES = ["registrar", "teacher", "learner", "qa_officer", "hr_officer"]


def create_role_groups(apps, schema_editor):
    # Permissions are granted after `migrate` (roles.sync_role_permissions), once
    # the permissions of every app exist.
    Group = apps.get_model("auth", "Group")
    for name in ROLE_NAMES:
        Group.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_role_groups, migrations.RunPython.noop)]
