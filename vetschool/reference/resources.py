"""Import of the ministry's occupation catalogue (columns: code, name_vi, name_en, level)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import fields, resources

from vetschool.reference.models import LEVEL_DIGIT, Level, Occupation
from vetschool.spreadsheets import FormulaSafeExport

_LEVEL_ALIASES = {
    "intermediate": Level.INTERMEDIATE,
    "trung cấp": Level.INTERMEDIATE,
    "trung cap": Level.INTERMEDIATE,
    "college": Level.COLLEGE,
    "cao đẳng": Level.COLLEGE,
    "cao dang": Level.COLLEGE,
}
OCCUPATION_COLUMNS = ("code", "name_vi", "level")


class LevelField(fields.Field):
    def clean(self, row, **kwargs):
        raw = (row.get(self.column_name) or "").strip().lower()
        if not raw:
            code = str(row.get("code") or "").strip()
            for level, digit in LEVEL_DIGIT.items():
                if code.startswith(digit):
                    return level
            raise ValueError(_("Level is empty and cannot be read from the code."))
        if raw not in _LEVEL_ALIASES:
            raise ValueError(_("Unknown level %(value)r: use intermediate or college.")
                             % {"value": raw})
        return _LEVEL_ALIASES[raw]


class OccupationResource(FormulaSafeExport, resources.ModelResource):
    level = LevelField(attribute="level", column_name="level")

    class Meta:
        model = Occupation
        fields = ("code", "name_vi", "name_en", "level")
        import_id_fields = ("code",)
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    def before_import_row(self, row, **kwargs):
        for key in ("code", "name_vi", "name_en", "level"):
            if row.get(key) is not None:
                row[key] = str(row[key]).strip()

    def import_instance(self, instance, row, **kwargs):
        try:
            super().import_instance(instance, row, **kwargs)
        except ValueError as exc:
            raise ValidationError({"level": str(exc)}) from exc
