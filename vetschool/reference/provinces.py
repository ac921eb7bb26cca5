"""Province codes after the 1 July 2025 merger, for addresses (REGULATIONS data README).

A 2-digit code is unambiguous whether it is a current or a former one: every current unit
kept the code of one of the provinces it was formed from, so reading a former code through
its successor gives the same unit. A 3-digit code is the former province's code in personal
ID numbers, read through its successor too.
"""

from vetschool.reference.models import Province, ProvincialUnit


def units_by_code() -> dict[str, ProvincialUnit]:
    """Every code an address may carry (current, former 2-digit, former 3-digit) → its unit."""
    units = {unit.code: unit for unit in ProvincialUnit.objects.all()}
    for former in Province.objects.select_related("successor").exclude(successor=None):
        units.setdefault(former.admin_code, former.successor)
        units[former.id_code] = former.successor
    return units


def unit_for_code(code: str) -> ProvincialUnit | None:
    code = (code or "").strip()
    if not code.isdigit():
        return None
    return units_by_code().get(code.zfill(2) if len(code) < 3 else code)
