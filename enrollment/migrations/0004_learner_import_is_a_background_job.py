"""LearnerImport builds on vetschool.jobs.BackgroundJob: `by` is renamed `created_by`,
`total_rows` is renamed `total` (the rows of the file) and `done` is new, set to the rows
checked for the imports already finished; the states were the same four already."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def finished_imports_checked_every_row(apps, schema_editor):
    LearnerImport = apps.get_model("enrollment", "LearnerImport")
    LearnerImport.objects.filter(status="done").update(done=models.F("total"))


class Migration(migrations.Migration):

    dependencies = [
        ("enrollment", "0003_status_change_decision_has_reason"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameField(
            model_name="learnerimport",
            old_name="by",
            new_name="created_by",
        ),
        migrations.AlterField(
            model_name="learnerimport",
            name="created_by",
            field=models.ForeignKey(blank=True, null=True,
                                    on_delete=django.db.models.deletion.PROTECT,
                                    related_name="+", to=settings.AUTH_USER_MODEL,
                                    verbose_name="requested by"),
        ),
        migrations.RenameField(
            model_name="learnerimport",
            old_name="total_rows",
            new_name="total",
        ),
        migrations.AlterField(
            model_name="learnerimport",
            name="total",
            field=models.PositiveIntegerField(default=0, verbose_name="total"),
        ),
        migrations.AddField(
            model_name="learnerimport",
            name="done",
            field=models.PositiveIntegerField(default=0, verbose_name="done"),
        ),
        migrations.RunPython(finished_imports_checked_every_row, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="learnerimport",
            name="created_at",
            field=models.DateTimeField(auto_now_add=True, verbose_name="requested at"),
        ),
        migrations.AlterField(
            model_name="learnerimport",
            name="error",
            field=models.TextField(blank=True, verbose_name="error"),
        ),
    ]
