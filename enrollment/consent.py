"""The consent an applicant gives to the processing of their personal data (Personal Data
Protection Law 91/2025/QH15, Decree 356/2025), and who must consent for a child.

The text shown is stored with the application together with its version, so the college
can show what exactly was agreed to. Change CONSENT_VERSION whenever the text changes.

A child is a person under 16 (Law on Children 2016, Art. 1); for a child the legal
representative exercises the data subject's rights (Law 91/2025, Art. 24), so an
applicant under CONSENT_GUARDIAN_BELOW_AGE on the day of the application needs the consent
of a legal representative, recorded by name, relation and phone, besides their own.
"""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext_lazy as _

CONSENT_VERSION = "2026-01"
CONSENT_GUARDIAN_BELOW_AGE = 16

CONSENT_TEXT = _(
    "I agree that the college processes the personal data of this application (identity, "
    "contact, education, documents) to review it and decide on my admission, and to enrol "
    "me if I am admitted, as described in the college's record of processing purposes. "
    "If I am not admitted, my personal data and documents are erased after the admission "
    "round closes and the retention period ends. I may withdraw this consent, ask to see or "
    "correct my data by contacting the admissions office. I confirm that the information "
    "given is true."
)
GUARDIAN_CONSENT_TEXT = _(
    "As the applicant's legal representative, I agree to the processing of the applicant's "
    "personal data described above."
)


def age_on(born: date, day: date) -> int:
    """Age in whole years on `day` (the civil age, not the admission-year convention)."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def needs_guardian_consent(born: date | None, day: date) -> bool:
    return born is not None and age_on(born, day) < CONSENT_GUARDIAN_BELOW_AGE


def consent_record(*, guardian: bool) -> str:
    """The text the applicant (and their representative) agreed to, as it was shown."""
    text = str(CONSENT_TEXT)
    return f"{text}\n\n{GUARDIAN_CONSENT_TEXT}" if guardian else text
