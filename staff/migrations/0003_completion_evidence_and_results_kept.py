# Completion evidence is the uploaded certificate; a result is never deleted (trigger).
#
# The stricter check is added NOT VALID: PostgreSQL enforces it on every new or changed row
# but keeps completions recorded earlier with a certificate number only (they were valid
# evidence when recorded; history is not rewritten). Editing such a row needs the file.

import pgtrigger.compiler
import pgtrigger.migrations
from django.db import migrations, models


NOT_VALID_CHECK = (
    'ALTER TABLE "staff_participation" ADD CONSTRAINT '
    '"participation_completion_has_date_and_evidence" CHECK ((("result" = \'completed\' AND '
    '"completed_on" IS NOT NULL AND NOT ("certificate" = \'\')) OR (NOT ("result" = '
    '\'completed\') AND "completed_on" IS NULL))) NOT VALID;'
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
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunSQL(
                sql=NOT_VALID_CHECK,
                reverse_sql='ALTER TABLE "staff_participation" DROP CONSTRAINT '
                            '"participation_completion_has_date_and_evidence";',
            )],
            state_operations=[
                migrations.AddConstraint(
                    model_name='participation',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('result', 'completed'), ('completed_on__isnull', False), models.Q(('certificate', ''), _negated=True)), models.Q(models.Q(('result', 'completed'), _negated=True), ('completed_on__isnull', True)), _connector='OR'), name='participation_completion_has_date_and_evidence', violation_error_message='A completed training needs its completion date and evidence: the uploaded certificate file. Other results have no completion date.'),
                ),
            ],
        ),
    ]
