"""Addresses name one of the 34 provincial-level units since 1 July 2025; every stored
application and learner (and their history) is converted through the former province's
successor (reference 0003)."""

import django.db.models.deletion
from django.db import migrations, models



def convert_to_successor(table: str) -> migrations.RunSQL:
    """Point each stored province at the unit its former province merged into.

    The history (pghistory) update trigger is skipped through pgtrigger's ignore setting:
    the event table is converted the same way, so an extra event would record no change.
    The sync capture triggers stay on, so the national side receives the new codes."""
    return migrations.RunSQL(
        f"""
        DO $$ BEGIN
            PERFORM set_config('pgtrigger.ignore', (
                SELECT '{{' || coalesce(string_agg(tgname, ','), '') || '}}' FROM pg_trigger
                WHERE tgrelid = '"{table}"'::regclass AND tgname LIKE 'pgtrigger_update_update_%'
            ), true);
            UPDATE "{table}" AS t SET province_unit_id = p.successor_id
            FROM reference_province AS p WHERE p.id = t.province_id;
            PERFORM set_config('pgtrigger.ignore', '{{}}', true);
        END $$;
        """,
        migrations.RunSQL.noop,
    )


def _event_field(*, null: bool) -> models.ForeignKey:
    return models.ForeignKey(
        blank=null, db_constraint=False, null=null,
        on_delete=django.db.models.deletion.DO_NOTHING, related_name="+",
        related_query_name="+", to="reference.provincialunit",
        verbose_name="province of permanent residence")


def _field(*, null: bool) -> models.ForeignKey:
    return models.ForeignKey(
        blank=null, null=null, on_delete=django.db.models.deletion.PROTECT, related_name="+",
        to="reference.provincialunit", verbose_name="province of permanent residence")


def _switch(model: str, table: str, *, event: bool, null: bool) -> list:
    make = _event_field if event else _field
    return [
        migrations.AddField(model, "province_unit", make(null=True)),
        convert_to_successor(table),
        migrations.RemoveField(model, "province"),
        migrations.RenameField(model, "province_unit", "province"),
        migrations.AlterField(model, "province", make(null=null)),
    ]


class Migration(migrations.Migration):
    dependencies = [
        ("enrollment", "0005_learner_import_file_under_generated_name"),
        ("reference", "0003_provinces_since_july_2025"),
    ]

    operations = [
        *_switch("application", "enrollment_application", event=False, null=False),
        *_switch("applicationevent", "enrollment_applicationevent", event=True, null=False),
        *_switch("learner", "enrollment_learner", event=False, null=True),
        *_switch("learnerevent", "enrollment_learnerevent", event=True, null=True),
    ]
