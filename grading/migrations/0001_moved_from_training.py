# The grading half of training became this app (issue #13). Its tables keep their training_*
# names, so the models are created in Django's state only; the database keeps its rows, the
# history and sync triggers and degrees' freeze triggers. What does change in the database:
# django-pgtrigger names a trigger after its model's app label, so the triggers installed
# under `training` are dropped and installed again under `grading`; and the content types
# (with the permissions and groups that hang on them) follow the models to the new label.

import django.contrib.postgres.fields
import django.core.validators
import django.db.models.deletion
import grading.models.results
import pgtrigger.compiler
import pgtrigger.migrations
from django.conf import settings
from django.db import migrations, models

MOVED_TABLES = [
    'training_gradebook', 'training_score', 'training_attendancesession', 'training_attendancemark',
    'training_eligibilitywaiver', 'training_improvementsitting', 'training_amendment',
    'training_gradebooklog', 'training_learnerround', 'training_moduleresult',
    'training_termsummary', 'training_standingreview', 'training_moduleexemption',
    'training_transcriptbatch',
]


def drop_triggers_named_for_training(apps, schema_editor):
    """Drop the django-pgtrigger triggers (and their functions) of the moved tables."""
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT t.tgname, c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE c.relname = ANY(%s) AND t.tgname LIKE 'pgtrigger\\_%%'", [MOVED_TABLES])
        for trigger, table in cursor.fetchall():
            qn = schema_editor.quote_name
            cursor.execute(f"DROP TRIGGER IF EXISTS {qn(trigger)} ON {qn(table)}")
            cursor.execute(f"DROP FUNCTION IF EXISTS {qn(trigger)}()")


def move_content_types(apps, schema_editor):
    """Content types, and so permissions and role groups, follow the models to `grading`."""
    ContentType = apps.get_model('contenttypes', 'ContentType')
    names = [table.removeprefix('training_') for table in MOVED_TABLES]
    names += [f'{name}event' for name in names]
    ContentType.objects.filter(app_label='grading', model__in=names).delete()
    ContentType.objects.filter(app_label='training', model__in=names).update(app_label='grading')


