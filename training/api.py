"""REST API of training under /api/v1/ (registered on vetschool.api.router)."""

from training import api_grading  # noqa: F401  (grading: gradebooks and transcripts)
