"""Import of a program's modules from XLSX/CSV: one row per module, the layout colleges use.

Columns (Vietnamese headers of the usual program tables are accepted, see HEADER_ALIASES):
code, name_vi, name_en, credits, theory_hours, practice_hours, exam_hours, total_hours
(checked against the sum when given), kind, semester, counts_in_gpa, prerequisites
(codes separated by commas), continuous_checks, periodic_checks, exam_form.

Every row is saved through `training.services.module_save`, so the import and the admin
follow the same rules; prerequisites are set once every module exists. Rows are keyed by
module code within the program version: importing the same file again changes nothing.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from io import BytesIO

import tablib
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import resources
from openpyxl import Workbook
from openpyxl.styles import Font

from training import services
from training.models import (
    AssessmentForm,
    AssessmentKind,
    Module,
    ModuleKind,
    Program,
    default_check_counts,
)
from training.services.programs import (
    PlanLine,
    is_condition_module_name,
    normalize_module_code,
    semesters_of,
)

REQUIRED_COLUMNS = ("code", "name_vi", "credits", "theory_hours", "practice_hours",
                    "exam_hours", "kind", "semester")
COLUMNS = ("code", "name_vi", "name_en", "credits", "theory_hours", "practice_hours",
           "exam_hours", "total_hours", "kind", "semester", "counts_in_gpa", "prerequisites",
           "continuous_checks", "periodic_checks", "exam_form")


def plain(text) -> str:
    """Lower case, no diacritics, single spaces: 'Lý thuyết' → 'ly thuyet'."""
    text = unicodedata.normalize("NFD", str(text if text is not None else ""))
    text = "".join(c for c in text if unicodedata.category(c) != "Mn")
    text = text.replace("đ", "d").replace("Đ", "D")
    return " ".join(text.lower().split())


# Header spellings of the program tables colleges already keep, without diacritics.
HEADER_ALIASES = {
    "code": ["code", "ma", "ma mh/md", "ma mh, md", "ma mh", "ma mon hoc", "ma mon hoc/mo dun",
             "ma mh/mđ"],
    "name_vi": ["name_vi", "name", "ten", "ten mon hoc/mo dun", "ten mon hoc, mo dun",
                "ten mon hoc", "ten mon hoc/mo-dun"],
    "name_en": ["name_en", "ten tieng anh", "english name"],
    "credits": ["credits", "so tin chi", "tin chi", "stc"],
    "theory_hours": ["theory_hours", "ly thuyet", "gio ly thuyet", "lt"],
    "practice_hours": ["practice_hours", "thuc hanh", "gio thuc hanh", "th",
                       "thuc hanh/thuc tap/thi nghiem/bai tap/thao luan",
                       "thuc hanh/thi nghiem/bai tap/thao luan"],
    "exam_hours": ["exam_hours", "thi/kiem tra", "kiem tra", "thi", "thi, kiem tra", "kt"],
    "total_hours": ["total_hours", "tong so gio", "tong so", "tong gio"],
    "kind": ["kind", "loai", "khoi kien thuc", "loai mon hoc"],
    "semester": ["semester", "planned_semester", "hoc ky", "hk", "hoc ky du kien"],
    "counts_in_gpa": ["counts_in_gpa", "tinh diem tbc", "tinh vao diem tbc", "tinh tbc",
                      "tinh diem trung binh"],
    "prerequisites": ["prerequisites", "tien quyet", "mon tien quyet", "mon hoc truoc",
                      "hoc truoc"],
    "continuous_checks": ["continuous_checks", "kiem tra thuong xuyen", "kttx", "so bai kttx"],
    "periodic_checks": ["periodic_checks", "kiem tra dinh ky", "ktdk", "so bai ktdk"],
    "exam_form": ["exam_form", "hinh thuc thi", "hinh thuc thi ket thuc"],
}
_HEADER_OF = {alias: column for column, aliases in HEADER_ALIASES.items() for alias in aliases}

KIND_ALIASES = {
    ModuleKind.GENERAL: ["general", "chung", "mon hoc chung", "dai cuong", "cac mon hoc chung"],
    ModuleKind.CORE: ["core", "co so", "mon hoc co so", "co so nganh", "mon hoc, mo dun co so"],
    ModuleKind.SPECIALIZED: ["specialized", "chuyen mon", "chuyen nganh",
                             "mon hoc, mo dun chuyen mon"],
    ModuleKind.ELECTIVE: ["elective", "tu chon", "mon hoc tu chon", "mon hoc, mo dun tu chon"],
    ModuleKind.INTERNSHIP: ["internship", "thuc tap", "thuc tap tot nghiep"],
}
_KIND_OF = {alias: kind for kind, aliases in KIND_ALIASES.items() for alias in aliases}

FORM_ALIASES = {
    AssessmentForm.WRITTEN: ["written", "viet", "tu luan", "thi viet"],
    AssessmentForm.MULTIPLE_CHOICE: ["multiple_choice", "trac nghiem"],
    AssessmentForm.ORAL: ["oral", "van dap"],
    AssessmentForm.PRACTICAL: ["practical", "thuc hanh", "thi thuc hanh"],
    AssessmentForm.COMBINED: ["combined", "viet + thuc hanh", "viet va thuc hanh", "tich hop",
                              "ly thuyet + thuc hanh"],
    AssessmentForm.REPORT: ["report", "tieu luan", "bao cao", "do an", "bao cao thuc tap"],
    AssessmentForm.ONLINE: ["online", "truc tuyen"],
}
_FORM_OF = {alias: form for form, aliases in FORM_ALIASES.items() for alias in aliases}
_TRUE = {"1", "x", "yes", "true", "co", "c"}
_FALSE = {"0", "no", "false", "khong", "k"}


def normalize_headers(dataset: tablib.Dataset) -> tablib.Dataset:
    """Rename known header spellings to the column names (unknown ones are kept)."""
    if dataset.headers:
        dataset.headers = [_HEADER_OF.get(plain(h), str(h).strip() if h else "")
                           for h in dataset.headers]
    return dataset


def _whole(value, column: str, *, minimum: int = 0, maximum: int = 10000) -> int:
    text = str(value).strip() if value is not None else ""
    if text == "":
        return 0 if minimum == 0 else _fail(column, _("Required."))
    try:
        number = Decimal(text.replace(",", "."))
    except InvalidOperation:
        _fail(column, _("%(value)r is not a whole number.") % {"value": text})
    if number != number.to_integral_value() or not minimum <= number <= maximum:
        _fail(column, _("Give a whole number from %(min)s to %(max)s.")
              % {"min": minimum, "max": maximum})
    return int(number)


def _fail(column: str, message: str):
    raise ValidationError({column: message})


class ModuleResource(resources.ModelResource):
    """Rows of one program version's module table."""

    class Meta:
        model = Module
        fields = ("code",)
        import_id_fields = ("code",)
        skip_unchanged = False
        clean_model_instances = False
        skip_diff = True

    def __init__(self, program: Program, *, by=None):
        super().__init__()
        self.program = program
        self.by = by
        self.file_semesters: dict[str, int] = {}
        self.prerequisites: dict[str, list[str]] = {}

    def get_queryset(self):
        return Module.objects.filter(program=self.program)

    def init_instance(self, row=None):
        return Module(program=self.program)

    def before_import(self, dataset, **kwargs):
        for row in dataset.dict:
            code = normalize_module_code(row.get("code"))
            try:
                self.file_semesters[code] = int(Decimal(str(row.get("semester")).strip()))
            except (InvalidOperation, ValueError, TypeError):
                continue

    def before_import_row(self, row, **kwargs):
        row["code"] = normalize_module_code(row.get("code"))

    def import_instance(self, instance, row, **kwargs):
        """Read and check every column of the row; the values wait on the instance."""
        errors: dict[str, list[str]] = {}
        values: dict = {}

        def take(column, parse):
            try:
                values[column] = parse()
            except ValidationError as exc:
                for field, messages in exc.message_dict.items():
                    errors.setdefault(field, []).extend(messages)

        code = row.get("code") or ""
        if not code:
            errors["code"] = [_("Required.")]
        elif len(code) > 20:
            errors["code"] = [_("At most 20 characters.")]
        name = unicodedata.normalize("NFC", str(row.get("name_vi") or "")).strip()
        if not name:
            errors["name_vi"] = [_("Required.")]
        values["name_vi"] = name
        values["name_en"] = str(row.get("name_en") or "").strip()
        take("credits", lambda: _whole(row.get("credits"), "credits", maximum=30))
        for column in ("theory_hours", "practice_hours", "exam_hours"):
            take(column, lambda c=column: _whole(row.get(c), c, maximum=5000))
        take("semester", lambda: self._semester(row.get("semester")))
        take("kind", lambda: self._kind(row.get("kind")))
        take("counts_in_gpa", lambda: self._flag(row.get("counts_in_gpa"), name))
        take("exam_form", lambda: self._form(row.get("exam_form"), code))
        take("continuous_checks", lambda: _whole(row.get("continuous_checks"),
                                                 "continuous_checks", maximum=10))
        take("periodic_checks", lambda: _whole(row.get("periodic_checks"), "periodic_checks",
                                               maximum=10))
        hours = [values.get(c) for c in ("theory_hours", "practice_hours", "exam_hours")]
        if None not in hours and not (hours[0] or hours[1]):
            errors.setdefault("theory_hours", []).append(
                _("A module needs theory or practice hours."))
        total = row.get("total_hours")
        if total not in (None, "") and None not in hours:
            try:
                given = _whole(total, "total_hours", maximum=20000)
                if given != sum(hours):
                    errors.setdefault("total_hours", []).append(
                        _("%(given)s is not the sum of theory, practice and exam hours "
                          "(%(sum)s).") % {"given": given, "sum": sum(hours)})
            except ValidationError as exc:
                errors.setdefault("total_hours", []).extend(exc.message_dict["total_hours"])
        if code and values.get("semester"):
            take("prerequisites", lambda: self._prerequisites(
                row.get("prerequisites"), code, values["semester"]))
        if errors:
            raise ValidationError(errors)
        instance._import_values = values

    def _semester(self, value) -> int:
        top = semesters_of(self.program)
        return _whole(value, "semester", minimum=1, maximum=top)

    @staticmethod
    def _kind(value) -> str:
        kind = _KIND_OF.get(plain(value))
        if kind is None:
            _fail("kind", _("Unknown kind %(value)r: use general, core, specialized, elective "
                            "or internship (or chung, cơ sở, chuyên môn, tự chọn, thực tập).")
                  % {"value": str(value or "")})
        return kind

    @staticmethod
    def _flag(value, name: str) -> bool:
        text = plain(value)
        if text == "":
            return not is_condition_module_name(name)
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        _fail("counts_in_gpa", _("Write yes or no (có / không)."))

    @staticmethod
    def _form(value, code: str) -> str:
        text = plain(value)
        if text == "":
            return AssessmentForm.WRITTEN
        form = _FORM_OF.get(text)
        if form is None:
            _fail("exam_form", _("Unknown exam form %(value)r.") % {"value": str(value)})
        return form

    def _prerequisites(self, value, code: str, semester: int) -> list[str]:
        codes = [normalize_module_code(c) for c in re.split(r"[,;]", str(value or ""))]
        codes = [c for c in codes if c]
        for required in codes:
            if required == code:
                _fail("prerequisites", _("A module cannot be its own prerequisite."))
            if required not in self.file_semesters:
                _fail("prerequisites", _("%(code)s is not a module of this file.")
                      % {"code": required})
            if self.file_semesters[required] >= semester:
                _fail("prerequisites", _("%(code)s is planned in semester %(semester)s; a "
                                         "prerequisite must come earlier.")
                      % {"code": required, "semester": self.file_semesters[required]})
        return codes

    def save_instance(self, instance, is_create, row, **kwargs):
        values = instance._import_values
        credits = values["credits"]
        continuous, periodic = default_check_counts(credits)
        plan = [
            PlanLine(AssessmentKind.CONTINUOUS, values["continuous_checks"] or continuous),
            PlanLine(AssessmentKind.PERIODIC, values["periodic_checks"] or periodic),
            PlanLine(AssessmentKind.EXAM, 1, values["exam_form"]),
        ]
        module = services.module_save(
            program=self.program, module=None if is_create else instance, code=row["code"],
            name_vi=values["name_vi"], name_en=values["name_en"], kind=values["kind"],
            credits=credits, theory_hours=values["theory_hours"],
            practice_hours=values["practice_hours"], exam_hours=values["exam_hours"],
            planned_semester=values["semester"], counts_in_gpa=values["counts_in_gpa"],
            order=kwargs.get("row_number"), assessment_plan=plan, by=self.by,
        )
        instance.pk = module.pk
        self.prerequisites[module.code] = values.get("prerequisites", [])

    def save_m2m(self, instance, row, **kwargs):
        pass


