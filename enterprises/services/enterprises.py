from __future__ import annotations

from django.db import transaction

from enterprises.models import Enterprise, normalize_tax_code


@transaction.atomic
def enterprise_save(*, enterprise: Enterprise, occupations=None) -> Enterprise:
    """Validate (tax code format and uniqueness, province) and store; `occupations`, when
    given, replaces the occupations the enterprise takes."""
    enterprise.tax_code = normalize_tax_code(enterprise.tax_code)
    enterprise.full_clean()
    enterprise.save()
    if occupations is not None:
        enterprise.occupations.set(occupations)
    return enterprise
