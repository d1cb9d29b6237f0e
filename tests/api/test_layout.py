"""The HTTP layer's shape (issue 12): views are short and hold no SQL; the store's query layer answers."""

from __future__ import annotations

import ast
import re
from pathlib import Path

API = Path(__file__).resolve().parents[2] / "src" / "communique" / "api"
# SQL as the query layer writes it: a statement keyword followed by what it works on.
SQL = re.compile(r"\b(SELECT\b.+\bFROM|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM)\b", re.I | re.S)


def _modules() -> list[Path]:
    return sorted(API.rglob("*.py"))


def test_no_string_in_the_http_layer_is_sql():
    found = [
        f"{path.relative_to(API)}:{node.lineno}"
        for path in _modules()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and SQL.search(node.value)
    ]
    assert not found, f"SQL text in the HTTP layer (move it to corpus/queries.py): {found}"


def test_no_function_in_the_http_layer_is_over_200_lines():
    long = [
        f"{path.relative_to(API)}:{node.name} ({node.end_lineno - node.lineno + 1} lines)"
        for path in _modules()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.end_lineno is not None
        and node.end_lineno - node.lineno + 1 > 200
    ]
    assert not long, f"functions over 200 lines: {long}"


def test_the_sql_pattern_finds_a_query():
    # The check above is only as good as its pattern: it must recognise the queries the old handlers held.
    assert SQL.search("SELECT count(*) FROM documents d WHERE d.id = ?")
    assert SQL.search("DELETE FROM stance WHERE document_id = ?")
    assert not SQL.search("Pick one from the list to select it, or insert a date into the form")
