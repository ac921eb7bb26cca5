"""The 34 provincial-level units since 1 July 2025 replace the 63 former provinces in
addresses. The former provinces stay for personal-ID checks (an ID number is for life) and
each points to its successor, through which every stored address is converted here."""

import csv
from pathlib import Path

import django.core.validators
import django.db.models.deletion
from django.db import migrations, models

DATA = Path(__file__).resolve().parent.parent / "data"


def _rows(name):
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


def load_provincial_units(apps, schema_editor):
    ProvincialUnit = apps.get_model("reference", "ProvincialUnit")
    Province = apps.get_model("reference", "Province")
    for row in _rows("provinces_2025.csv"):
        ProvincialUnit.objects.update_or_create(
            code=row["code"],
            defaults={"name_vi": row["name_vi"], "name_ascii": row["name_en"],
                      "kind": row["kind"]},
        )
    units = {u.code: u for u in ProvincialUnit.objects.all()}
    for row in _rows("provinces_former_to_2025.csv"):
        Province.objects.filter(admin_code=row["former_code"]).update(
            successor=units[row["code_2025"]])


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


def unit_field(*, event: bool) -> models.ForeignKey:
    if event:
        return models.ForeignKey(
            blank=True, db_constraint=False, null=True,
            on_delete=django.db.models.deletion.DO_NOTHING, related_name="+",
            related_query_name="+", to="reference.provincialunit", verbose_name="province")
    return models.ForeignKey(
        blank=True, null=True, on_delete=django.db.models.deletion.PROTECT,
        related_name="+", to="reference.provincialunit", verbose_name="province")


class Migration(migrations.Migration):
    dependencies = [("reference", "0002_extensions_and_code_lists")]

    operations = [
        migrations.CreateModel(
            name="ProvincialUnit",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                           verbose_name="ID")),
                ("code", models.CharField(max_length=2, unique=True, validators=[
                    django.core.validators.RegexValidator("^\\d{2}$")],
                    verbose_name="administrative code")),
                ("name_vi", models.CharField(max_length=100, verbose_name="name (Vietnamese)")),
                ("name_ascii", models.CharField(max_length=100,
                                                verbose_name="name (without diacritics)")),
                ("kind", models.CharField(choices=[("city", "centrally-run city"),
                                                   ("province", "province")],
                                          max_length=10, verbose_name="kind")),
            ],
            options={
                "verbose_name": "province or city (since 1 July 2025)",
                "verbose_name_plural": "provinces and cities (since 1 July 2025)",
                "ordering": ["name_vi"],
                "constraints": [models.CheckConstraint(
                    condition=models.Q(code__regex="^\\d{2}$"),
                    name="provincial_unit_code_2_digits")],
            },
        ),
        migrations.AddField(
            model_name="province",
            name="successor",
            field=models.ForeignKey(blank=True, null=True,
                                    on_delete=django.db.models.deletion.PROTECT,
                                    related_name="former", to="reference.provincialunit",
                                    verbose_name="provincial unit since 1 July 2025"),
        ),
        migrations.RunPython(load_provincial_units, migrations.RunPython.noop),
        migrations.AddField("institution", "province_unit", unit_field(event=False)),
        migrations.AddField("institutionevent", "province_unit", unit_field(event=True)),
        convert_to_successor("reference_institution"),
        convert_to_successor("reference_institutionevent"),
        migrations.RemoveField("institution", "province"),
        migrations.RemoveField("institutionevent", "province"),
        migrations.RenameField("institution", "province_unit", "province"),
        migrations.RenameField("institutionevent", "province_unit", "province"),
        migrations.AlterField(
            model_name="institution", name="province",
            field=models.ForeignKey(blank=True, null=True,
                                    on_delete=django.db.models.deletion.PROTECT,
                                    to="reference.provincialunit", verbose_name="province"),
        ),
        migrations.AlterField(
            model_name="institutionevent", name="province",
            field=models.ForeignKey(blank=True, db_constraint=False, null=True,
                                    on_delete=django.db.models.deletion.DO_NOTHING,
                                    related_name="+", related_query_name="+",
                                    to="reference.provincialunit", verbose_name="province"),
        ),
    ]
