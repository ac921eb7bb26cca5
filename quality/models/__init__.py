"""Quality assurance tables. So far: graduate tracking (tracer study) — see
docs/quality.md."""

from quality.models.reports import StatisticalReport
from quality.models.tracer import (
    Checkpoint,
    EmploymentStatus,
    IncomeBand,
    JobRelatedness,
    TracerRecord,
    TracerSource,
)

__all__ = ["Checkpoint", "EmploymentStatus", "IncomeBand", "JobRelatedness",
           "StatisticalReport", "TracerRecord", "TracerSource"]
