"""Issue 15 in a real Chromium: the Outlets page names each outlet's bias rating where the input gave one, and
every chart that counts events or sums scores has a "per 100 articles" option (Relations, Actor, Balance).

Screenshots: artifacts/screenshots/outlets-bias.png, relations-per100.png, balance-per100.png.
"""

from __future__ import annotations

import re

import pytest

from tests.api.test_web import _charts, _open, _option, _shot, browser, page, server  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser


def test_the_outlets_page_shows_each_outlets_allsides_rating_beside_it(server, page):  # noqa: F811
    base, app = server
    from communique.corpus.queries import outlets

    rated = {o["source"]: o["bias"] for o in outlets(app.state.communique.store, 100)["items"] if o["bias"]}
    if not rated:
        pytest.skip(
            "the test store has no rated outlet (needs ../shared/corpora/allsides-geopolitics.jsonl.gz)"
        )
    _open(page, base, "/ui/outlets", "outlets")
    rows = page.locator("table.data tbody tr")
    shown = {}
    for i in range(rows.count()):
        cell = rows.nth(i).locator("td").first
        badge = cell.locator(".badge.bias")
        shown[cell.locator("a").inner_text()] = badge.inner_text() if badge.count() else None
    assert {s: b for s, b in shown.items() if b} == {s: f"AllSides: {b}" for s, b in rated.items()}
    assert shown["hostile wire"] is None  # no rating in its input: no label
    labels = _option(_charts(page, "outlets").first)["yAxis"][0]["data"]  # "(3) NPR Online News · center"
    marked = {
        label.split(") ", 1)[1].rsplit(" · ", 1)[0]: label.rsplit(" · ", 1)[1]
        for label in labels
        if " · " in label
    }
    assert marked and all(rated[source] == bias for source, bias in marked.items())
    _shot(page, "outlets-bias")
    assert page.console_errors == []


def _per100(tab, base: str, path: str, name: str):
    """The page's charts before and after ticking "per 100 articles"."""
    _open(tab, base, path, name)
    before = [_option(c) for c in _charts(tab).all()]
    tab.check("input[name=per100]")
    tab.wait_for_url(re.compile("per=100"))
    tab.wait_for_selector(f"#app[data-ready={name}]")
    return before, [_option(c) for c in _charts(tab).all()]


def _values(option, series: int = 0) -> list:
    return [v if not isinstance(v, dict) else v.get("value") for v in option["series"][series]["data"]]


def test_the_relations_score_line_per_100_articles_divides_each_period_by_its_coverage(server, page):  # noqa: F811
    base, _ = server
    before, after = _per100(page, base, "/ui/relations?a=AZE&b=KGZ&by=year", "relations")
    line_before, line_after = before[0], after[0]
    assert line_after["yAxis"][0]["name"] == "sum of PLOVER scores per 100 articles stored"
    coverage = _values(before[1], len(before[1]["series"]) - 1)  # the bars' dashed line: articles per period
    expected = [
        None if v is None else (round(10000 * v / n) / 100 if n else None)
        for v, n in zip(_values(line_before), coverage, strict=True)
    ]
    assert _values(line_after) == expected and any(v for v in expected)
    assert after[1]["yAxis"][0]["name"].endswith("per 100 articles stored")  # the bars follow the same switch
    _shot(page, "relations-per100")
    assert page.console_errors == []


def test_balance_per_100_articles_draws_each_centres_cooperative_events_per_100_stored_articles(server, page):  # noqa: F811
    base, _ = server
    before, after = _per100(page, base, "/ui/balance?country=AZE&by=year", "balance")
    shares, per100 = before[0], after[0]
    assert shares["yAxis"][0]["name"] == "share of cooperative events, %"
    assert per100["yAxis"][0]["name"] == "cooperative events per 100 articles stored"
    centres = [s["name"] for s in per100["series"] if s["name"] != "articles stored"]
    coverage = _values(per100, len(per100["series"]) - 1)
    totals = [sum(_values(per100, j)[i] or 0 for j in range(len(centres))) for i in range(len(coverage))]
    # a period's bar is its cooperative events (n=, under its label) per 100 of the articles stored then
    counts = [int(label.rsplit("n=", 1)[1]) for label in per100["xAxis"][0]["data"]]
    for total, n, stored in zip(totals, counts, coverage, strict=True):
        assert total == pytest.approx(100 * n / stored if stored else 0, abs=0.05 * len(centres))
    assert any(counts)
    assert "per 100 articles stored" in page.locator("h2").first.inner_text()
    _shot(page, "balance-per100")
    assert page.console_errors == []


def test_convergence_says_why_its_means_have_no_per_100_option(server, page):  # noqa: F811
    base, _ = server
    _open(page, base, "/ui/convergence?a=AZE&b=KGZ&by=year", "convergence")
    assert page.locator("input[name=per100]").count() == 0
    assert "do not grow with the number of articles" in page.locator(".per100-none").inner_text()
