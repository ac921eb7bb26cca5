"""Import of partner enterprises from XLSX/CSV on the one import path (vetschool.imports):
a check and a commit on the same code, all or nothing, a report by row and column.

One row per enterprise, keyed by `tax_code`: a new code creates the enterprise, a known one
updates it. `province` is the 2-digit code of a current provincial unit or its name (with or
without accents); `sector` the VSIC letter; `occupations` occupation codes separated by
commas or semicolons (they replace the enterprise's list). A college's partner list is a few
hundred rows: the import runs in the request.
"""

from __future__ import annotations

import re
import unicodedata

import tablib
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from enterprises.models import Enterprise, Sector, normalize_tax_code
from vetschool.imports import HEADER_ROWS, ImportReport, Problem, run_import_file
from vetschool.reference.models import Occupation, ProvincialUnit
from vetschool.spreadsheets import safe_dataset

REQUIRED_COLUMNS = ("tax_code", "name", "sector", "province", "address")
COLUMNS = REQUIRED_COLUMNS + ("short_name", "phone", "email", "website", "occupations")


def _text(value) -> str:
    return unicodedata.normalize("NFC", str(value if value is not None else "")).strip()


def _folded(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.lower().replace("đ", "d"))
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


PROVINCE_PREFIXES = ("thanh pho ", "tp. ", "tp ", "tinh ")


def _province_key(text: str) -> str:
    """A province name folded (no accents, lower case) without "Thành phố"/"Tỉnh" before it."""
    folded = _folded(text)
    for prefix in PROVINCE_PREFIXES:
        if folded.startswith(prefix):
            return folded[len(prefix):].strip()
    return folded


def _provinces() -> dict[str, ProvincialUnit]:
    found = {}
    for unit in ProvincialUnit.objects.all():
        found[unit.code] = unit
        found[_province_key(unit.name_vi)] = unit
        found[_province_key(unit.name_ascii)] = unit
    return found


def enterprise_rows(dataset: tablib.Dataset, report: ImportReport) -> None:
    headers = [(h or "").strip() for h in (dataset.headers or [])]
    missing = [c for c in REQUIRED_COLUMNS if c not in headers]
    if missing:
        report.problems.append(Problem(HEADER_ROWS, ", ".join(missing),
                                       _("Required column missing.")))
        return
    if not len(dataset):
        report.problems.append(Problem(HEADER_ROWS + 1, "", _("The file has no data rows.")))
        return
    provinces = _provinces()
    occupations = {o.code: o for o in Occupation.objects.all()}
    seen: dict[str, int] = {}
    for index, values in enumerate(dataset, start=HEADER_ROWS + 1):
        row = {h: _text(v) for h, v in zip(headers, values, strict=False) if h in COLUMNS}
        problems = _import_row(row, index, provinces, occupations, seen, report)
        report.problems.extend(problems)


def _import_row(row, index, provinces, occupations, seen, report) -> list[Problem]:
    problems = []
    tax_code = normalize_tax_code(row.get("tax_code", ""))
    if tax_code in seen:
        return [Problem(index, "tax_code", _("The same tax code is on row %(row)d.")
                        % {"row": seen[tax_code]})]
    seen[tax_code] = index
    province = provinces.get(row.get("province", "").zfill(2) if row.get("province", "")
                             .isdigit() else _province_key(row.get("province", "")))
    if province is None:
        problems.append(Problem(index, "province", _(
            "Unknown province/city: give the code or the name of one of the 34 units in force "
            "since 1 July 2025.")))
    sector = row.get("sector", "").upper()[:1]
    if sector not in Sector.values:
        problems.append(Problem(index, "sector", _("Unknown sector: give its VSIC letter (A–S).")))
    codes = [c for c in re.split(r"[,;\s]+", row.get("occupations", "")) if c]
    unknown = [c for c in codes if c not in occupations]
    if unknown:
        problems.append(Problem(index, "occupations", _("Unknown occupation codes: %(codes)s")
                                % {"codes": ", ".join(unknown)}))
    if problems:
        return problems
    enterprise = Enterprise.objects.filter(tax_code=tax_code).first()
    is_new = enterprise is None
    enterprise = enterprise or Enterprise(tax_code=tax_code)
    for field in ("name", "short_name", "address", "phone", "email", "website"):
        if field in row:
            setattr(enterprise, field, row[field])
    enterprise.sector, enterprise.province = sector, province
    try:
        enterprise.full_clean()
    except ValidationError as exc:
        return [Problem(index, field if field != "__all__" else "", message)
                for field, messages in exc.message_dict.items() for message in messages]
    enterprise.save()
    if "occupations" in row:
        enterprise.occupations.set([occupations[c] for c in codes])
    if is_new:
        report.new += 1
    else:
        report.updated += 1
    return []


def enterprise_import(*, content: bytes, filename: str, dry_run: bool) -> ImportReport:
    return run_import_file(content, filename, enterprise_rows, dry_run=dry_run)


def import_template() -> bytes:
    dataset = tablib.Dataset(headers=list(COLUMNS), title="enterprises")
    dataset.append(["0101234567", "Công ty TNHH Cơ khí Ví Dụ", "C", "01",
                    "Số 1 đường Ví Dụ, phường Ba Đình, Hà Nội", "CK Ví Dụ", "0241234567",
                    "lienhe@example.vn", "", ""])
    return safe_dataset(dataset).export("xlsx")
