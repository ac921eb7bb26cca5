"""Import of a program version's modules from a spreadsheet, all or nothing.

The file is the program's module table: after a successful import the version has exactly
the file's modules (others are removed). The preview (dry run) runs the same code and rolls
back. Only a version that is not in use can be imported into.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from training.models import ModulePrerequisite, Program
from training.resources import REQUIRED_COLUMNS, ModuleResource, normalize_headers
from training.services.common import error
from training.services.programs import (
    LEVEL_MISMATCH,
    PROGRAM_IN_USE,
    module_delete,
    program_create,
)
from training.services.programs.common import _editable
from training.services.programs.modules import _set_prerequisites
from vetschool.imports import ImportReport, Problem, import_all_or_nothing, read_dataset
from vetschool.reference.models import Level, Occupation


@dataclass
class ProgramImport:
    report: ImportReport
    program: Program | None = None
    program_created: bool = False
    removed: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.report.ok


class _Rollback(Exception):
    pass


def program_import(*, occupation: Occupation, effective_year: int, content: bytes,
                   filename: str, dry_run: bool = False, level: str | None = None,
                   by=None) -> ProgramImport:
    """Import the module table into the draft version (created if needed) of `occupation`
    in force from `effective_year`. Raises UnreadableFile for a file that cannot be read
    and ValidationError when the version is in use; row problems are in the report."""
    if level and level != occupation.level:
        raise error(LEVEL_MISMATCH, code="level_mismatch", field="level",
                    occupation=occupation.code, actual=occupation.get_level_display(),
                    level=Level(level).label)
    dataset = normalize_headers(read_dataset(content, filename))
    outcome = ProgramImport(report=ImportReport(dry_run=dry_run))
    try:
        with transaction.atomic():
            program = (Program.objects.filter(occupation=occupation,
                                              effective_year=effective_year)
                       .order_by("-revision").first())
            if program is None:
                program = program_create(occupation=occupation, effective_year=effective_year,
                                         level=level, by=by)
                outcome.program_created = True
            elif program.is_locked:
                raise error(PROGRAM_IN_USE, code="program_in_use")
            program = _editable(program)
            # The file states the prerequisites anew (and may reorder the semesters).
            ModulePrerequisite.objects.filter(module__program=program).delete()
            outcome.program = program
            resource = ModuleResource(program, by=by)
            report = import_all_or_nothing(resource, dataset, dry_run=False,
                                           required_columns=REQUIRED_COLUMNS)
            report.dry_run = dry_run
            outcome.report = report
            if report.ok:
                _finish(program, resource, dataset, outcome)
            if not outcome.report.ok or dry_run:
                raise _Rollback
    except _Rollback:
        pass
    if outcome.program is not None and outcome.program_created and (dry_run or not outcome.ok):
        outcome.program = None
    return outcome


def _finish(program: Program, resource: ModuleResource, dataset, outcome: ProgramImport):
    """Prerequisites once every module exists; then drop the modules the file left out."""
    by_code = {m.code: m for m in program.modules.all()}
    for code, required in resource.prerequisites.items():
        _set_prerequisites(by_code[code], required)
    for code, module in sorted(by_code.items()):
        if code not in resource.prerequisites:
            try:
                module_delete(module=module)
            except ValidationError as exc:
                outcome.report.problems.extend(Problem(0, "code", m) for m in exc.messages)
            else:
                outcome.removed.append(code)
    program.refresh_from_db()
    if not program.modules.exists():
        outcome.report.problems.append(Problem(0, "", _("The file has no module.")))
