"""Grading's legal records a backup counts and the restore drill checks (vetschool.backups):
approved gradebook cells (locked by the approval) and module results."""

from grading.models import ModuleResult, Score
from vetschool.backups.registry import legal_records

legal_records("approved_scores", Score, where="locked")
legal_records("module_results", ModuleResult)
