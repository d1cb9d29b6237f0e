"""One home per vocabulary (issue 12): the web UI takes the PLOVER types and quad classes from the API, which
reads them from data/vocabulary/plover_types.yaml; app.js does not repeat them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.api.test_web import _open, browser, page, server  # noqa: F401  (fixtures)

ROOT = Path(__file__).resolve().parents[2]
APP_JS = ROOT / "src" / "communique" / "api" / "web" / "static" / "app.js"


def test_the_vocabulary_endpoint_lists_every_plover_type_with_its_quad_class_in_the_manuals_order():
    from communique.api.app import create_app
    from communique.vocabulary import COOPERATIVE_QUADS, PLOVER_TYPES, QUAD_CLASSES, QUADS

    with TestClient(
        create_app(":memory:", token="t"), base_url="http://127.0.0.1", client=("127.0.0.1", 1)
    ) as c:
        answer = c.get("/api/vocabulary").json()
    assert [t["type"] for t in answer["types"]] == list(PLOVER_TYPES)
    assert {t["type"]: t["quad_class"] for t in answer["types"]} == QUAD_CLASSES
    assert [q["name"] for q in answer["quad_classes"]] == list(QUADS)
    cooperative = {t["type"] for t in answer["types"] if t["cooperative"]}
    assert cooperative == {t for t, q in QUAD_CLASSES.items() if q in COOPERATIVE_QUADS}
    assert "AGREE" in cooperative and "ASSAULT" not in cooperative


def test_the_web_script_names_no_plover_type_and_no_quad_class():
    from communique.vocabulary import PLOVER_TYPES, QUADS

    script = APP_JS.read_text(encoding="utf-8")
    named = [t for t in (*PLOVER_TYPES, *QUADS) if re.search(rf"[\"'`]{t}[\"'`]|\b{t}\s*:", script)]
    assert named == [], f"app.js repeats vocabulary it should fetch from /api/vocabulary: {named}"


@pytest.mark.browser
def test_the_events_page_offers_the_types_the_api_lists_and_colours_them_by_quad_class(server, page):  # noqa: F811
    from communique.vocabulary import COOPERATIVE_TYPES, PLOVER_TYPES

    base, _ = server
    _open(page, base, "/ui/events", "events")
    offered = page.locator("select[name=type] option").evaluate_all("(os) => os.map((o) => o.value)")
    assert offered == ["", *PLOVER_TYPES]
    cooperative = page.evaluate("() => [...PLOVER_COOP]")
    assert set(cooperative) == set(COOPERATIVE_TYPES)
    colours = page.evaluate("() => PLOVER_COLORS")
    assert list(colours) == list(PLOVER_TYPES) and len(set(colours.values())) == len(PLOVER_TYPES)
    assert page.console_errors == []
