"""Import of a program version's modules from a spreadsheet, all or nothing.

The file is the program's module table: after a successful import the version has exactly
the file's modules (others are removed). The preview (dry run) runs the same code and rolls
back (vetschool.imports.run_import). Only a version that is not in use can be imported
into. A program's table is tens of rows: it is imported in the request, with no job.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from training.models import ModulePrerequisite, Program
from training.services.common import error
from training.services.programs import (
    LEVEL_MISMATCH,
    PROGRAM_IN_USE,
    module_delete,
    program_create,
)
from training.services.programs.common import program_editable
from training.services.programs.modules import set_prerequisites
from vetschool.imports import ImportReport, Problem, read_dataset, resource_rows, run_import
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


def program_import(*, occupation: Occupation, effective_year: int, content: bytes,
                   filename: str, dry_run: bool = False, level: str | None = None,
                   by=None) -> ProgramImport:
    """Import the module table into the draft version (created if needed) of `occupation`
    in force from `effective_year`. Raises UnreadableFile for a file that cannot be read
    and ValidationError when the version is in use; row problems are in the report."""
    # Imported here, not at the top: the resource saves its rows through
    # training.services, whose package gathers this module, so a module-level import
    # would make `import training.resources` fail when it comes first.
    from training.resources import normalize_headers

    if level and level != occupation.level:
        raise error(LEVEL_MISMATCH, code="level_mismatch", field="level",
                    occupation=occupation.code, actual=occupation.get_level_display(),
                    level=Level(level).label)
    dataset = normalize_headers(read_dataset(content, filename))
    table = _ModuleTable(occupation, effective_year, level=level, by=by)
    outcome = ProgramImport(report=run_import(dataset, table, dry_run=dry_run),
                            program=table.program, program_created=table.program_created,
                            removed=table.removed)
    if outcome.program is not None and outcome.program_created and (dry_run or not outcome.ok):
        outcome.program = None  # rolled back with the rest
    return outcome


class _ModuleTable:
    """The row handler: the draft version, its modules row by row, then what follows from
    the whole table (prerequisites, the modules the file left out)."""

    def __init__(self, occupation: Occupation, effective_year: int, *, level, by):
        self.occupation, self.effective_year = occupation, effective_year
        self.level, self.by = level, by
        self.program: Program | None = None
        self.program_created = False
        self.removed: list[str] = []

    def __call__(self, dataset, report: ImportReport) -> None:
        from training.resources import REQUIRED_COLUMNS, ModuleResource

        program = (Program.objects.filter(occupation=self.occupation,
                                          effective_year=self.effective_year)
                   .order_by("-revision").first())
        if program is None:
            program = program_create(occupation=self.occupation,
                                     effective_year=self.effective_year, level=self.level,
                                     by=self.by)
            self.program_created = True
        elif program.is_locked:
            raise error(PROGRAM_IN_USE, code="program_in_use")
        program = program_editable(program)
        # The file states the prerequisites anew (and may reorder the semesters).
        ModulePrerequisite.objects.filter(module__program=program).delete()
        self.program = program
        resource = ModuleResource(program, by=self.by)
        resource_rows(resource, required_columns=REQUIRED_COLUMNS)(dataset, report)
        if report.ok:
            _finish(program, resource, report, self.removed)


def _finish(program: Program, resource, report: ImportReport, removed: list[str]) -> None:
    """Prerequisites once every module exists; then drop the modules the file left out."""
    by_code = {m.code: m for m in program.modules.all()}
    for code, required in resource.prerequisites.items():
        set_prerequisites(by_code[code], required)
    for code, module in sorted(by_code.items()):
        if code not in resource.prerequisites:
            try:
                module_delete(module=module)
            except ValidationError as exc:
                report.problems.extend(Problem(0, "code", m) for m in exc.messages)
            else:
                removed.append(code)
    program.refresh_from_db()
    if not program.modules.exists():
        report.problems.append(Problem(0, "", _("The file has no module.")))