def move_content_types_back(apps, schema_editor):
    ContentType = apps.get_model('contenttypes', 'ContentType')
    names = [table.removeprefix('training_') for table in MOVED_TABLES]
    names += [f'{name}event' for name in names]
    ContentType.objects.filter(app_label='grading', model__in=names).update(app_label='training')


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('enrollment', '0003_status_change_decision_has_reason'),
        ('pghistory', '0007_auto_20250421_0444'),
        ('training', '0004_grading_moved_out'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Amendment',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('continuous', 'Continuous check (kiểm tra thường xuyên)'), ('periodic', 'Periodic check (kiểm tra định kỳ)'), ('exam', 'Final exam (thi kết thúc)')], max_length=12, verbose_name='component')),
                        ('number', models.PositiveSmallIntegerField(verbose_name='number')),
                        ('old_score', models.DecimalField(blank=True, decimal_places=1, max_digits=3, null=True, verbose_name='old score')),
                        ('old_mark', models.CharField(blank=True, choices=[('', '(score)'), ('V', 'Absent with permission'), ('KP', 'Absent without permission')], max_length=2, verbose_name='old reason code')),
                        ('new_score', models.DecimalField(blank=True, decimal_places=1, max_digits=3, null=True, verbose_name='new score')),
                        ('new_mark', models.CharField(blank=True, choices=[('', '(score)'), ('V', 'Absent with permission'), ('KP', 'Absent without permission')], max_length=2, verbose_name='new reason code')),
                        ('reason', models.TextField(verbose_name='reason')),
                        ('evidence', models.CharField(blank=True, help_text='E.g. the re-marking record or the decision number.', max_length=300, verbose_name='evidence')),
                        ('status', models.CharField(choices=[('requested', 'Requested'), ('approved', 'Approved'), ('rejected', 'Rejected'), ('withdrawn', 'Withdrawn')], db_index=True, default='requested', max_length=10, verbose_name='status')),
                        ('requested_at', models.DateTimeField(verbose_name='requested at')),
                        ('decided_at', models.DateTimeField(blank=True, null=True, verbose_name='decided at')),
                        ('decision_note', models.TextField(blank=True, verbose_name='decision note')),
                        ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='decided by')),
                        ('requested_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='requested by')),
                        ('section_learner', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='amendments', to='training.sectionlearner', verbose_name='learner')),
                    ],
                    options={
                        'verbose_name': 'score amendment',
                        'verbose_name_plural': 'score amendments',
                        'db_table': 'training_amendment',
                        'ordering': ['gradebook', '-requested_at'],
                    },
                ),
                migrations.CreateModel(
                    name='AttendanceMark',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('status', models.CharField(choices=[('present', 'Present'), ('excused', 'Absent with permission'), ('unexcused', 'Absent without permission')], max_length=10, verbose_name='attendance')),
                        ('absent_hours', models.DecimalField(decimal_places=1, default=0, max_digits=3, verbose_name='hours absent')),
                        ('made_up', models.BooleanField(default=False, help_text='The excused absence was made up (học bù).', verbose_name='made up')),
                        ('locked', models.BooleanField(default=False, verbose_name='locked')),
                        ('version', models.PositiveIntegerField(default=0, verbose_name='written at version')),
                        ('updated_at', models.DateTimeField(verbose_name='recorded at')),
                        ('section_learner', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='attendance_marks', to='training.sectionlearner', verbose_name='learner')),
                        ('updated_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='recorded by')),
                    ],
                    options={
                        'verbose_name': 'absence',
                        'verbose_name_plural': 'absences',
                        'db_table': 'training_attendancemark',
                        'ordering': ['session', 'section_learner'],
                    },
                ),
                migrations.CreateModel(
                    name='AttendanceSession',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('date', models.DateField(verbose_name='date')),
                        ('ordinal', models.PositiveSmallIntegerField(default=1, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(4)], verbose_name='session of the day')),
                        ('kind', models.CharField(choices=[('theory', 'Theory'), ('practice', 'Practice / integrated')], max_length=10, verbose_name='kind')),
                        ('hours', models.DecimalField(decimal_places=1, max_digits=3, validators=[django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(12)], verbose_name='hours')),
                        ('topic', models.CharField(blank=True, max_length=200, verbose_name='topic')),
                        ('locked', models.BooleanField(default=False, verbose_name='locked')),
                        ('version', models.PositiveIntegerField(default=0, verbose_name='written at version')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='recorded at')),
                        ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='recorded by')),
                    ],
                    options={
                        'verbose_name': 'class session',
                        'verbose_name_plural': 'class sessions',
                        'db_table': 'training_attendancesession',
                        'ordering': ['gradebook', 'date', 'ordinal'],
                    },
                ),
                migrations.CreateModel(
                    name='AttendanceMarkEvent',
                    fields=[
                        ('pgh_id', models.AutoField(primary_key=True, serialize=False)),
                        ('pgh_created_at', models.DateTimeField(auto_now_add=True)),
                        ('pgh_label', models.TextField(help_text='The event label.')),
                        ('id', models.BigIntegerField()),
                        ('status', models.CharField(choices=[('present', 'Present'), ('excused', 'Absent with permission'), ('unexcused', 'Absent without permission')], max_length=10, verbose_name='attendance')),
                        ('absent_hours', models.DecimalField(decimal_places=1, default=0, max_digits=3, verbose_name='hours absent')),
                        ('made_up', models.BooleanField(default=False, help_text='The excused absence was made up (học bù).', verbose_name='made up')),
                        ('locked', models.BooleanField(default=False, verbose_name='locked')),
                        ('version', models.PositiveIntegerField(default=0, verbose_name='written at version')),
                        ('updated_at', models.DateTimeField(verbose_name='recorded at')),
                        ('pgh_context', models.ForeignKey(db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='pghistory.context')),
                        ('pgh_obj', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='events', to='grading.attendancemark')),
                        ('section_learner', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', related_query_name='+', to='training.sectionlearner', verbose_name='learner')),
                        ('updated_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', related_query_name='+', to=settings.AUTH_USER_MODEL, verbose_name='recorded by')),
                        ('session', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', related_query_name='+', to='grading.attendancesession', verbose_name='session')),
                    ],
                    options={
                        'db_table': 'training_attendancemarkevent',
                        'abstract': False,
                    },
                ),
                migrations.AddField(
                    model_name='attendancemark',
                    name='session',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='marks', to='grading.attendancesession', verbose_name='session'),
                ),
                migrations.CreateModel(
                    name='EligibilityWaiver',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('decision_number', models.CharField(max_length=50, verbose_name='decision number')),
                        ('reason', models.TextField(verbose_name='reason')),
                        ('granted_at', models.DateTimeField(auto_now_add=True, verbose_name='recorded at')),
                        ('granted_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='recorded by')),
                        ('section_learner', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='eligibility_waiver', to='training.sectionlearner', verbose_name='learner')),
                    ],
                    options={
                        'verbose_name': 'attendance waiver',
                        'verbose_name_plural': 'attendance waivers',
                        'db_table': 'training_eligibilitywaiver',
                    },
                ),
                migrations.CreateModel(
                    name='EligibilityWaiverEvent',
                    fields=[
                        ('pgh_id', models.AutoField(primary_key=True, serialize=False)),
                        ('pgh_created_at', models.DateTimeField(auto_now_add=True)),
                        ('pgh_label', models.TextField(help_text='The event label.')),
                        ('id', models.BigIntegerField()),
                        ('decision_number', models.CharField(max_length=50, verbose_name='decision number')),
                        ('reason', models.TextField(verbose_name='reason')),
                        ('granted_at', models.DateTimeField(auto_now_add=True, verbose_name='recorded at')),
                        ('granted_by', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', related_query_name='+', to=settings.AUTH_USER_MODEL, verbose_name='recorded by')),
                        ('pgh_context', models.ForeignKey(db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='pghistory.context')),
                        ('pgh_obj', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='events', to='grading.eligibilitywaiver')),
                        ('section_learner', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', related_query_name='+', to='training.sectionlearner', verbose_name='learner')),
                    ],
                    options={
                        'db_table': 'training_eligibilitywaiverevent',
                        'abstract': False,
                    },
                ),
                migrations.CreateModel(
                    name='Gradebook',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('sitting', models.PositiveSmallIntegerField(default=1, help_text='1: checks and main exam; 2: retake exam.', validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(4)], verbose_name='exam session')),
                        ('status', models.CharField(choices=[('draft', 'Draft'), ('submitted', 'Submitted for approval'), ('returned', 'Returned to the teacher'), ('approved', 'Approved (locked)')], db_index=True, default='draft', max_length=10, verbose_name='status')),
                        ('version', models.PositiveIntegerField(default=0, help_text='Raised by every change; a save based on an older version of a changed cell is refused as a conflict.', verbose_name='version')),
                        ('complete', models.BooleanField(default=False, help_text='Every learner has what the regulation needs: nothing left to enter.', verbose_name='complete')),
                        ('status_changed_at', models.DateTimeField(blank=True, null=True, verbose_name='status since')),
                        ('return_reason', models.TextField(blank=True, verbose_name='reason for returning')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                        ('section', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='gradebook', to='training.section', verbose_name='section')),
                        ('status_changed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='status changed by')),
                    ],
                    options={
                        'verbose_name': 'gradebook',
                        'verbose_name_plural': 'gradebooks',
                        'db_table': 'training_gradebook',
                        'ordering': ['section'],
                    },
                ),
                migrations.CreateModel(
                    name='AttendanceSessionEvent',
                    fields=[
                        ('pgh_id', models.AutoField(primary_key=True, serialize=False)),
                        ('pgh_created_at', models.DateTimeField(auto_now_add=True)),
                        ('pgh_label', models.TextField(help_text='The event label.')),
                        ('id', models.BigIntegerField()),
                        ('date', models.DateField(verbose_name='date')),
                        ('ordinal', models.PositiveSmallIntegerField(default=1, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(4)], verbose_name='session of the day')),
                        ('kind', models.CharField(choices=[('theory', 'Theory'), ('practice', 'Practice / integrated')], max_length=10, verbose_name='kind')),
                        ('hours', models.DecimalField(decimal_places=1, max_digits=3, validators=[django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(12)], verbose_name='hours')),
                        ('topic', models.CharField(blank=True, max_length=200, verbose_name='topic')),
                        ('locked', models.BooleanField(default=False, verbose_name='locked')),
                        ('version', models.PositiveIntegerField(default=0, verbose_name='written at version')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='recorded at')),
                        ('created_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', related_query_name='+', to=settings.AUTH_USER_MODEL, verbose_name='recorded by')),
                        ('pgh_context', models.ForeignKey(db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='pghistory.context')),
                        ('pgh_obj', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='events', to='grading.attendancesession')),
                        ('gradebook', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', related_query_name='+', to='grading.gradebook', verbose_name='gradebook')),
                    ],
                    options={
                        'db_table': 'training_attendancesessionevent',
                        'abstract': False,
                    },
                ),
                migrations.AddField(
                    model_name='attendancesession',
                    name='gradebook',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='attendance_sessions', to='grading.gradebook', verbose_name='gradebook'),
                ),
                migrations.CreateModel(
                    name='AmendmentEvent',
                    fields=[
                        ('pgh_id', models.AutoField(primary_key=True, serialize=False)),
                        ('pgh_created_at', models.DateTimeField(auto_now_add=True)),
                        ('pgh_label', models.TextField(help_text='The event label.')),
                        ('id', models.BigIntegerField()),
                        ('kind', models.CharField(choices=[('continuous', 'Continuous check (kiểm tra thường xuyên)'), ('periodic', 'Periodic check (kiểm tra định kỳ)'), ('exam', 'Final exam (thi kết thúc)')], max_length=12, verbose_name='component')),
                        ('number', models.PositiveSmallIntegerField(verbose_name='number')),
                        ('old_score', models.DecimalField(blank=True, decimal_places=1, max_digits=3, null=True, verbose_name='old score')),
                        ('old_mark', models.CharField(blank=True, choices=[('', '(score)'), ('V', 'Absent with permission'), ('KP', 'Absent without permission')], max_length=2, verbose_name='old reason code')),
                        ('new_score', models.DecimalField(blank=True, decimal_places=1, max_digits=3, null=True, verbose_name='new score')),
                        ('new_mark', models.CharField(blank=True, choices=[('', '(score)'), ('V', 'Absent with permission'), ('KP', 'Absent without permission')], max_length=2, verbose_name='new reason code')),
                        ('reason', models.TextField(verbose_name='reason')),
                        ('evidence', models.CharField(blank=True, help_text='E.g. the re-marking record or the decision number.', max_length=300, verbose_name='evidence')),
                        ('status', models.CharField(choices=[('requested', 'Requested'), ('approved', 'Approved'), ('rejected', 'Rejected'), ('withdrawn', 'Withdrawn')], default='requested', max_length=10, verbose_name='status')),
                        ('requested_at', models.DateTimeField(verbose_name='requested at')),
                        ('decided_at', models.DateTimeField(blank=True, null=True, verbose_name='decided at')),
                        ('decision_note', models.TextField(blank=True, verbose_name='decision note')),
                        ('decided_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', related_query_name='+', to=settings.AUTH_USER_MODEL, verbose_name='decided by')),
                        ('pgh_context', models.ForeignKey(db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='pghistory.context')),
                        ('pgh_obj', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='events', to='grading.amendment')),
                        ('requested_by', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', related_query_name='+', to=settings.AUTH_USER_MODEL, verbose_name='requested by')),
                        ('section_learner', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', related_query_name='+', to='training.sectionlearner', verbose_name='learner')),
                        ('gradebook', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', related_query_name='+', to='grading.gradebook', verbose_name='gradebook')),
                    ],
                    options={
                        'db_table': 'training_amendmentevent',
                        'abstract': False,
                    },
                ),
                migrations.AddField(
                    model_name='amendment',
                    name='gradebook',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='amendments', to='grading.gradebook', verbose_name='gradebook'),
                ),
                migrations.CreateModel(
                    name='GradebookEvent',
                    fields=[
                        ('pgh_id', models.AutoField(primary_key=True, serialize=False)),
                        ('pgh_created_at', models.DateTimeField(auto_now_add=True)),
                        ('pgh_label', models.TextField(help_text='The event label.')),
                        ('id', models.BigIntegerField()),
                        ('sitting', models.PositiveSmallIntegerField(default=1, help_text='1: checks and main exam; 2: retake exam.', validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(4)], verbose_name='exam session')),
                        ('status', models.CharField(choices=[('draft', 'Draft'), ('submitted', 'Submitted for approval'), ('returned', 'Returned to the teacher'), ('approved', 'Approved (locked)')], default='draft', max_length=10, verbose_name='status')),
                        ('version', models.PositiveIntegerField(default=0, help_text='Raised by every change; a save based on an older version of a changed cell is refused as a conflict.', verbose_name='version')),
                        ('complete', models.BooleanField(default=False, help_text='Every learner has what the regulation needs: nothing left to enter.', verbose_name='complete')),
                        ('status_changed_at', models.DateTimeField(blank=True, null=True, verbose_name='status since')),
                        ('return_reason', models.TextField(blank=True, verbose_name='reason for returning')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                        ('pgh_context', models.ForeignKey(db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='pghistory.context')),
                        ('pgh_obj', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='events', to='grading.gradebook')),
                        ('section', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', related_query_name='+', to='training.section', verbose_name='section')),
                        ('status_changed_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', related_query_name='+', to=settings.AUTH_USER_MODEL, verbose_name='status changed by')),
                    ],
                    options={
                        'db_table': 'training_gradebookevent',
                        'abstract': False,
                    },
                ),
                migrations.CreateModel(
                    name='GradebookLog',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('action', models.CharField(max_length=60, verbose_name='action')),
                        ('sitting', models.PositiveSmallIntegerField(verbose_name='exam session')),
                        ('note', models.TextField(blank=True, verbose_name='note')),
                        ('at', models.DateTimeField(auto_now_add=True, verbose_name='at')),
                        ('by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='by')),
                        ('gradebook', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='log', to='grading.gradebook', verbose_name='gradebook')),
                    ],
                    options={
                        'verbose_name': 'gradebook log entry',
                        'verbose_name_plural': 'gradebook log',
                        'db_table': 'training_gradebooklog',
                        'ordering': ['gradebook', 'at', 'id'],
                    },
                ),
                migrations.CreateModel(
                    name='ImprovementSitting',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('sitting', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(2), django.core.validators.MaxValueValidator(4)], verbose_name='exam session')),
                        ('decision_number', models.CharField(max_length=50, verbose_name='decision number')),
                        ('reason', models.TextField(blank=True, verbose_name='reason')),
                        ('granted_at', models.DateTimeField(auto_now_add=True, verbose_name='recorded at')),
                        ('granted_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='recorded by')),
                        ('section_learner', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='improvement_sittings', to='training.sectionlearner', verbose_name='learner')),
                    ],
                    options={
                        'verbose_name': 'improvement sitting',
                        'verbose_name_plural': 'improvement sittings',
                        'db_table': 'training_improvementsitting',
                    },
                ),
                migrations.CreateModel(
                    name='ImprovementSittingEvent',
                    fields=[
                        ('pgh_id', models.AutoField(primary_key=True, serialize=False)),
                        ('pgh_created_at', models.DateTimeField(auto_now_add=True)),
                        ('pgh_label', models.TextField(help_text='The event label.')),
                        ('id', models.BigIntegerField()),
                        ('sitting', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(2), django.core.validators.MaxValueValidator(4)], verbose_name='exam session')),
                        ('decision_number', models.CharField(max_length=50, verbose_name='decision number')),
                        ('reason', models.TextField(blank=True, verbose_name='reason')),
                        ('granted_at', models.DateTimeField(auto_now_add=True, verbose_name='recorded at')),
                        ('granted_by', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', related_query_name='+', to=settings.AUTH_USER_MODEL, verbose_name='recorded by')),
                        ('pgh_context', models.ForeignKey(db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='pghistory.context')),
                        ('pgh_obj', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='events', to='grading.improvementsitting')),
                        ('section_learner', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', related_query_name='+', to='training.sectionlearner', verbose_name='learner')),
                    ],
                    options={
                        'db_table': 'training_improvementsittingevent',
                        'abstract': False,
                    },
                ),
                migrations.CreateModel(
                    name='LearnerRound',
                    fields=[
                        ('section_learner', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, primary_key=True, related_name='round', serialize=False, to='training.sectionlearner', verbose_name='learner of a section')),
                        ('checks_average', models.DecimalField(blank=True, decimal_places=1, max_digits=3, null=True, verbose_name='checks average')),
                        ('eligible', models.BooleanField(verbose_name='eligible for the exam')),
                        ('ineligibility_reasons', django.contrib.postgres.fields.ArrayField(base_field=models.CharField(max_length=30), blank=True, default=list, size=None, verbose_name='reasons')),
                        ('attendance_waived', models.BooleanField(default=False, verbose_name='attendance waived')),
                        ('theory_attended_hours', models.DecimalField(decimal_places=1, default=0, max_digits=6, verbose_name='theory hours attended')),
                        ('practice_excused_hours', models.DecimalField(decimal_places=1, default=0, max_digits=6, verbose_name='practice hours absent (excused)')),
                        ('practice_unexcused_hours', models.DecimalField(decimal_places=1, default=0, max_digits=6, verbose_name='practice hours absent (unexcused)')),
                        ('sittings', django.contrib.postgres.fields.ArrayField(base_field=models.CharField(max_length=20), blank=True, default=list, help_text='Approved exam results in session order: a score, ABSENT_UNEXCUSED or ABSENT_EXCUSED.', size=None, verbose_name='exam sittings')),
                        ('improvement', models.BooleanField(default=False, verbose_name='improvement round')),
                        ('computed_at', models.DateTimeField(auto_now=True, verbose_name='computed at')),
                        ('enrollment', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='enrollment.enrollment', verbose_name='enrolment')),
                        ('module', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='training.module', verbose_name='module')),
                        ('semester', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='training.semester', verbose_name='semester')),
                        ('term', models.ForeignKey(help_text='The main semester the results count in (a summer term counts with the semester before it).', on_delete=django.db.models.deletion.PROTECT, related_name='+', to='training.semester', verbose_name='term')),
                    ],
                    options={
                        'verbose_name': 'study round',
                        'verbose_name_plural': 'study rounds',
                        'db_table': 'training_learnerround',
                    },
                ),
                migrations.CreateModel(
                    name='LearnerRoundEvent',
                    fields=[
                        ('pgh_id', models.AutoField(primary_key=True, serialize=False)),
                        ('pgh_created_at', models.DateTimeField(auto_now_add=True)),
                        ('pgh_label', models.TextField(help_text='The event label.')),
                        ('checks_average', models.DecimalField(blank=True, decimal_places=1, max_digits=3, null=True, verbose_name='checks average')),
                        ('eligible', models.BooleanField(verbose_name='eligible for the exam')),
                        ('ineligibility_reasons', django.contrib.postgres.fields.ArrayField(base_field=models.CharField(max_length=30), blank=True, default=list, size=None, verbose_name='reasons')),
                        ('attendance_waived', models.BooleanField(default=False, verbose_name='attendance waived')),
                        ('theory_attended_hours', models.DecimalField(decimal_places=1, default=0, max_digits=6, verbose_name='theory hours attended')),
                        ('practice_excused_hours', models.DecimalField(decimal_places=1, default=0, max_digits=6, verbose_name='practice hours absent (excused)')),
                        ('practice_unexcused_hours', models.DecimalField(decimal_places=1, default=0, max_digits=6, verbose_name='practice hours absent (unexcused)')),
                        ('sittings', django.contrib.postgres.fields.ArrayField(base_field=models.CharField(max_length=20), blank=True, default=list, help_text='Approved exam results in session order: a score, ABSENT_UNEXCUSED or ABSENT_EXCUSED.', size=None, verbose_name='exam sittings')),
                        ('improvement', models.BooleanField(default=False, verbose_name='improvement round')),
                        ('enrollment', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', related_query_name='+', to='enrollment.enrollment', verbose_name='enrolment')),
                        ('module', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', related_query_name='+', to='training.module', verbose_name='module')),
                        ('pgh_context', models.ForeignKey(db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='pghistory.context')),
                        ('pgh_obj', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='events', to='grading.learnerround')),
                        ('section_learner', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', related_query_name='+', serialize=False, to='training.sectionlearner', verbose_name='learner of a section')),
                        ('semester', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', related_query_name='+', to='training.semester', verbose_name='semester')),
                        ('term', models.ForeignKey(db_constraint=False, help_text='The main semester the results count in (a summer term counts with the semester before it).', on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', related_query_name='+', to='training.semester', verbose_name='term')),
                    ],
                    options={
                        'db_table': 'training_learnerroundevent',
                        'abstract': False,
                    },
                ),
                migrations.CreateModel(
                    name='ModuleExemption',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('decision_number', models.CharField(max_length=50, verbose_name='decision number')),
                        ('reason', models.TextField(verbose_name='reason')),
                        ('granted_at', models.DateTimeField(auto_now_add=True, verbose_name='recorded at')),
                        ('enrollment', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='module_exemptions', to='enrollment.enrollment', verbose_name='enrolment')),
                        ('granted_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='recorded by')),
                        ('module', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='exemptions', to='training.module', verbose_name='module')),
                    ],
                    options={
                        'verbose_name': 'module exemption',
                        'verbose_name_plural': 'module exemptions',
                        'db_table': 'training_moduleexemption',
                    },
                ),
                migrations.CreateModel(
                    name='ModuleExemptionEvent',
                    fields=[
                        ('pgh_id', models.AutoField(primary_key=True, serialize=False)),
                        ('pgh_created_at', models.DateTimeField(auto_now_add=True)),
                        ('pgh_label', models.TextField(help_text='The event label.')),
                        ('id', models.BigIntegerField()),
                        ('decision_number', models.CharField(max_length=50, verbose_name='decision number')),
                        ('reason', models.TextField(verbose_name='reason')),
                        ('granted_at', models.DateTimeField(auto_now_add=True, verbose_name='recorded at')),
                        ('enrollment', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', related_query_name='+', to='enrollment.enrollment', verbose_name='enrolment')),
                        ('granted_by', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', related_query_name='+', to=settings.AUTH_USER_MODEL, verbose_name='recorded by')),
                        ('module', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', related_query_name='+', to='training.module', verbose_name='module')),
                        ('pgh_context', models.ForeignKey(db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='pghistory.context')),
                        ('pgh_obj', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='events', to='grading.moduleexemption')),
                    ],
                    options={
                        'db_table': 'training_moduleexemptionevent',
                        'abstract': False,
                    },
                ),
                migrations.CreateModel(
                    name='ModuleResult',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('score_10', models.DecimalField(blank=True, decimal_places=1, max_digits=3, null=True, verbose_name='score (10-point)')),
                        ('letter', models.CharField(blank=True, choices=[('A', 'A'), ('B', 'B'), ('C', 'C'), ('D', 'D'), ('F', 'F')], max_length=1, verbose_name='letter')),
                        ('score_4', models.DecimalField(blank=True, decimal_places=1, max_digits=3, null=True, verbose_name='score (4-point)')),
                        ('passed', models.BooleanField(default=False, verbose_name='passed')),
                        ('attempts', models.PositiveSmallIntegerField(default=0, verbose_name='exam attempts')),
                        ('had_to_retake', models.BooleanField(default=False, verbose_name='had to retake')),
                        ('had_to_restudy', models.BooleanField(default=False, verbose_name='had to re-study')),
                        ('status', models.CharField(choices=[('passed', 'Passed'), ('retake_due', 'Retake exam due'), ('must_restudy', 'Must re-study'), ('pending', 'Pending'), ('exempted', 'Exempted')], max_length=12, verbose_name='status')),
                        ('credits', models.PositiveSmallIntegerField(verbose_name='credits')),
                        ('counts_in_gpa', models.BooleanField(verbose_name='counts in GPA')),
                        ('computed_at', models.DateTimeField(auto_now=True, verbose_name='computed at')),
                        ('enrollment', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='module_results', to='enrollment.enrollment', verbose_name='enrolment')),
                        ('last_term', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='training.semester', verbose_name='last term studied')),
                        ('module', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='results', to='training.module', verbose_name='module')),
                        ('term', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='training.semester', verbose_name='term of the counted result')),
                    ],
                    options={
                        'verbose_name': 'module result',
                        'verbose_name_plural': 'module results',
                        'db_table': 'training_moduleresult',
                        'ordering': ['enrollment', 'module'],
                    },
                ),
                migrations.CreateModel(
                    name='ModuleResultEvent',
                    fields=[
                        ('pgh_id', models.AutoField(primary_key=True, serialize=False)),
                        ('pgh_created_at', models.DateTimeField(auto_now_add=True)),
                        ('pgh_label', models.TextField(help_text='The event label.')),
                        ('id', models.BigIntegerField()),
                        ('score_10', models.DecimalField(blank=True, decimal_places=1, max_digits=3, null=True, verbose_name='score (10-point)')),
                        ('letter', models.CharField(blank=True, choices=[('A', 'A'), ('B', 'B'), ('C', 'C'), ('D', 'D'), ('F', 'F')], max_length=1, verbose_name='letter')),
                        ('score_4', models.DecimalField(blank=True, decimal_places=1, max_digits=3, null=True, verbose_name='score (4-point)')),
                        ('passed', models.BooleanField(default=False, verbose_name='passed')),
                        ('attempts', models.PositiveSmallIntegerField(default=0, verbose_name='exam attempts')),
                        ('had_to_retake', models.BooleanField(default=False, verbose_name='had to retake')),
                        ('had_to_restudy', models.BooleanField(default=False, verbose_name='had to re-study')),
                        ('status', models.CharField(choices=[('passed', 'Passed'), ('retake_due', 'Retake exam due'), ('must_restudy', 'Must re-study'), ('pending', 'Pending'), ('exempted', 'Exempted')], max_length=12, verbose_name='status')),
                        ('credits', models.PositiveSmallIntegerField(verbose_name='credits')),
                        ('counts_in_gpa', models.BooleanField(verbose_name='counts in GPA')),
                        ('enrollment', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', related_query_name='+', to='enrollment.enrollment', verbose_name='enrolment')),
                        ('last_term', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', related_query_name='+', to='training.semester', verbose_name='last term studied')),
                        ('module', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', related_query_name='+', to='training.module', verbose_name='module')),
                        ('pgh_context', models.ForeignKey(db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='pghistory.context')),
                        ('pgh_obj', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='events', to='grading.moduleresult')),
                        ('term', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', related_query_name='+', to='training.semester', verbose_name='term of the counted result')),
                    ],
                    options={
                        'db_table': 'training_moduleresultevent',
                        'abstract': False,
                    },
                ),
                migrations.CreateModel(
                    name='Score',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('continuous', 'Continuous check (kiểm tra thường xuyên)'), ('periodic', 'Periodic check (kiểm tra định kỳ)'), ('exam', 'Final exam (thi kết thúc)')], max_length=12, verbose_name='component')),
                        ('number', models.PositiveSmallIntegerField(help_text='Check number, or exam session (1 main, 2 retake).', validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(10)], verbose_name='number')),
                        ('score', models.DecimalField(blank=True, decimal_places=1, max_digits=3, null=True, verbose_name='score')),
                        ('mark', models.CharField(blank=True, choices=[('', '(score)'), ('V', 'Absent with permission'), ('KP', 'Absent without permission')], max_length=2, verbose_name='reason code')),
                        ('locked', models.BooleanField(default=False, help_text='Approved: the database refuses any change.', verbose_name='locked')),
                        ('version', models.PositiveIntegerField(default=0, verbose_name='written at version')),
                        ('updated_at', models.DateTimeField(verbose_name='entered at')),
                        ('gradebook', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='scores', to='grading.gradebook', verbose_name='gradebook')),
                        ('section_learner', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='scores', to='training.sectionlearner', verbose_name='learner')),
                        ('updated_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='entered by')),
                    ],
                    options={
                        'verbose_name': 'score',
                        'verbose_name_plural': 'scores',
                        'db_table': 'training_score',
                        'ordering': ['section_learner', 'kind', 'number'],
                    },
                ),
                migrations.CreateModel(
                    name='ScoreEvent',
                    fields=[
                        ('pgh_id', models.AutoField(primary_key=True, serialize=False)),
                        ('pgh_created_at', models.DateTimeField(auto_now_add=True)),
                        ('pgh_label', models.TextField(help_text='The event label.')),
                        ('id', models.BigIntegerField()),
                        ('kind', models.CharField(choices=[('continuous', 'Continuous check (kiểm tra thường xuyên)'), ('periodic', 'Periodic check (kiểm tra định kỳ)'), ('exam', 'Final exam (thi kết thúc)')], max_length=12, verbose_name='component')),
                        ('number', models.PositiveSmallIntegerField(help_text='Check number, or exam session (1 main, 2 retake).', validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(10)], verbose_name='number')),
                        ('score', models.DecimalField(blank=True, decimal_places=1, max_digits=3, null=True, verbose_name='score')),
                        ('mark', models.CharField(blank=True, choices=[('', '(score)'), ('V', 'Absent with permission'), ('KP', 'Absent without permission')], max_length=2, verbose_name='reason code')),
                        ('locked', models.BooleanField(default=False, help_text='Approved: the database refuses any change.', verbose_name='locked')),
                        ('version', models.PositiveIntegerField(default=0, verbose_name='written at version')),
                        ('updated_at', models.DateTimeField(verbose_name='entered at')),
                        ('gradebook', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', related_query_name='+', to='grading.gradebook', verbose_name='gradebook')),
                        ('pgh_context', models.ForeignKey(db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='pghistory.context')),
                        ('pgh_obj', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='events', to='grading.score')),
                        ('section_learner', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', related_query_name='+', to='training.sectionlearner', verbose_name='learner')),
                        ('updated_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', related_query_name='+', to=settings.AUTH_USER_MODEL, verbose_name='entered by')),
                    ],
                    options={
                        'db_table': 'training_scoreevent',
                        'abstract': False,
                    },
                ),
                migrations.CreateModel(
                    name='StandingReview',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('decision_number', models.CharField(max_length=50, verbose_name='decision number')),
                        ('decision_date', models.DateField(verbose_name='decision date')),
                        ('note', models.TextField(blank=True, verbose_name='note')),
                        ('closed_at', models.DateTimeField(auto_now_add=True, verbose_name='closed at')),
                        ('closed_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='closed by')),
                        ('semester', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='standing_review', to='training.semester', verbose_name='semester')),
                    ],
                    options={
                        'verbose_name': 'standing review',
                        'verbose_name_plural': 'standing reviews',
                        'db_table': 'training_standingreview',
                        'ordering': ['-closed_at'],
                    },
                ),
                migrations.CreateModel(
                    name='TermSummary',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('semester_index', models.PositiveSmallIntegerField(help_text='Main semesters studied since admission.', verbose_name='semester of study')),
                        ('gpa_4', models.DecimalField(blank=True, decimal_places=2, max_digits=4, null=True, verbose_name='semester GPA (4-point)')),
                        ('gpa_10', models.DecimalField(blank=True, decimal_places=2, max_digits=4, null=True, verbose_name='semester GPA (10-point)')),
                        ('credits_in_gpa', models.PositiveSmallIntegerField(default=0, verbose_name='credits in the semester GPA')),
                        ('credits_earned', models.PositiveSmallIntegerField(default=0, verbose_name='credits earned in the semester')),
                        ('cumulative_gpa_4', models.DecimalField(blank=True, decimal_places=2, max_digits=4, null=True, verbose_name='cumulative GPA (4-point)')),
                        ('cumulative_gpa_10', models.DecimalField(blank=True, decimal_places=2, max_digits=4, null=True, verbose_name='cumulative GPA (10-point)')),
                        ('cumulative_credits_in_gpa', models.PositiveSmallIntegerField(default=0, verbose_name='credits in the cumulative GPA')),
                        ('cumulative_credits_earned', models.PositiveSmallIntegerField(default=0, verbose_name='credits earned')),
                        ('outstanding_f_credits', models.PositiveSmallIntegerField(default=0, verbose_name='outstanding F credits')),
                        ('outstanding_f_modules', models.PositiveSmallIntegerField(default=0, verbose_name='outstanding F modules')),
                        ('standing', models.CharField(choices=[('normal', 'Normal'), ('warning', 'Academic warning'), ('dismissed', 'Dismissed for academic results')], max_length=10, verbose_name='standing')),
                        ('reasons', django.contrib.postgres.fields.ArrayField(base_field=models.CharField(max_length=30), blank=True, default=list, size=None, verbose_name='reasons')),
                        ('consecutive_warnings', models.PositiveSmallIntegerField(default=0, verbose_name='consecutive warnings')),
                        ('exceeded_max_duration', models.BooleanField(default=False, verbose_name='maximum study time exceeded')),
                        ('classification', models.CharField(blank=True, choices=[('excellent', 'Excellent'), ('very_good', 'Very good'), ('good', 'Good'), ('average', 'Average'), ('weak', 'Weak')], max_length=10, verbose_name='classification')),
                        ('classification_downgraded', models.BooleanField(default=False, verbose_name='classification lowered')),
                        ('retaken_modules', models.PositiveSmallIntegerField(default=0, verbose_name='modules retaken')),
                        ('computed_at', models.DateTimeField(auto_now=True, verbose_name='computed at')),
                        ('enrollment', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='term_summaries', to='enrollment.enrollment', verbose_name='enrolment')),
                        ('semester', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='training.semester', verbose_name='semester')),
                    ],
                    options={
                        'verbose_name': 'semester summary',
                        'verbose_name_plural': 'semester summaries',
                        'db_table': 'training_termsummary',
                        'ordering': ['enrollment', 'semester__school_year__start_year', 'semester__number'],
                    },
                ),
                migrations.CreateModel(
                    name='TermSummaryEvent',
                    fields=[
                        ('pgh_id', models.AutoField(primary_key=True, serialize=False)),
                        ('pgh_created_at', models.DateTimeField(auto_now_add=True)),
                        ('pgh_label', models.TextField(help_text='The event label.')),
                        ('id', models.BigIntegerField()),
                        ('semester_index', models.PositiveSmallIntegerField(help_text='Main semesters studied since admission.', verbose_name='semester of study')),
                        ('gpa_4', models.DecimalField(blank=True, decimal_places=2, max_digits=4, null=True, verbose_name='semester GPA (4-point)')),
                        ('gpa_10', models.DecimalField(blank=True, decimal_places=2, max_digits=4, null=True, verbose_name='semester GPA (10-point)')),
                        ('credits_in_gpa', models.PositiveSmallIntegerField(default=0, verbose_name='credits in the semester GPA')),
                        ('credits_earned', models.PositiveSmallIntegerField(default=0, verbose_name='credits earned in the semester')),
                        ('cumulative_gpa_4', models.DecimalField(blank=True, decimal_places=2, max_digits=4, null=True, verbose_name='cumulative GPA (4-point)')),
                        ('cumulative_gpa_10', models.DecimalField(blank=True, decimal_places=2, max_digits=4, null=True, verbose_name='cumulative GPA (10-point)')),
                        ('cumulative_credits_in_gpa', models.PositiveSmallIntegerField(default=0, verbose_name='credits in the cumulative GPA')),
                        ('cumulative_credits_earned', models.PositiveSmallIntegerField(default=0, verbose_name='credits earned')),
                        ('outstanding_f_credits', models.PositiveSmallIntegerField(default=0, verbose_name='outstanding F credits')),
                        ('outstanding_f_modules', models.PositiveSmallIntegerField(default=0, verbose_name='outstanding F modules')),
                        ('standing', models.CharField(choices=[('normal', 'Normal'), ('warning', 'Academic warning'), ('dismissed', 'Dismissed for academic results')], max_length=10, verbose_name='standing')),
                        ('reasons', django.contrib.postgres.fields.ArrayField(base_field=models.CharField(max_length=30), blank=True, default=list, size=None, verbose_name='reasons')),
                        ('consecutive_warnings', models.PositiveSmallIntegerField(default=0, verbose_name='consecutive warnings')),
                        ('exceeded_max_duration', models.BooleanField(default=False, verbose_name='maximum study time exceeded')),
                        ('classification', models.CharField(blank=True, choices=[('excellent', 'Excellent'), ('very_good', 'Very good'), ('good', 'Good'), ('average', 'Average'), ('weak', 'Weak')], max_length=10, verbose_name='classification')),
                        ('classification_downgraded', models.BooleanField(default=False, verbose_name='classification lowered')),
                        ('retaken_modules', models.PositiveSmallIntegerField(default=0, verbose_name='modules retaken')),
                        ('enrollment', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', related_query_name='+', to='enrollment.enrollment', verbose_name='enrolment')),
                        ('pgh_context', models.ForeignKey(db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='pghistory.context')),
                        ('pgh_obj', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='events', to='grading.termsummary')),
                        ('semester', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', related_query_name='+', to='training.semester', verbose_name='semester')),
                    ],
                    options={
                        'db_table': 'training_termsummaryevent',
                        'abstract': False,
                    },
                ),
                migrations.CreateModel(
                    name='TranscriptBatch',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('enrollment_ids', django.contrib.postgres.fields.ArrayField(base_field=models.BigIntegerField(), default=list, size=None, verbose_name='enrolments')),
                        ('status', models.CharField(choices=[('queued', 'Queued'), ('running', 'Running'), ('done', 'Done'), ('failed', 'Failed')], default='queued', max_length=10, verbose_name='status')),
                        ('total', models.PositiveIntegerField(default=0, verbose_name='transcripts')),
                        ('done', models.PositiveIntegerField(default=0, verbose_name='rendered')),
                        ('file', models.FileField(blank=True, upload_to=grading.models.results.transcript_batch_upload_to, verbose_name='file')),
                        ('error', models.TextField(blank=True, verbose_name='error')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='requested at')),
                        ('finished_at', models.DateTimeField(blank=True, null=True, verbose_name='finished at')),
                        ('homeroom_class', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='training.homeroomclass', verbose_name='class')),
                        ('requested_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='requested by')),
                    ],
                    options={
                        'verbose_name': 'transcript batch',
                        'verbose_name_plural': 'transcript batches',
                        'db_table': 'training_transcriptbatch',
                        'ordering': ['-created_at'],
                    },
                ),
                migrations.AddConstraint(
                    model_name='attendancemark',
                    constraint=models.UniqueConstraint(fields=('session', 'section_learner'), name='attendance_mark_unique'),
                ),
                migrations.AddConstraint(
                    model_name='attendancemark',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('absent_hours', 0), ('made_up', False), ('status', 'present')), models.Q(models.Q(('status', 'present'), _negated=True), ('absent_hours__gt', 0)), _connector='OR'), name='attendance_mark_hours_match_status'),
                ),
                migrations.AddConstraint(
                    model_name='attendancemark',
                    constraint=models.CheckConstraint(condition=models.Q(('made_up', False), ('status', 'excused'), _connector='OR'), name='attendance_mark_made_up_only_excused'),
                ),
                migrations.AddConstraint(
                    model_name='eligibilitywaiver',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('reason', ''), _negated=True), models.Q(('decision_number', ''), _negated=True)), name='waiver_has_reason_and_decision'),
                ),
                migrations.AddConstraint(
                    model_name='gradebook',
                    constraint=models.CheckConstraint(condition=models.Q(('sitting__gte', 1), ('sitting__lte', 4)), name='gradebook_sitting_range'),
                ),
                migrations.AddConstraint(
                    model_name='gradebook',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'returned'), _negated=True), models.Q(('return_reason', ''), _negated=True), _connector='OR'), name='gradebook_return_has_reason'),
                ),
                migrations.AddConstraint(
                    model_name='attendancesession',
                    constraint=models.UniqueConstraint(fields=('gradebook', 'date', 'ordinal'), name='attendance_session_unique'),
                ),
                migrations.AddConstraint(
                    model_name='attendancesession',
                    constraint=models.CheckConstraint(condition=models.Q(('hours__gt', 0), ('hours__lte', 12)), name='attendance_session_hours_range'),
                ),
                migrations.AddConstraint(
                    model_name='attendancesession',
                    constraint=models.CheckConstraint(condition=models.Q(('ordinal__gte', 1), ('ordinal__lte', 4)), name='attendance_session_ordinal_range'),
                ),
                migrations.AddIndex(
                    model_name='amendment',
                    index=models.Index(fields=['section_learner', 'status'], name='amendment_learner_status'),
                ),
                migrations.AddConstraint(
                    model_name='amendment',
                    constraint=models.CheckConstraint(condition=models.Q(('old_score__isnull', True), models.Q(('old_score__gte', 0), ('old_score__lte', 10)), _connector='OR'), name='amendment_old_range'),
                ),
                migrations.AddConstraint(
                    model_name='amendment',
                    constraint=models.CheckConstraint(condition=models.Q(('new_score__isnull', True), models.Q(('new_score__gte', 0), ('new_score__lte', 10)), _connector='OR'), name='amendment_new_range'),
                ),
                migrations.AddConstraint(
                    model_name='amendment',
                    constraint=models.CheckConstraint(condition=models.Q(('old_score__isnull', True), ('old_mark', ''), _connector='OR'), name='amendment_old_score_or_mark'),
                ),
                migrations.AddConstraint(
                    model_name='amendment',
                    constraint=models.CheckConstraint(condition=models.Q(('new_score__isnull', True), ('new_mark', ''), _connector='OR'), name='amendment_new_score_or_mark'),
                ),
                migrations.AddConstraint(
                    model_name='amendment',
                    constraint=models.CheckConstraint(condition=models.Q(('reason', ''), _negated=True), name='amendment_has_reason'),
                ),
                migrations.AddConstraint(
                    model_name='amendment',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('decided_at__isnull', True), ('decided_by__isnull', True), ('status', 'requested')), models.Q(models.Q(('status', 'requested'), _negated=True), ('decided_at__isnull', False), ('decided_by__isnull', False)), _connector='OR'), name='amendment_decision_recorded'),
                ),
                migrations.AddConstraint(
                    model_name='amendment',
                    constraint=models.UniqueConstraint(condition=models.Q(('status', 'requested')), fields=('section_learner', 'kind', 'number'), name='amendment_one_open_per_cell'),
                ),
                migrations.AddConstraint(
                    model_name='improvementsitting',
                    constraint=models.UniqueConstraint(fields=('section_learner', 'sitting'), name='improvement_sitting_unique'),
                ),
                migrations.AddConstraint(
                    model_name='improvementsitting',
                    constraint=models.CheckConstraint(condition=models.Q(('sitting__gte', 2), ('sitting__lte', 4)), name='improvement_sitting_range'),
                ),
                migrations.AddConstraint(
                    model_name='improvementsitting',
                    constraint=models.CheckConstraint(condition=models.Q(('decision_number', ''), _negated=True), name='improvement_sitting_has_decision'),
                ),
                migrations.AddIndex(
                    model_name='learnerround',
                    index=models.Index(fields=['enrollment', 'module'], name='round_enrollment_module'),
                ),
                migrations.AddConstraint(
                    model_name='learnerround',
                    constraint=models.CheckConstraint(condition=models.Q(('checks_average__isnull', True), models.Q(('checks_average__gte', 0), ('checks_average__lte', 10)), _connector='OR'), name='round_checks_average_range'),
                ),
                migrations.AddConstraint(
                    model_name='moduleexemption',
                    constraint=models.UniqueConstraint(fields=('enrollment', 'module'), name='exemption_unique'),
                ),
                migrations.AddConstraint(
                    model_name='moduleexemption',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('decision_number', ''), _negated=True), models.Q(('reason', ''), _negated=True)), name='exemption_has_decision_and_reason'),
                ),
                migrations.AddIndex(
                    model_name='moduleresult',
                    index=models.Index(fields=['module', 'status'], name='module_result_status'),
                ),
                migrations.AddConstraint(
                    model_name='moduleresult',
                    constraint=models.UniqueConstraint(fields=('enrollment', 'module'), name='module_result_unique'),
                ),
                migrations.AddConstraint(
                    model_name='moduleresult',
                    constraint=models.CheckConstraint(condition=models.Q(('score_10__isnull', True), models.Q(('score_10__gte', 0), ('score_10__lte', 10)), _connector='OR'), name='module_result_score_10_range'),
                ),
                migrations.AddConstraint(
                    model_name='moduleresult',
                    constraint=models.CheckConstraint(condition=models.Q(('score_4__isnull', True), models.Q(('score_4__gte', 0), ('score_4__lte', 4)), _connector='OR'), name='module_result_score_4_range'),
                ),
                migrations.AddConstraint(
                    model_name='moduleresult',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('letter', ''), ('score_10__isnull', True), ('score_4__isnull', True)), models.Q(('score_10__isnull', False), ('score_4__isnull', False), models.Q(('letter', ''), _negated=True)), _connector='OR'), name='module_result_score_complete'),
                ),
                migrations.AddConstraint(
                    model_name='moduleresult',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('passed', True), _negated=True), ('status', 'passed'), _connector='OR'), name='module_result_passed_status'),
                ),
                migrations.AddIndex(
                    model_name='score',
                    index=models.Index(fields=['gradebook', 'version'], name='score_gradebook_version'),
                ),
                migrations.AddConstraint(
                    model_name='score',
                    constraint=models.UniqueConstraint(fields=('section_learner', 'kind', 'number'), name='score_one_per_component'),
                ),
                migrations.AddConstraint(
                    model_name='score',
                    constraint=models.CheckConstraint(condition=models.Q(('score__isnull', True), models.Q(('score__gte', 0), ('score__lte', 10)), _connector='OR'), name='score_range_0_10'),
                ),
                migrations.AddConstraint(
                    model_name='score',
                    constraint=models.CheckConstraint(condition=models.Q(('score__isnull', True), ('mark', ''), _connector='OR'), name='score_or_mark'),
                ),
                migrations.AddConstraint(
                    model_name='score',
                    constraint=models.CheckConstraint(condition=models.Q(('mark__in', ['', 'V', 'KP'])), name='score_mark_valid'),
                ),
                migrations.AddConstraint(
                    model_name='score',
                    constraint=models.CheckConstraint(condition=models.Q(('number__gte', 1), ('number__lte', 10)), name='score_number_range'),
                ),
                migrations.AddConstraint(
                    model_name='score',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('kind', 'exam'), _negated=True), ('number__lte', 4), _connector='OR'), name='score_exam_sitting_range'),
                ),
                migrations.AddConstraint(
                    model_name='score',
                    constraint=models.CheckConstraint(condition=models.Q(('locked', False), ('score__isnull', False), models.Q(('mark', ''), _negated=True), _connector='OR'), name='score_locked_not_empty'),
                ),
                migrations.AddConstraint(
                    model_name='standingreview',
                    constraint=models.CheckConstraint(condition=models.Q(('decision_number', ''), _negated=True), name='standing_review_has_decision'),
                ),
                migrations.AddIndex(
                    model_name='termsummary',
                    index=models.Index(fields=['semester', 'standing'], name='term_semester_standing'),
                ),
                migrations.AddConstraint(
                    model_name='termsummary',
                    constraint=models.UniqueConstraint(fields=('enrollment', 'semester'), name='term_summary_unique'),
                ),
                migrations.AddConstraint(
                    model_name='termsummary',
                    constraint=models.CheckConstraint(condition=models.Q(('gpa_4__isnull', True), models.Q(('gpa_4__gte', 0), ('gpa_4__lte', 4)), _connector='OR'), name='term_gpa_4_range'),
                ),
                migrations.AddConstraint(
                    model_name='termsummary',
                    constraint=models.CheckConstraint(condition=models.Q(('gpa_10__isnull', True), models.Q(('gpa_10__gte', 0), ('gpa_10__lte', 10)), _connector='OR'), name='term_gpa_10_range'),
                ),
                migrations.AddConstraint(
                    model_name='termsummary',
                    constraint=models.CheckConstraint(condition=models.Q(('cumulative_gpa_4__isnull', True), models.Q(('cumulative_gpa_4__gte', 0), ('cumulative_gpa_4__lte', 4)), _connector='OR'), name='term_cumulative_gpa_4_range'),
                ),
                migrations.AddConstraint(
                    model_name='termsummary',
                    constraint=models.CheckConstraint(condition=models.Q(('cumulative_gpa_10__isnull', True), models.Q(('cumulative_gpa_10__gte', 0), ('cumulative_gpa_10__lte', 10)), _connector='OR'), name='term_cumulative_gpa_10_range'),
                ),
                migrations.AddConstraint(
                    model_name='termsummary',
                    constraint=models.CheckConstraint(condition=models.Q(('semester_index__gte', 1)), name='term_semester_index_positive'),
                ),
                migrations.AddConstraint(
                    model_name='transcriptbatch',
                    constraint=models.CheckConstraint(condition=models.Q(('done__lte', models.F('total'))), name='transcript_batch_progress'),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(drop_triggers_named_for_training, migrations.RunPython.noop),
        migrations.RunPython(move_content_types, move_content_types_back),
        pgtrigger.migrations.AddTrigger(
            model_name='attendancemark',
            trigger=pgtrigger.compiler.Trigger(name='attendance_mark_locked_no_update', sql=pgtrigger.compiler.UpsertTriggerSql(condition='WHEN (OLD."locked")', func="RAISE EXCEPTION 'pgtrigger: Cannot update rows from % table', TG_TABLE_NAME;", hash='6422bbac75c1ad4f15c52c4bfccf6bab855e0fa5', operation='UPDATE', pgid='pgtrigger_attendance_mark_locked_no_update_89a42', table='training_attendancemark', when='BEFORE')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='attendancemark',
            trigger=pgtrigger.compiler.Trigger(name='attendance_mark_locked_no_delete', sql=pgtrigger.compiler.UpsertTriggerSql(condition='WHEN (OLD."locked")', func="RAISE EXCEPTION 'pgtrigger: Cannot delete rows from % table', TG_TABLE_NAME;", hash='e6709eaa3bcc52acce4868ef89e8eb8817dd9a77', operation='DELETE', pgid='pgtrigger_attendance_mark_locked_no_delete_83c85', table='training_attendancemark', when='BEFORE')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='attendancemark',
            trigger=pgtrigger.compiler.Trigger(name='insert_insert', sql=pgtrigger.compiler.UpsertTriggerSql(func='INSERT INTO "training_attendancemarkevent" ("absent_hours", "id", "locked", "made_up", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "section_learner_id", "session_id", "status", "updated_at", "updated_by_id", "version") VALUES (NEW."absent_hours", NEW."id", NEW."locked", NEW."made_up", _pgh_attach_context(), NOW(), \'insert\', NEW."id", NEW."section_learner_id", NEW."session_id", NEW."status", NEW."updated_at", NEW."updated_by_id", NEW."version"); RETURN NULL;', hash='e8addd0499681e905f95a5e56a91966de46bf2f9', operation='INSERT', pgid='pgtrigger_insert_insert_14eb5', table='training_attendancemark', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='attendancemark',
            trigger=pgtrigger.compiler.Trigger(name='update_update', sql=pgtrigger.compiler.UpsertTriggerSql(condition='WHEN (OLD.* IS DISTINCT FROM NEW.*)', func='INSERT INTO "training_attendancemarkevent" ("absent_hours", "id", "locked", "made_up", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "section_learner_id", "session_id", "status", "updated_at", "updated_by_id", "version") VALUES (NEW."absent_hours", NEW."id", NEW."locked", NEW."made_up", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."section_learner_id", NEW."session_id", NEW."status", NEW."updated_at", NEW."updated_by_id", NEW."version"); RETURN NULL;', hash='a5375c9e6047adf241c68c4ecf5d4073ac1d332e', operation='UPDATE', pgid='pgtrigger_update_update_d4761', table='training_attendancemark', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='eligibilitywaiver',
            trigger=pgtrigger.compiler.Trigger(name='insert_insert', sql=pgtrigger.compiler.UpsertTriggerSql(func='INSERT INTO "training_eligibilitywaiverevent" ("decision_number", "granted_at", "granted_by_id", "id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "reason", "section_learner_id") VALUES (NEW."decision_number", NEW."granted_at", NEW."granted_by_id", NEW."id", _pgh_attach_context(), NOW(), \'insert\', NEW."id", NEW."reason", NEW."section_learner_id"); RETURN NULL;', hash='21808d8e31f3cfa468378c5d16fbb72c2ee474f5', operation='INSERT', pgid='pgtrigger_insert_insert_25c01', table='training_eligibilitywaiver', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='eligibilitywaiver',
            trigger=pgtrigger.compiler.Trigger(name='update_update', sql=pgtrigger.compiler.UpsertTriggerSql(condition='WHEN (OLD.* IS DISTINCT FROM NEW.*)', func='INSERT INTO "training_eligibilitywaiverevent" ("decision_number", "granted_at", "granted_by_id", "id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "reason", "section_learner_id") VALUES (NEW."decision_number", NEW."granted_at", NEW."granted_by_id", NEW."id", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."reason", NEW."section_learner_id"); RETURN NULL;', hash='9fb56004855ad157dd955a8106e8144e7af55556', operation='UPDATE', pgid='pgtrigger_update_update_c2aa8', table='training_eligibilitywaiver', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='gradebook',
            trigger=pgtrigger.compiler.Trigger(name='insert_insert', sql=pgtrigger.compiler.UpsertTriggerSql(func='INSERT INTO "training_gradebookevent" ("complete", "created_at", "id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "return_reason", "section_id", "sitting", "status", "status_changed_at", "status_changed_by_id", "updated_at", "version") VALUES (NEW."complete", NEW."created_at", NEW."id", _pgh_attach_context(), NOW(), \'insert\', NEW."id", NEW."return_reason", NEW."section_id", NEW."sitting", NEW."status", NEW."status_changed_at", NEW."status_changed_by_id", NEW."updated_at", NEW."version"); RETURN NULL;', hash='0b07199e885ede7b85771cbe7243620f131fd0bc', operation='INSERT', pgid='pgtrigger_insert_insert_9d42e', table='training_gradebook', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='gradebook',
            trigger=pgtrigger.compiler.Trigger(name='update_update', sql=pgtrigger.compiler.UpsertTriggerSql(condition='WHEN (OLD.* IS DISTINCT FROM NEW.*)', func='INSERT INTO "training_gradebookevent" ("complete", "created_at", "id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "return_reason", "section_id", "sitting", "status", "status_changed_at", "status_changed_by_id", "updated_at", "version") VALUES (NEW."complete", NEW."created_at", NEW."id", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."return_reason", NEW."section_id", NEW."sitting", NEW."status", NEW."status_changed_at", NEW."status_changed_by_id", NEW."updated_at", NEW."version"); RETURN NULL;', hash='1f4a018fc5965c86f9ac81e2809e8d925799956c', operation='UPDATE', pgid='pgtrigger_update_update_c0a77', table='training_gradebook', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='attendancesession',
            trigger=pgtrigger.compiler.Trigger(name='attendance_session_locked_no_update', sql=pgtrigger.compiler.UpsertTriggerSql(condition='WHEN (OLD."locked")', func="RAISE EXCEPTION 'pgtrigger: Cannot update rows from % table', TG_TABLE_NAME;", hash='242b17c652561b17ccae68ba025df227f6da2509', operation='UPDATE', pgid='pgtrigger_attendance_session_locked_no_update_e1b7f', table='training_attendancesession', when='BEFORE')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='attendancesession',
            trigger=pgtrigger.compiler.Trigger(name='attendance_session_locked_no_delete', sql=pgtrigger.compiler.UpsertTriggerSql(condition='WHEN (OLD."locked")', func="RAISE EXCEPTION 'pgtrigger: Cannot delete rows from % table', TG_TABLE_NAME;", hash='a4f46018cb74299443af525fb31a165c88e8fdd9', operation='DELETE', pgid='pgtrigger_attendance_session_locked_no_delete_ceeeb', table='training_attendancesession', when='BEFORE')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='attendancesession',
            trigger=pgtrigger.compiler.Trigger(name='insert_insert', sql=pgtrigger.compiler.UpsertTriggerSql(func='INSERT INTO "training_attendancesessionevent" ("created_at", "created_by_id", "date", "gradebook_id", "hours", "id", "kind", "locked", "ordinal", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "topic", "version") VALUES (NEW."created_at", NEW."created_by_id", NEW."date", NEW."gradebook_id", NEW."hours", NEW."id", NEW."kind", NEW."locked", NEW."ordinal", _pgh_attach_context(), NOW(), \'insert\', NEW."id", NEW."topic", NEW."version"); RETURN NULL;', hash='6fcaeb1c392d0f4e6350898df5fe35249aaf1620', operation='INSERT', pgid='pgtrigger_insert_insert_30c34', table='training_attendancesession', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='attendancesession',
            trigger=pgtrigger.compiler.Trigger(name='update_update', sql=pgtrigger.compiler.UpsertTriggerSql(condition='WHEN (OLD.* IS DISTINCT FROM NEW.*)', func='INSERT INTO "training_attendancesessionevent" ("created_at", "created_by_id", "date", "gradebook_id", "hours", "id", "kind", "locked", "ordinal", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "topic", "version") VALUES (NEW."created_at", NEW."created_by_id", NEW."date", NEW."gradebook_id", NEW."hours", NEW."id", NEW."kind", NEW."locked", NEW."ordinal", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."topic", NEW."version"); RETURN NULL;', hash='b3255774fd9e45e6612a8c20e7dbc1ab019bb039', operation='UPDATE', pgid='pgtrigger_update_update_6acf7', table='training_attendancesession', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='amendment',
            trigger=pgtrigger.compiler.Trigger(name='amendment_decided_is_final', sql=pgtrigger.compiler.UpsertTriggerSql(condition='WHEN (NOT (OLD."status" = \'requested\'))', func="RAISE EXCEPTION 'pgtrigger: Cannot update rows from % table', TG_TABLE_NAME;", hash='32c80ff483399034dd6ab380607f26bdb57ba5b5', operation='UPDATE', pgid='pgtrigger_amendment_decided_is_final_bc526', table='training_amendment', when='BEFORE')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='amendment',
            trigger=pgtrigger.compiler.Trigger(name='amendment_not_deleted', sql=pgtrigger.compiler.UpsertTriggerSql(func="RAISE EXCEPTION 'pgtrigger: Cannot delete rows from % table', TG_TABLE_NAME;", hash='caa507d225f55d638df9becf701b4fbe71f59fe3', operation='DELETE', pgid='pgtrigger_amendment_not_deleted_6fd3e', table='training_amendment', when='BEFORE')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='amendment',
            trigger=pgtrigger.compiler.Trigger(name='insert_insert', sql=pgtrigger.compiler.UpsertTriggerSql(func='INSERT INTO "training_amendmentevent" ("decided_at", "decided_by_id", "decision_note", "evidence", "gradebook_id", "id", "kind", "new_mark", "new_score", "number", "old_mark", "old_score", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "reason", "requested_at", "requested_by_id", "section_learner_id", "status") VALUES (NEW."decided_at", NEW."decided_by_id", NEW."decision_note", NEW."evidence", NEW."gradebook_id", NEW."id", NEW."kind", NEW."new_mark", NEW."new_score", NEW."number", NEW."old_mark", NEW."old_score", _pgh_attach_context(), NOW(), \'insert\', NEW."id", NEW."reason", NEW."requested_at", NEW."requested_by_id", NEW."section_learner_id", NEW."status"); RETURN NULL;', hash='ff4ac6a8954bb311201564d691c9cb4ec7cc404b', operation='INSERT', pgid='pgtrigger_insert_insert_cb4de', table='training_amendment', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='amendment',
            trigger=pgtrigger.compiler.Trigger(name='update_update', sql=pgtrigger.compiler.UpsertTriggerSql(condition='WHEN (OLD.* IS DISTINCT FROM NEW.*)', func='INSERT INTO "training_amendmentevent" ("decided_at", "decided_by_id", "decision_note", "evidence", "gradebook_id", "id", "kind", "new_mark", "new_score", "number", "old_mark", "old_score", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "reason", "requested_at", "requested_by_id", "section_learner_id", "status") VALUES (NEW."decided_at", NEW."decided_by_id", NEW."decision_note", NEW."evidence", NEW."gradebook_id", NEW."id", NEW."kind", NEW."new_mark", NEW."new_score", NEW."number", NEW."old_mark", NEW."old_score", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."reason", NEW."requested_at", NEW."requested_by_id", NEW."section_learner_id", NEW."status"); RETURN NULL;', hash='7da11d46804c561c084d4ce8bead624fc01f2779', operation='UPDATE', pgid='pgtrigger_update_update_7a66f', table='training_amendment', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='gradebooklog',
            trigger=pgtrigger.compiler.Trigger(name='gradebook_log_append_only', sql=pgtrigger.compiler.UpsertTriggerSql(func="RAISE EXCEPTION 'pgtrigger: Cannot update or delete rows from % table', TG_TABLE_NAME;", hash='1a1c3c9278722223ab631d821cc39dfe29567566', operation='UPDATE OR DELETE', pgid='pgtrigger_gradebook_log_append_only_6e8b0', table='training_gradebooklog', when='BEFORE')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='improvementsitting',
            trigger=pgtrigger.compiler.Trigger(name='improvement_sitting_append_only', sql=pgtrigger.compiler.UpsertTriggerSql(func="RAISE EXCEPTION 'pgtrigger: Cannot update or delete rows from % table', TG_TABLE_NAME;", hash='7641e5b40b34d8707931b610ee64b9b12e64da36', operation='UPDATE OR DELETE', pgid='pgtrigger_improvement_sitting_append_only_4ece7', table='training_improvementsitting', when='BEFORE')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='improvementsitting',
            trigger=pgtrigger.compiler.Trigger(name='insert_insert', sql=pgtrigger.compiler.UpsertTriggerSql(func='INSERT INTO "training_improvementsittingevent" ("decision_number", "granted_at", "granted_by_id", "id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "reason", "section_learner_id", "sitting") VALUES (NEW."decision_number", NEW."granted_at", NEW."granted_by_id", NEW."id", _pgh_attach_context(), NOW(), \'insert\', NEW."id", NEW."reason", NEW."section_learner_id", NEW."sitting"); RETURN NULL;', hash='c84ef980ac953737a17bbc4e939962dfaf201b03', operation='INSERT', pgid='pgtrigger_insert_insert_0fd85', table='training_improvementsitting', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='improvementsitting',
            trigger=pgtrigger.compiler.Trigger(name='update_update', sql=pgtrigger.compiler.UpsertTriggerSql(condition='WHEN (OLD.* IS DISTINCT FROM NEW.*)', func='INSERT INTO "training_improvementsittingevent" ("decision_number", "granted_at", "granted_by_id", "id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "reason", "section_learner_id", "sitting") VALUES (NEW."decision_number", NEW."granted_at", NEW."granted_by_id", NEW."id", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."reason", NEW."section_learner_id", NEW."sitting"); RETURN NULL;', hash='78335ad28d69f9bb25b6b89f38f2b2aaafc88c35', operation='UPDATE', pgid='pgtrigger_update_update_0ed7f', table='training_improvementsitting', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='learnerround',
            trigger=pgtrigger.compiler.Trigger(name='insert_insert', sql=pgtrigger.compiler.UpsertTriggerSql(func='INSERT INTO "training_learnerroundevent" ("attendance_waived", "checks_average", "eligible", "enrollment_id", "improvement", "ineligibility_reasons", "module_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "practice_excused_hours", "practice_unexcused_hours", "section_learner_id", "semester_id", "sittings", "term_id", "theory_attended_hours") VALUES (NEW."attendance_waived", NEW."checks_average", NEW."eligible", NEW."enrollment_id", NEW."improvement", NEW."ineligibility_reasons", NEW."module_id", _pgh_attach_context(), NOW(), \'insert\', NEW."section_learner_id", NEW."practice_excused_hours", NEW."practice_unexcused_hours", NEW."section_learner_id", NEW."semester_id", NEW."sittings", NEW."term_id", NEW."theory_attended_hours"); RETURN NULL;', hash='aa699829864bf43f188312cfe5f59b2aabd40d27', operation='INSERT', pgid='pgtrigger_insert_insert_0c524', table='training_learnerround', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='learnerround',
            trigger=pgtrigger.compiler.Trigger(name='update_update', sql=pgtrigger.compiler.UpsertTriggerSql(condition='WHEN (OLD."attendance_waived" IS DISTINCT FROM (NEW."attendance_waived") OR OLD."checks_average" IS DISTINCT FROM (NEW."checks_average") OR OLD."eligible" IS DISTINCT FROM (NEW."eligible") OR OLD."enrollment_id" IS DISTINCT FROM (NEW."enrollment_id") OR OLD."improvement" IS DISTINCT FROM (NEW."improvement") OR OLD."ineligibility_reasons" IS DISTINCT FROM (NEW."ineligibility_reasons") OR OLD."module_id" IS DISTINCT FROM (NEW."module_id") OR OLD."practice_excused_hours" IS DISTINCT FROM (NEW."practice_excused_hours") OR OLD."practice_unexcused_hours" IS DISTINCT FROM (NEW."practice_unexcused_hours") OR OLD."section_learner_id" IS DISTINCT FROM (NEW."section_learner_id") OR OLD."semester_id" IS DISTINCT FROM (NEW."semester_id") OR OLD."sittings" IS DISTINCT FROM (NEW."sittings") OR OLD."term_id" IS DISTINCT FROM (NEW."term_id") OR OLD."theory_attended_hours" IS DISTINCT FROM (NEW."theory_attended_hours"))', func='INSERT INTO "training_learnerroundevent" ("attendance_waived", "checks_average", "eligible", "enrollment_id", "improvement", "ineligibility_reasons", "module_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "practice_excused_hours", "practice_unexcused_hours", "section_learner_id", "semester_id", "sittings", "term_id", "theory_attended_hours") VALUES (NEW."attendance_waived", NEW."checks_average", NEW."eligible", NEW."enrollment_id", NEW."improvement", NEW."ineligibility_reasons", NEW."module_id", _pgh_attach_context(), NOW(), \'update\', NEW."section_learner_id", NEW."practice_excused_hours", NEW."practice_unexcused_hours", NEW."section_learner_id", NEW."semester_id", NEW."sittings", NEW."term_id", NEW."theory_attended_hours"); RETURN NULL;', hash='63f3a1e740c0e1630c06ee23f12ad7673918b12d', operation='UPDATE', pgid='pgtrigger_update_update_b9b04', table='training_learnerround', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='moduleexemption',
            trigger=pgtrigger.compiler.Trigger(name='exemption_facts_fixed', sql=pgtrigger.compiler.UpsertTriggerSql(condition='WHEN (OLD."enrollment_id" IS DISTINCT FROM (NEW."enrollment_id") OR OLD."module_id" IS DISTINCT FROM (NEW."module_id"))', func="RAISE EXCEPTION 'pgtrigger: Cannot update rows from % table', TG_TABLE_NAME;", hash='42c5daf411b318914458dc3d2ee278aae7421cdc', operation='UPDATE', pgid='pgtrigger_exemption_facts_fixed_bad3d', table='training_moduleexemption', when='BEFORE')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='moduleexemption',
            trigger=pgtrigger.compiler.Trigger(name='insert_insert', sql=pgtrigger.compiler.UpsertTriggerSql(func='INSERT INTO "training_moduleexemptionevent" ("decision_number", "enrollment_id", "granted_at", "granted_by_id", "id", "module_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "reason") VALUES (NEW."decision_number", NEW."enrollment_id", NEW."granted_at", NEW."granted_by_id", NEW."id", NEW."module_id", _pgh_attach_context(), NOW(), \'insert\', NEW."id", NEW."reason"); RETURN NULL;', hash='1acf9869de67ac0ca31af1c41f836b06cac2514a', operation='INSERT', pgid='pgtrigger_insert_insert_bcb6e', table='training_moduleexemption', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='moduleexemption',
            trigger=pgtrigger.compiler.Trigger(name='update_update', sql=pgtrigger.compiler.UpsertTriggerSql(condition='WHEN (OLD.* IS DISTINCT FROM NEW.*)', func='INSERT INTO "training_moduleexemptionevent" ("decision_number", "enrollment_id", "granted_at", "granted_by_id", "id", "module_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "reason") VALUES (NEW."decision_number", NEW."enrollment_id", NEW."granted_at", NEW."granted_by_id", NEW."id", NEW."module_id", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."reason"); RETURN NULL;', hash='c5daf6b22b96d0cdb6b16a44701eea7a0a917066', operation='UPDATE', pgid='pgtrigger_update_update_9470c', table='training_moduleexemption', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='moduleresult',
            trigger=pgtrigger.compiler.Trigger(name='insert_insert', sql=pgtrigger.compiler.UpsertTriggerSql(func='INSERT INTO "training_moduleresultevent" ("attempts", "counts_in_gpa", "credits", "enrollment_id", "had_to_restudy", "had_to_retake", "id", "last_term_id", "letter", "module_id", "passed", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "score_10", "score_4", "status", "term_id") VALUES (NEW."attempts", NEW."counts_in_gpa", NEW."credits", NEW."enrollment_id", NEW."had_to_restudy", NEW."had_to_retake", NEW."id", NEW."last_term_id", NEW."letter", NEW."module_id", NEW."passed", _pgh_attach_context(), NOW(), \'insert\', NEW."id", NEW."score_10", NEW."score_4", NEW."status", NEW."term_id"); RETURN NULL;', hash='5dc9a0a31a92f1a810b0593697d0cd6758d1dd34', operation='INSERT', pgid='pgtrigger_insert_insert_c1e98', table='training_moduleresult', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='moduleresult',
            trigger=pgtrigger.compiler.Trigger(name='update_update', sql=pgtrigger.compiler.UpsertTriggerSql(condition='WHEN (OLD."attempts" IS DISTINCT FROM (NEW."attempts") OR OLD."counts_in_gpa" IS DISTINCT FROM (NEW."counts_in_gpa") OR OLD."credits" IS DISTINCT FROM (NEW."credits") OR OLD."enrollment_id" IS DISTINCT FROM (NEW."enrollment_id") OR OLD."had_to_restudy" IS DISTINCT FROM (NEW."had_to_restudy") OR OLD."had_to_retake" IS DISTINCT FROM (NEW."had_to_retake") OR OLD."id" IS DISTINCT FROM (NEW."id") OR OLD."last_term_id" IS DISTINCT FROM (NEW."last_term_id") OR OLD."letter" IS DISTINCT FROM (NEW."letter") OR OLD."module_id" IS DISTINCT FROM (NEW."module_id") OR OLD."passed" IS DISTINCT FROM (NEW."passed") OR OLD."score_10" IS DISTINCT FROM (NEW."score_10") OR OLD."score_4" IS DISTINCT FROM (NEW."score_4") OR OLD."status" IS DISTINCT FROM (NEW."status") OR OLD."term_id" IS DISTINCT FROM (NEW."term_id"))', func='INSERT INTO "training_moduleresultevent" ("attempts", "counts_in_gpa", "credits", "enrollment_id", "had_to_restudy", "had_to_retake", "id", "last_term_id", "letter", "module_id", "passed", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "score_10", "score_4", "status", "term_id") VALUES (NEW."attempts", NEW."counts_in_gpa", NEW."credits", NEW."enrollment_id", NEW."had_to_restudy", NEW."had_to_retake", NEW."id", NEW."last_term_id", NEW."letter", NEW."module_id", NEW."passed", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."score_10", NEW."score_4", NEW."status", NEW."term_id"); RETURN NULL;', hash='1f972f74a4ea7d3022e8e202889e336e1da51084', operation='UPDATE', pgid='pgtrigger_update_update_ec879', table='training_moduleresult', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='score',
            trigger=pgtrigger.compiler.Trigger(name='score_locked_no_update', sql=pgtrigger.compiler.UpsertTriggerSql(condition='WHEN (OLD."locked")', func="RAISE EXCEPTION 'pgtrigger: Cannot update rows from % table', TG_TABLE_NAME;", hash='c802188be646d679d2c9ed6ceaf761e339efff4b', operation='UPDATE', pgid='pgtrigger_score_locked_no_update_29e6c', table='training_score', when='BEFORE')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='score',
            trigger=pgtrigger.compiler.Trigger(name='score_locked_no_delete', sql=pgtrigger.compiler.UpsertTriggerSql(condition='WHEN (OLD."locked")', func="RAISE EXCEPTION 'pgtrigger: Cannot delete rows from % table', TG_TABLE_NAME;", hash='d78be21249bf9ea6719bfd41626d3772543dc8e9', operation='DELETE', pgid='pgtrigger_score_locked_no_delete_946e1', table='training_score', when='BEFORE')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='score',
            trigger=pgtrigger.compiler.Trigger(name='score_frozen_while_submitted', sql=pgtrigger.compiler.UpsertTriggerSql(func="\n    IF (SELECT status FROM training_gradebook WHERE id = NEW.gradebook_id) = 'submitted'\n       AND (TG_OP = 'INSERT' OR OLD.score IS DISTINCT FROM NEW.score OR OLD.mark IS DISTINCT FROM NEW.mark) THEN\n        RAISE EXCEPTION 'training: the gradebook is submitted for approval; its rows cannot '\n                        'change until it is approved or returned' USING ERRCODE = '23514';\n    END IF;\n    RETURN NEW;\n", hash='c07dd0d5a723051d1143b6792aff04e2e02632d0', operation='INSERT OR UPDATE', pgid='pgtrigger_score_frozen_while_submitted_8fcba', table='training_score', when='BEFORE')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='score',
            trigger=pgtrigger.compiler.Trigger(name='insert_insert', sql=pgtrigger.compiler.UpsertTriggerSql(func='INSERT INTO "training_scoreevent" ("gradebook_id", "id", "kind", "locked", "mark", "number", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "score", "section_learner_id", "updated_at", "updated_by_id", "version") VALUES (NEW."gradebook_id", NEW."id", NEW."kind", NEW."locked", NEW."mark", NEW."number", _pgh_attach_context(), NOW(), \'insert\', NEW."id", NEW."score", NEW."section_learner_id", NEW."updated_at", NEW."updated_by_id", NEW."version"); RETURN NULL;', hash='5470aff91a6d469adae5bd25225fdb62c5752a87', operation='INSERT', pgid='pgtrigger_insert_insert_fe5aa', table='training_score', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='score',
            trigger=pgtrigger.compiler.Trigger(name='update_update', sql=pgtrigger.compiler.UpsertTriggerSql(condition='WHEN (OLD.* IS DISTINCT FROM NEW.*)', func='INSERT INTO "training_scoreevent" ("gradebook_id", "id", "kind", "locked", "mark", "number", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "score", "section_learner_id", "updated_at", "updated_by_id", "version") VALUES (NEW."gradebook_id", NEW."id", NEW."kind", NEW."locked", NEW."mark", NEW."number", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."score", NEW."section_learner_id", NEW."updated_at", NEW."updated_by_id", NEW."version"); RETURN NULL;', hash='3bc46f550aab9ab7eb0797e4507f30614621abaa', operation='UPDATE', pgid='pgtrigger_update_update_c8227', table='training_score', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='standingreview',
            trigger=pgtrigger.compiler.Trigger(name='standing_review_append_only', sql=pgtrigger.compiler.UpsertTriggerSql(func="RAISE EXCEPTION 'pgtrigger: Cannot update or delete rows from % table', TG_TABLE_NAME;", hash='085750b3644830abe119a56f37ba2f78c93e2be6', operation='UPDATE OR DELETE', pgid='pgtrigger_standing_review_append_only_4f90b', table='training_standingreview', when='BEFORE')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='termsummary',
            trigger=pgtrigger.compiler.Trigger(name='insert_insert', sql=pgtrigger.compiler.UpsertTriggerSql(func='INSERT INTO "training_termsummaryevent" ("classification", "classification_downgraded", "consecutive_warnings", "credits_earned", "credits_in_gpa", "cumulative_credits_earned", "cumulative_credits_in_gpa", "cumulative_gpa_10", "cumulative_gpa_4", "enrollment_id", "exceeded_max_duration", "gpa_10", "gpa_4", "id", "outstanding_f_credits", "outstanding_f_modules", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "reasons", "retaken_modules", "semester_id", "semester_index", "standing") VALUES (NEW."classification", NEW."classification_downgraded", NEW."consecutive_warnings", NEW."credits_earned", NEW."credits_in_gpa", NEW."cumulative_credits_earned", NEW."cumulative_credits_in_gpa", NEW."cumulative_gpa_10", NEW."cumulative_gpa_4", NEW."enrollment_id", NEW."exceeded_max_duration", NEW."gpa_10", NEW."gpa_4", NEW."id", NEW."outstanding_f_credits", NEW."outstanding_f_modules", _pgh_attach_context(), NOW(), \'insert\', NEW."id", NEW."reasons", NEW."retaken_modules", NEW."semester_id", NEW."semester_index", NEW."standing"); RETURN NULL;', hash='bfee35156ab8c6c9cb22ea05dccf4f125b340e03', operation='INSERT', pgid='pgtrigger_insert_insert_f6b8e', table='training_termsummary', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='termsummary',
            trigger=pgtrigger.compiler.Trigger(name='update_update', sql=pgtrigger.compiler.UpsertTriggerSql(condition='WHEN (OLD."classification" IS DISTINCT FROM (NEW."classification") OR OLD."classification_downgraded" IS DISTINCT FROM (NEW."classification_downgraded") OR OLD."consecutive_warnings" IS DISTINCT FROM (NEW."consecutive_warnings") OR OLD."credits_earned" IS DISTINCT FROM (NEW."credits_earned") OR OLD."credits_in_gpa" IS DISTINCT FROM (NEW."credits_in_gpa") OR OLD."cumulative_credits_earned" IS DISTINCT FROM (NEW."cumulative_credits_earned") OR OLD."cumulative_credits_in_gpa" IS DISTINCT FROM (NEW."cumulative_credits_in_gpa") OR OLD."cumulative_gpa_10" IS DISTINCT FROM (NEW."cumulative_gpa_10") OR OLD."cumulative_gpa_4" IS DISTINCT FROM (NEW."cumulative_gpa_4") OR OLD."enrollment_id" IS DISTINCT FROM (NEW."enrollment_id") OR OLD."exceeded_max_duration" IS DISTINCT FROM (NEW."exceeded_max_duration") OR OLD."gpa_10" IS DISTINCT FROM (NEW."gpa_10") OR OLD."gpa_4" IS DISTINCT FROM (NEW."gpa_4") OR OLD."id" IS DISTINCT FROM (NEW."id") OR OLD."outstanding_f_credits" IS DISTINCT FROM (NEW."outstanding_f_credits") OR OLD."outstanding_f_modules" IS DISTINCT FROM (NEW."outstanding_f_modules") OR OLD."reasons" IS DISTINCT FROM (NEW."reasons") OR OLD."retaken_modules" IS DISTINCT FROM (NEW."retaken_modules") OR OLD."semester_id" IS DISTINCT FROM (NEW."semester_id") OR OLD."semester_index" IS DISTINCT FROM (NEW."semester_index") OR OLD."standing" IS DISTINCT FROM (NEW."standing"))', func='INSERT INTO "training_termsummaryevent" ("classification", "classification_downgraded", "consecutive_warnings", "credits_earned", "credits_in_gpa", "cumulative_credits_earned", "cumulative_credits_in_gpa", "cumulative_gpa_10", "cumulative_gpa_4", "enrollment_id", "exceeded_max_duration", "gpa_10", "gpa_4", "id", "outstanding_f_credits", "outstanding_f_modules", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "reasons", "retaken_modules", "semester_id", "semester_index", "standing") VALUES (NEW."classification", NEW."classification_downgraded", NEW."consecutive_warnings", NEW."credits_earned", NEW."credits_in_gpa", NEW."cumulative_credits_earned", NEW."cumulative_credits_in_gpa", NEW."cumulative_gpa_10", NEW."cumulative_gpa_4", NEW."enrollment_id", NEW."exceeded_max_duration", NEW."gpa_10", NEW."gpa_4", NEW."id", NEW."outstanding_f_credits", NEW."outstanding_f_modules", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."reasons", NEW."retaken_modules", NEW."semester_id", NEW."semester_index", NEW."standing"); RETURN NULL;', hash='21313ae7800a3f1b21e24fdcf2c2831973b768fe', operation='UPDATE', pgid='pgtrigger_update_update_75248', table='training_termsummary', when='AFTER')),
        ),
    ]
