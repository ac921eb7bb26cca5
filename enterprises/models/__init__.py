"""Partner enterprises, their contact people, cooperation agreements and job postings.

enterprises depends only on the platform (occupations and provincial units are in
`vetschool.reference`); internship placements live in grading, graduate tracking in quality
(docs/enterprises.md)."""

from enterprises.models.agreements import Agreement, AgreementScope, agreement_path
from enterprises.models.enterprises import (
    TAX_CODE_VALIDATOR,
    Contact,
    Enterprise,
    Sector,
    normalize_tax_code,
)
from enterprises.models.postings import JobPosting, SalaryBand

__all__ = [
    "TAX_CODE_VALIDATOR", "Agreement", "AgreementScope", "Contact", "Enterprise", "JobPosting",
    "SalaryBand", "Sector", "agreement_path", "normalize_tax_code",
]
