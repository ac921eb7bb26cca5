"""A program version as a PDF, always in Vietnamese: it is the official document of the
curriculum."""

from __future__ import annotations

from collections import OrderedDict

from django.utils import timezone

from training.models import AssessmentKind, ModuleKind, Program
from vetschool.pdf import render_pdf
from vetschool.reference.models import Institution


def program_context(program: Program) -> dict:
    modules = list(program.modules.all())
    groups: OrderedDict[str, list] = OrderedDict((kind, []) for kind in ModuleKind.values)
    for module in modules:
        plan = {line.kind: line for line in module.assessment_plan.all()}
        module.plan_continuous = plan.get(AssessmentKind.CONTINUOUS)
        module.plan_periodic = plan.get(AssessmentKind.PERIODIC)
        module.plan_exam = plan.get(AssessmentKind.EXAM)
        groups[module.kind].append(module)
    sections = [
        {"label": ModuleKind(kind).label, "modules": items,
         "credits": sum(m.credits for m in items),
         "theory": sum(m.theory_hours for m in items),
         "practice": sum(m.practice_hours for m in items),
         "exam": sum(m.exam_hours for m in items),
         "hours": sum(m.total_hours for m in items)}
        for kind, items in groups.items() if items
    ]
    semesters = sorted({m.planned_semester for m in modules})
    return {
        "program": program,
        "outcomes": list(program.outcomes.all()),
        "groups": sections,
        "by_semester": [
            (n, items, sum(m.credits for m in items))
            for n in semesters
            for items in [[m for m in modules if m.planned_semester == n]]
        ],
        "totals": {
            "credits": sum(m.credits for m in modules),
            "theory": sum(m.theory_hours for m in modules),
            "practice": sum(m.practice_hours for m in modules),
            "exam": sum(m.exam_hours for m in modules),
            "hours": sum(m.total_hours for m in modules),
        },
        "institution": Institution.current(),
        "today": timezone.localdate(),
    }


def program_pdf(program: Program) -> bytes:
    """`program` should come from selectors.program_detail (outcomes, modules prefetched)."""
    return render_pdf("training/pdf/program.html", program_context(program), language="vi")
