"""The self-assessment report of a cycle as a PDF (vetschool/pdf.py), in Vietnamese:
council, totals against the framework's thresholds with what is missing, then every
standard with its description, strengths, weaknesses, plan, yearly ratings and evidence."""

from __future__ import annotations

from quality import selectors_accreditation as selectors
from vetschool.pdf import render_pdf


def cycle_report_context(cycle) -> dict:
    assessments = list(selectors.cycle_assessments(cycle))
    result = selectors.cycle_result(cycle, assessments)
    by_number = {r.number: r for r in result.criteria}
    criteria = []
    for criterion in cycle.framework.criteria.order_by("number"):
        rows = [a for a in assessments if a.standard.criterion_id == criterion.pk]
        criteria.append({"criterion": criterion, "result": by_number[criterion.number],
                         "assessments": rows})
    return {
        "cycle": cycle, "framework": cycle.framework, "result": result, "criteria": criteria,
        "council": list(cycle.council.select_related("enterprise")),
        "groups": list(cycle.working_groups.prefetch_related("standards__criterion")),
        "warnings": selectors.council_warnings(cycle),
        "years": cycle.years,
    }


def cycle_report_pdf(cycle, *, language: str = "vi") -> bytes:
    return render_pdf("quality/pdf/accreditation_report.html", cycle_report_context(cycle),
                      language=language)
