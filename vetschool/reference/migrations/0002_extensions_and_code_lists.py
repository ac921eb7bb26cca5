import csv
from pathlib import Path

from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data"


def _rows(name):
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


def load_code_lists(apps, schema_editor):
    Province = apps.get_model("reference", "Province")
    EthnicGroup = apps.get_model("reference", "EthnicGroup")
    for row in _rows("provinces.csv"):
        Province.objects.update_or_create(
            id_code=row["id_code"],
            defaults={
                "admin_code": row["admin_code"],
                "name_vi": row["name_vi"],
                "name_ascii": row["name_ascii"],
                "unit_type": row["unit_type_at_issue"],
            },
        )
    for row in _rows("ethnic_groups.csv"):
        EthnicGroup.objects.update_or_create(
            code=row["code"],
            defaults={
                "name_vi": row["name_vi"],
                "name_ascii": row["name_ascii"],
                "other_spellings": row["other_spellings"],
            },
        )


# unaccent() is only STABLE; an IMMUTABLE wrapper lets apps index unaccented names
# (accent-insensitive search: "nguyen van an" finds "Nguyễn Văn An").
IMMUTABLE_UNACCENT = """
CREATE OR REPLACE FUNCTION immutable_unaccent(text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$;
"""


class Migration(migrations.Migration):
    dependencies = [("reference", "0001_initial")]

    operations = [
        UnaccentExtension(),
        TrigramExtension(),
        migrations.RunSQL(IMMUTABLE_UNACCENT, "DROP FUNCTION IF EXISTS immutable_unaccent(text);"),
        migrations.RunPython(load_code_lists, migrations.RunPython.noop),
    ]
