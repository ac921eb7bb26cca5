# Completion evidence is the uploaded certificate; a result is never deleted (trigger).

import pgtrigger.compiler
import pgtrigger.migrations
from django.db import migrations, models


def completions_have_files(apps, schema_editor):
    """Stop with a clear message (not a bare constraint error) when completions recorded
    with a certificate number only exist: someone must upload their certificates first."""
    Participation = apps.get_model("staff", "Participation")
    without = Participation.objects.filter(result="completed", certificate="")
    if without.exists():
        raise RuntimeError(
            f"{without.count()} completed participation(s) have no uploaded certificate "
            "(a certificate number alone is no longer evidence). Upload their certificates "
            "(admin → Participations, filter Result = Completed) or set their result back "
            "to Registered, then migrate again."
        )


class Migration(migrations.Migration):

    dependencies = [
        ('staff', '0002_digcompedu_framework'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='participation',
            name='participation_completion_has_date_and_evidence',
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='participation',
            trigger=pgtrigger.compiler.Trigger(name='participation_result_not_deleted', sql=pgtrigger.compiler.UpsertTriggerSql(condition='WHEN (OLD."result" IN (\'completed\', \'failed\'))', func="RAISE EXCEPTION 'pgtrigger: Cannot delete rows from % table', TG_TABLE_NAME;", hash='35e629006276d889b70cf8badcb7b0694b93266a', operation='DELETE', pgid='pgtrigger_participation_result_not_deleted_41148', table='staff_participation', when='BEFORE')),
        ),
        migrations.RunPython(completions_have_files, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='participation',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('result', 'completed'), ('completed_on__isnull', False), models.Q(('certificate', ''), _negated=True)), models.Q(models.Q(('result', 'completed'), _negated=True), ('completed_on__isnull', True)), _connector='OR'), name='participation_completion_has_date_and_evidence', violation_error_message='A completed training needs its completion date and evidence: the uploaded certificate file. Other results have no completion date.'),
        ),
    ]
