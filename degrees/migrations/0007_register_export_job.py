"""RegisterExportJob: a large selection of the diploma register exported (PDF/XLSX) by a
worker instead of in the request (issue #14)."""

import django.db.models.deletion
import vetschool.jobs
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('degrees', '0006_export_permissions'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='RegisterExportJob',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('status', models.CharField(choices=[('queued', 'Queued'), ('running', 'Running'), ('done', 'Done'), ('failed', 'Failed')], default='queued', max_length=10, verbose_name='status')),
                ('total', models.PositiveIntegerField(default=0, verbose_name='total')),
                ('done', models.PositiveIntegerField(default=0, verbose_name='done')),
                ('error', models.TextField(blank=True, verbose_name='error')),
                ('file', models.FileField(blank=True, max_length=200, upload_to=vetschool.jobs.job_file_path, verbose_name='file')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='requested at')),
                ('started_at', models.DateTimeField(blank=True, null=True, verbose_name='started at')),
                ('finished_at', models.DateTimeField(blank=True, null=True, verbose_name='finished at')),
                ('format', models.CharField(choices=[('pdf', 'PDF'), ('xlsx', 'XLSX')], max_length=4, verbose_name='format')),
                ('diploma_ids', models.JSONField(default=list, verbose_name='diplomas')),
                ('language', models.CharField(blank=True, max_length=10, verbose_name='language')),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='requested by')),
            ],
            options={
                'verbose_name': 'register export',
                'verbose_name_plural': 'register exports',
                'ordering': ['-created_at'],
                'abstract': False,
                'constraints': [models.CheckConstraint(condition=models.Q(('done__lte', models.F('total'))), name='register_export_progress')],
            },
        ),
    ]
