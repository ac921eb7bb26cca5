"""TranscriptBatch builds on vetschool.jobs.BackgroundJob: `requested_by` is renamed
`created_by` (now nullable, as for every job), `started_at` is new; the rows are kept."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import vetschool.jobs


class Migration(migrations.Migration):

    dependencies = [
        ("grading", "0001_moved_from_training"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameField(
            model_name="transcriptbatch",
            old_name="requested_by",
            new_name="created_by",
        ),
        migrations.AlterField(
            model_name="transcriptbatch",
            name="created_by",
            field=models.ForeignKey(blank=True, null=True,
                                    on_delete=django.db.models.deletion.PROTECT,
                                    related_name="+", to=settings.AUTH_USER_MODEL,
                                    verbose_name="requested by"),
        ),
        migrations.AddField(
            model_name="transcriptbatch",
            name="started_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="started at"),
        ),
        migrations.AlterField(
            model_name="transcriptbatch",
            name="done",
            field=models.PositiveIntegerField(default=0, verbose_name="done"),
        ),
        migrations.AlterField(
            model_name="transcriptbatch",
            name="file",
            field=models.FileField(blank=True, max_length=200,
                                   upload_to=vetschool.jobs.job_file_path,
                                   verbose_name="file"),
        ),
        migrations.AlterField(
            model_name="transcriptbatch",
            name="total",
            field=models.PositiveIntegerField(default=0, verbose_name="total"),
        ),
    ]
