"""docs/web.md's route table is the app's routes: a route missing from the doc, or documented but absent, fails."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ROW = re.compile(r"^\|\s*(GET|POST|PATCH|PUT|DELETE)\s*\|\s*`([^`]+)`\s*\|", re.M)


def documented() -> set[tuple[str, str]]:
    text = (ROOT / "docs" / "web.md").read_text(encoding="utf-8")
    section = text.split("\n## Routes\n", 1)[1].split("\n## ", 1)[0]
    return {(method, path) for method, path in ROW.findall(section)}


def served() -> set[tuple[str, str]]:
    from fastapi.routing import APIRoute

    from communique.api.app import create_app

    app = create_app(":memory:", token="t")
    return {(method, r.path) for r in app.routes if isinstance(r, APIRoute) for method in r.methods}


def test_every_route_the_app_serves_is_in_the_doc_and_every_documented_route_is_served():
    doc, app = documented(), served()
    assert app - doc == set(), f"served but not in docs/web.md's route table: {sorted(app - doc)}"
    assert doc - app == set(), f"in docs/web.md's route table but not served: {sorted(doc - app)}"


def test_the_route_table_is_read_from_the_doc():
    # The check above compares what it reads: the table must be found, not an empty set that matches nothing.
    doc = documented()
    assert ("GET", "/api/documents/{document_id}") in doc and ("PATCH", "/api/documents/{document_id}") in doc
    assert len(doc) > 20
