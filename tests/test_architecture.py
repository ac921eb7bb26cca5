"""The import picture of docs/architecture.md, checked from the source.

Two rules: every import points down the dependency picture (a domain app imports
only apps below it, the platform `vetschool` imports no domain app), and no files
import each other in a circle when they load. The source of every app file
(migrations included) is read with `ast`, so no database or Django setup is needed.
An import inside a function counts for the first rule as much as one at the top of
a file; for the second only imports that run on load count (top of the file, class
bodies), together with the package `__init__` files they run, so the test fails
exactly where importing one of the files first would fail. The one way to break a
circle is the boring one: the lower file imports the other inside the function that
needs it, as a Celery task imports its service (checked below too).

Apps name each other by dotted string where Django expects it (`INSTALLED_APPS`,
`include("training.urls")`, migration dependencies): a string is not an import,
so the composition roots `vetschool/settings.py` and `vetschool/urls.py` need no
exception.
"""

import ast
from dataclasses import dataclass
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PLATFORM = "vetschool"

# The arrows of the picture: each domain app and the domain apps it may import
# directly; what they may import, it may import too. Every domain app may import
# the platform. `grading` may not exist yet: an app without a folder has no files
# to check, and the arrows through it still hold (degrees may import training).
DEPENDS_ON = {
    "quality": {"degrees", "grading", "training", "enrollment", "staff", "enterprises"},
    "degrees": {"grading"},
    "grading": {"training", "enterprises"},
    "training": {"enrollment", "staff"},
    "enrollment": set(),
    "staff": set(),
    "enterprises": set(),
}
APPS = {PLATFORM, *DEPENDS_ON}
NOT_APPS = {"tests", "benchmarks"}


@dataclass(frozen=True)
class Import:
    module: str  # the importing module
    path: Path
    lineno: int
    text: str  # the import statement as written
    target: str  # the imported project module (or a name inside it)
    deferred: bool  # inside a function body, so run on call, not on import

    def where(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.lineno}: {self.text}"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@cache
def project_modules() -> dict[str, Path]:
    """Every module of the apps, by dotted name."""
    modules = {}
    for app in sorted(APPS):
        for path in sorted((ROOT / app).rglob("*.py")):
            if "__pycache__" not in path.parts:
                modules[module_name(path)] = path
    return modules


def _absolute(module: str, path: Path, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module
    package = module.split(".")
    if path.name != "__init__.py":
        package.pop()
    package = package[: len(package) - (node.level - 1)]
    return ".".join(package + ([node.module] if node.module else []))


def _targets(node: ast.Import | ast.ImportFrom, module: str, path: Path) -> list[str]:
    """The project modules a statement loads; `from pkg import name` loads
    `pkg.name` when that is a submodule, else `pkg` itself."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = _absolute(module, path, node)
    modules = project_modules()
    return [
        f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base
        for alias in node.names
    ]


class _ImportCollector(ast.NodeVisitor):
    def __init__(self, module: str, path: Path, source: str):
        self.module, self.path, self.source = module, path, source
        self.depth = 0  # how many function bodies we are inside
        self.imports: list[Import] = []

    def _function(self, node):
        self.depth += 1
        self.generic_visit(node)
        self.depth -= 1

    visit_FunctionDef = visit_AsyncFunctionDef = visit_Lambda = _function

    def _import(self, node):
        text = " ".join(ast.get_source_segment(self.source, node).split())
        for target in _targets(node, self.module, self.path):
            if target.split(".")[0] in APPS:
                self.imports.append(
                    Import(self.module, self.path, node.lineno, text, target, self.depth > 0)
                )

    visit_Import = visit_ImportFrom = _import


@cache
def project_imports() -> tuple[Import, ...]:
    """Every import of a project module by a project module, module-level or not."""
    found = []
    for module, path in project_modules().items():
        source = path.read_text(encoding="utf-8")
        collector = _ImportCollector(module, path, source)
        collector.visit(ast.parse(source, filename=str(path)))
        found += collector.imports
    return tuple(found)


def allowed_apps(app: str) -> set[str]:
    """The apps `app` may import: itself, everything reachable down its arrows, and
    the platform; the platform only itself."""
    if app == PLATFORM:
        return {PLATFORM}
    reachable, todo = {app}, [app]
    while todo:
        for below in DEPENDS_ON.get(todo.pop(), ()):
            if below not in reachable:
                reachable.add(below)
                todo.append(below)
    return reachable | {PLATFORM}


def test_every_app_has_a_place_in_the_picture():
    packages = {
        path.parent.name
        for path in ROOT.glob("*/__init__.py")
        if path.parent.name not in NOT_APPS
    }
    assert packages <= APPS, (
        f"new top-level package(s) {sorted(packages - APPS)}: add them to DEPENDS_ON "
        "here and to the picture in docs/architecture.md"
    )


def test_the_picture_has_no_circle():
    for app in DEPENDS_ON:
        for below in DEPENDS_ON[app]:
            assert app not in allowed_apps(below), f"{app} and {below} depend on each other"


def test_no_import_points_up_the_picture():
    upward = [
        f"{imp.where()}  ({imp.module.split('.')[0]} may not import {imp.target.split('.')[0]})"
        for imp in project_imports()
        if imp.target.split(".")[0] not in allowed_apps(imp.module.split(".")[0])
    ]
    assert not upward, "imports against the dependency picture:\n" + "\n".join(upward)


def _resolve(target: str, modules: dict[str, Path]) -> str | None:
    """The project module a dotted target names (a name inside a module: its module)."""
    while target and target not in modules:
        target = target.rpartition(".")[0]
    return target or None


def _loaded(target: str, importer: str) -> list[str]:
    """The modules an import runs: the target and, first, each package above it that
    the importer is not itself inside (`import a.b.c` runs a/b/__init__.py too, so a
    package whose __init__ gathers its submodules is part of every import of them)."""
    loaded, package = [target], target.rpartition(".")[0]
    while package and not importer.startswith(package + "."):
        loaded.append(package)
        package = package.rpartition(".")[0]
    return loaded


def module_level_graph() -> dict[str, dict[str, list[Import]]]:
    """Module -> module it runs on import -> the statements, for imports run on import."""
    modules = project_modules()
    graph = {module: {} for module in modules}
    for imp in project_imports():
        target = _resolve(imp.target, modules)
        if imp.deferred or not target:
            continue
        for loaded in _loaded(target, imp.module):
            if loaded != imp.module and loaded in modules:
                graph[imp.module].setdefault(loaded, []).append(imp)
    return graph


def strongly_connected(graph: dict[str, dict]) -> list[set[str]]:
    """Tarjan's algorithm, iterative (import chains can be deeper than the recursion limit)."""
    index, low, on_stack, stack, components = {}, {}, set(), [], []
    for start in graph:
        if start in index:
            continue
        work = [(start, iter(graph[start]))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(graph[child])))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                components.append(component)
    return components


