"""Degrees' legal records a backup counts and the restore drill checks (vetschool.backups):
decisions and their lines, the diploma register (diplomas, its number counters, certified
copies); and the signing key, which lives outside the database."""

from degrees.credentials.keys import stored_key_text
from degrees.models import CertifiedCopy, DecisionLine, Diploma, DiplomaCounter, GraduationDecision
from vetschool.backups.registry import legal_records, secret

legal_records("graduation_decisions", GraduationDecision)
legal_records("graduation_decision_lines", DecisionLine)
legal_records("diplomas", Diploma)
legal_records("diploma_register_counters", DiplomaCounter)
legal_records("diploma_certified_copies", CertifiedCopy)
secret("degrees-signing-key", stored_key_text)
