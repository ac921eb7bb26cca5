"""Enrollment's legal records a backup counts and the restore drill checks (vetschool.backups)."""

from enrollment.models import Enrollment, Learner
from vetschool.backups.registry import legal_records

legal_records("learners", Learner)
legal_records("enrolments", Enrollment)