def template_xlsx() -> bytes:
    """An example module table with the Vietnamese headers (the college's usual layout)."""
    headers = ["Mã MH/MĐ", "Tên môn học/mô-đun", "Tên tiếng Anh", "Số tín chỉ", "Lý thuyết",
               "Thực hành", "Thi/Kiểm tra", "Tổng số giờ", "Loại", "Học kỳ", "Tính điểm TBC",
               "Tiên quyết", "Kiểm tra thường xuyên", "Kiểm tra định kỳ", "Hình thức thi"]
    rows = [
        ["MH01", "Giáo dục chính trị", "Politics", 4, 41, 29, 5, 75, "chung", 1, "có", "",
         1, 1, "viết"],
        ["MH03", "Giáo dục thể chất", "Physical education", 2, 5, 51, 4, 60, "chung", 1,
         "không", "", 1, 1, "thực hành"],
        ["MĐ07", "Lập trình căn bản", "Programming fundamentals", 4, 30, 56, 4, 90, "cơ sở", 1,
         "", "", 2, 2, "thực hành"],
        ["MĐ09", "Lập trình hướng đối tượng", "Object-oriented programming", 4, 30, 56, 4, 90,
         "chuyên môn", 2, "", "MĐ07", 2, 2, "viết + thực hành"],
    ]
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "CTĐT"
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
