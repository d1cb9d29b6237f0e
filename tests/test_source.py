"""Properties of the package's source that no single behaviour test would catch."""

from __future__ import annotations

import ast
from importlib import resources
from pathlib import Path

import pytest

PACKAGE = Path(str(resources.files("communique")))
MODULES = sorted(p.relative_to(PACKAGE).as_posix() for p in PACKAGE.rglob("*.py"))


def _top_level_bindings(tree: ast.Module) -> list[tuple[str, int]]:
    names: list[tuple[str, int]] = []
    for node in tree.body:
        if isinstance(node, ast.Assign):
            names += [(t.id, node.lineno) for t in node.targets if isinstance(t, ast.Name)]
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None:
            names.append((node.target.id, node.lineno))
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.append((node.name, node.lineno))
    return names


@pytest.mark.parametrize("module", MODULES)
def test_no_module_binds_a_top_level_name_twice(module: str) -> None:
    """A second definition replaces the first for every caller, also those written above it (quotes.py had two
    ``_SENTENCE_END`` patterns, and only the second was ever used)."""
    first: dict[str, int] = {}
    repeated = []
    for name, line in _top_level_bindings(ast.parse((PACKAGE / module).read_text(encoding="utf-8"))):
        if name in first:
            repeated.append(f"{name} (lines {first[name]} and {line})")
        first.setdefault(name, line)
    assert not repeated, f"{module} binds {', '.join(repeated)}"


MAX_FUNCTION_LINES = 200


@pytest.mark.parametrize("module", MODULES)
def test_no_function_is_longer_than_a_reader_can_hold(module: str) -> None:
    """Issue 12: no function over 200 lines (the event coder's class once was 1,290)."""
    tree = ast.parse((PACKAGE / module).read_text(encoding="utf-8"))
    long = [
        f"{node.name} (line {node.lineno}, {node.end_lineno - node.lineno + 1} lines)"
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.end_lineno is not None
        and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES
    ]
    assert not long, f"{module}: {', '.join(long)}"