def _describe(component: set[str], graph) -> str:
    lines = [f"circle among {', '.join(sorted(component))}:"]
    for module in sorted(component):
        statements = {imp.where() for target, imports in graph[module].items()
                      if target in component for imp in imports}
        lines += [f"  {where}" for where in sorted(statements)]
    return "\n".join(lines)


def test_no_circle_between_files():
    graph = module_level_graph()
    cycles = [_describe(c, graph) for c in strongly_connected(graph) if len(c) > 1]
    assert not cycles, (
        "files that import each other when loaded; break it the boring way, one of them "
        "imports the other inside the function that needs it (a task imports its service "
        "in its body):\n" + "\n".join(cycles)
    )


def _is_services(module: str) -> bool:
    return "services" in module.split(".")


def test_services_import_tasks_and_tasks_import_services_on_call():
    """Celery tasks are thin wrappers: the service that queues a task imports the tasks
    module at the top; the task imports the service it runs inside its body."""
    modules = project_modules()
    wrong = []
    for imp in project_imports():
        target = _resolve(imp.target, modules) or imp.target
        if imp.module.endswith(".tasks") and _is_services(target) and not imp.deferred:
            wrong.append(f"{imp.where()}  (a task imports its service inside its body)")
        if _is_services(imp.module) and target.endswith(".tasks") and imp.deferred:
            wrong.append(f"{imp.where()}  (a service imports the tasks it queues at the top)")
    assert not wrong, "\n".join(wrong)


def test_the_checker_sees_imports_in_functions_and_relative_imports():
    """The rules above are only as good as the parser: a sample it must read right."""
    source = (
        "from . import models\nfrom .services import x\n"
        "def f():\n    import training.grading\n"
    )
    path = ROOT / "degrees" / "tasks.py"
    collector = _ImportCollector("degrees.tasks", path, source)
    collector.visit(ast.parse(source))
    found = {(imp.target, imp.deferred) for imp in collector.imports}
    assert found == {
        ("degrees.models", False),
        ("degrees.services", False),  # a package; x is a name in it, not a submodule
        ("training.grading", True),
    }
    assert collector.imports[-1].where() == "degrees/tasks.py:4: import training.grading"


def _private_imports(module: str, path: Path, source: str) -> list[str]:
    """`from x import _name` where x is another project module. A package's __init__
    may re-export a private name of its own submodule under the same dotted path a
    migration names (`from pkg.sub import f as _f`)."""
    found = []
    for node in ast.walk(ast.parse(source, filename=str(path))):
        if not isinstance(node, ast.ImportFrom):
            continue
        base = _absolute(module, path, node)
        if base.split(".")[0] not in APPS:
            continue
        own_package = path.name == "__init__.py" and base.startswith(module + ".")
        for alias in node.names:
            private = alias.name.startswith("_") and not alias.name.startswith("__")
            if private and not own_package:
                text = " ".join(ast.get_source_segment(source, node).split())
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {text}")
    return found


def test_no_module_imports_another_modules_private_name():
    found = []
    for module, path in project_modules().items():
        if "migrations" not in path.parts:
            found += _private_imports(module, path, path.read_text(encoding="utf-8"))
    assert not found, (
        "a `_name` is private to its module: make it public (and say why it is shared) or "
        "move it where both can use it:\n" + "\n".join(found))


def test_the_private_import_rule_reads_what_it_should():
    path = ROOT / "grading" / "views" / "example.py"
    flagged = _private_imports("grading.views.example", path,
                               "from grading.sheet import _secret, public\n"
                               "from django.utils.translation import gettext as _\n")
    assert flagged == ["grading/views/example.py:1: from grading.sheet import _secret, public"]
    package = ROOT / "degrees" / "models" / "__init__.py"
    assert not _private_imports("degrees.models", package,
                                "from degrees.models.register import _token as _token\n")
