"""The administrators' console of training."""

from training import admin_grading  # noqa: F401  (grading: gradebooks, amendments, results)
