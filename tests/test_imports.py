"""How the package's modules depend on one another: no import cycles, no reaching into another module's private
names, and every module importable on its own in a fresh interpreter."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "src"
PACKAGE = SOURCE / "communique"


@dataclass(frozen=True)
class ImportedName:
    module: str  # the importing module
    target: str  # the module imported from
    name: str  # the name imported (None for `import x`)
    line: int


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SOURCE).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def package_modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py")) if "__pycache__" not in p.parts}


def _type_checking_only(node: ast.AST) -> bool:
    test = node.test if isinstance(node, ast.If) else None
    return isinstance(test, ast.Name | ast.Attribute) and ast.unparse(test).endswith("TYPE_CHECKING")


def imports_of(module: str, path: Path) -> list[ImportedName]:
    """Every import statement of a module, at the top or inside a function (a deferred import still depends),
    except those under ``if TYPE_CHECKING:``, which never run."""
    found: list[ImportedName] = []

    def visit(node: ast.AST) -> None:
        if _type_checking_only(node):
            return
        if isinstance(node, ast.Import):
            found.extend(ImportedName(module, alias.name, "", node.lineno) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
                base = base[: len(base) - node.level + 1]
                target = ".".join([*base, *([node.module] if node.module else [])])
            else:
                target = node.module or ""
            found.extend(ImportedName(module, target, alias.name, node.lineno) for alias in node.names)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    return [i for i in found if i.target == "communique" or i.target.startswith("communique.")]


def dependency_graph() -> dict[str, set[str]]:
    """module -> the package modules it imports (``from a import b`` depends on module ``a.b`` if there is one)."""
    modules = package_modules()
    graph: dict[str, set[str]] = {m: set() for m in modules}
    for module, path in modules.items():
        for imported in imports_of(module, path):
            submodule = f"{imported.target}.{imported.name}"
            graph[module].add(submodule if submodule in modules else imported.target)
    return graph


def import_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle through every strongly connected group of modules (Tarjan), each as a closed path."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def connect(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in graph:
                continue
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1 or v in graph.get(v, ()):
                groups.append(group)

    for v in sorted(graph):
        if v not in index:
            connect(v)
    return [_closed_path(graph, set(group)) for group in groups]


def _closed_path(graph: dict[str, set[str]], group: set[str]) -> list[str]:
    """A path from the group's first module back to itself inside the group (breadth first: the shortest)."""
    start = min(group)
    paths = {start: [start]}
    frontier = [start]
    while frontier:
        following = []
        for v in frontier:
            for w in sorted(graph[v] & group):
                if w == start:
                    return [*paths[v], start]
                if w not in paths:
                    paths[w] = [*paths[v], w]
                    following.append(w)
        frontier = following
    return sorted(group)


def private_imports() -> list[str]:
    """``from a import _b`` where ``_b`` is not a module: a private name of another module."""
    modules = package_modules()
    found = []
    for module, path in modules.items():
        for imported in imports_of(module, path):
            name = imported.name
            private = name.startswith("_") and not (name.startswith("__") and name.endswith("__"))
            if private and f"{imported.target}.{name}" not in modules:
                found.append(f"{module}:{imported.line} imports {name} from {imported.target}")
    return found


# -- the checks themselves ------------------------------------------------------------------------------------


def test_the_cycle_finder_reports_a_cycle_and_only_a_cycle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": {"e"}}
    assert sorted(import_cycles(graph)) == [["a", "b", "c", "a"], ["e", "e"]]
    assert import_cycles({"a": {"b"}, "b": set()}) == []


def test_imports_are_read_inside_functions_and_not_under_type_checking(tmp_path):
    path = tmp_path / "m.py"
    path.write_text(
        "from typing import TYPE_CHECKING\n"
        "from communique.document import Document\n"
        "if TYPE_CHECKING:\n"
        "    from communique.kb.knowledge import KnowledgeBase\n"
        "def f():\n"
        "    from communique.pipeline import _as_document\n"
        "    from . import sibling\n",
        encoding="utf-8",
    )
    found = {(i.target, i.name) for i in imports_of("communique.ingest.m", path)}
    assert found == {
        ("communique.document", "Document"),
        ("communique.pipeline", "_as_document"),
        ("communique.ingest", "sibling"),
    }


def test_no_module_of_the_package_imports_itself_back():
    """A cycle makes a module's names depend on the order it happens to be imported in (and hides a layer
    reaching back up: ingestion imported the pipeline that imports ingestion)."""
    assert [" -> ".join(cycle) for cycle in import_cycles(dependency_graph())] == []


def test_no_module_imports_another_modules_private_names():
    """A name starting with an underscore may change without notice; what another module needs is made public,
    with a docstring."""
    assert private_imports() == []


def test_every_module_imports_on_its_own_in_a_fresh_interpreter():
    """Each module imported first, in its own interpreter: a cycle or a missing import shows up as an error that
    an import order which happens to work elsewhere would hide. Extras not installed here are skipped."""
    optional = ("ray", "torch", "transformers", "psycopg", "playwright")
    script = (
        "import importlib, sys\n"
        "failed = []\n"
        "for name in sys.argv[1:]:\n"
        "    for loaded in [m for m in sys.modules if m == 'communique' or m.startswith('communique.')]:\n"
        "        del sys.modules[loaded]\n"
        "    try:\n"
        "        importlib.import_module(name)\n"
        "    except ModuleNotFoundError as exc:\n"
        f"        if (exc.name or '').split('.')[0] not in {optional!r}:\n"
        "            failed.append(f'{name}: {exc!r}')\n"
        "    except Exception as exc:\n"
        "        failed.append(f'{name}: {exc!r}')\n"
        "print('\\n'.join(failed))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, *package_modules()],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(SOURCE)},
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""
