"""The web UI in a real headless Chromium (Debian's, driven by Playwright), against a live server on loopback.

Screenshots of every page are saved under artifacts/screenshots/ for people to look at.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import shared_path
from live_server import serving

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "artifacts" / "screenshots"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

pytestmark = pytest.mark.browser

HOSTILE = """Officials report new talks between Azerbaijan and Kyrgyzstan
<script>alert('script tag ran')</script> Azerbaijani President Ilham Aliyev visited Bishkek on Tuesday.
<img src=x onerror="alert('onerror ran')"> He signed a declaration with Kyrgyz President Sadyr Japarov.
<a href="javascript:alert('link ran')">click here</a> "We are brothers," Aliyev said."""


@pytest.fixture(scope="module")
def server(analyzer):
    """A real uvicorn server on loopback over the shared test store (samples, seed, corpus articles)."""
    from web_corpus import web_store

    from communique.api.app import create_app

    db = str(web_store(analyzer))
    app = create_app(db, token="test-token")
    app.state.communique._analyzer = analyzer  # the session's model: one load for the whole test run
    with serving(app) as url:
        yield url, app


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM:
        pytest.skip("needs Debian's chromium (installed by scripts/test-services)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
            ],
        )
        yield b
        b.close()


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1300, "height": 900})
    pg = context.new_page()
    pg.dialogs, pg.console_errors = [], []
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))
    pg.on("console", lambda m: m.type == "error" and pg.console_errors.append(m.text))
    pg.on("pageerror", lambda e: pg.console_errors.append(str(e)))
    yield pg
    context.close()


# Where a chart mark is on the screen, from the chart's own layout (ECharts draws marks as unnamed SVG shapes):
# a bar's centre, a point, a graph node, or the middle of an edge's curve; then a real mouse click goes there.
_MARK_AT = """(el, [series, index, edge]) => {
  el.scrollIntoView({ block: "center" });
  const chart = echarts.getInstanceByDom(el);
  const model = chart.getModel().getSeriesByIndex(series);
  const layout = (edge ? model.getEdgeData() : model.getData()).getItemLayout(index);
  const system = model.coordinateSystem;
  const toPixel = (p) => system && system.type === "view" ? system.dataToPoint(p) : p;
  let x, y;
  if (!layout) [x, y] = chart.convertToPixel({ seriesIndex: series }, [index, model.getData().get(model.getData().mapDimension("y"), index)]);  // a line's point
  else if (Array.isArray(layout) && Array.isArray(layout[0])) {
    const [a, b, c] = layout.map(toPixel);
    const m = c || [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];
    [x, y] = [0.25 * a[0] + 0.5 * m[0] + 0.25 * b[0], 0.25 * a[1] + 0.5 * m[1] + 0.25 * b[1]];
  } else if (Array.isArray(layout)) [x, y] = toPixel(layout);
  else [x, y] = [layout.x + layout.width / 2, layout.y + layout.height / 2];
  const box = el.getBoundingClientRect();
  return [box.left + x, box.top + y];
}"""
# The first mark of a chart that has a value: [series index, data index].
_FIRST_MARK = """(el) => {
  const option = echarts.getInstanceByDom(el).getOption();
  for (let s = 0; s < option.series.length; s++) {
    const data = option.series[s].data || [];
    for (let i = 0; i < data.length; i++) {
      const v = data[i] !== null && typeof data[i] === "object" ? data[i].value : data[i];
      if (v !== null && v !== undefined && v !== "-") return [s, i];
    }
  }
  return null;
}"""


def _charts(page, kind: str = ""):
    """The page's charts (of one kind), once each is drawn."""
    page.wait_for_function("[...document.querySelectorAll('div.chart')].every((e) => e.dataset.drawn)")
    return page.locator(f"div.chart{'.' + kind if kind else ''}")


def _option(chart) -> dict:
    return chart.evaluate("(el) => JSON.parse(JSON.stringify(echarts.getInstanceByDom(el).getOption()))")


def _click_mark(page, chart, series: int | None = None, index: int | None = None, edge: bool = False) -> None:
    if series is None or index is None:
        series, index = chart.evaluate(_FIRST_MARK)
    x, y = chart.evaluate(_MARK_AT, [series, index, edge])
    page.mouse.click(x, y)


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    # From the top: scrolled, a full-page capture draws the sticky table headers where the window was.
    page.evaluate("window.scrollTo(0, 0)")
    # A full-page capture can take long on a busy machine: a late screenshot is not a failure of the page.
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True, timeout=120_000)


def test_pasted_article_is_shown_with_highlighted_spans_and_an_event_list(server, page):
    base, _ = server
    page.goto(f"{base}/ui/analyse")
    page.fill("textarea[name=text]", (ROOT / "src/communique/samples/bishkek-summit.txt").read_text())
    page.fill("input[name=published]", "2024-11-08")
    page.click("button[type=submit]")
    page.wait_for_selector("#analysis .article-text", timeout=60_000)
    actors = page.locator("#analysis mark.actor")
    assert actors.count() >= 5
    assert "Sadyr Japarov" in actors.all_inner_texts()
    assert page.locator("#analysis mark.date").count() >= 1
    # hover tells what it was coded as
    assert page.locator("#analysis mark.actor").first.get_attribute("title")
    events = page.locator("ul.events li[data-event]")
    assert events.count() >= 1
    events.first.click()  # scrolls the text to the event's evidence
    assert page.locator("mark.event.focus").count() == 1
    _shot(page, "analyse")
    assert page.console_errors == []


def test_hostile_article_is_shown_as_text_and_nothing_executes(server, page):
    base, _ = server
    page.goto(f"{base}/ui/analyse")
    page.fill("textarea[name=text]", HOSTILE)
    page.click("button[type=submit]")
    page.wait_for_selector("#analysis .article-text", timeout=60_000)
    page.wait_for_timeout(500)
    text = page.locator("#analysis .article-text").inner_text()
    assert "<script>alert('script tag ran')</script>" in text
    assert 'onerror="alert' in text
    assert page.locator("#analysis script, #analysis img, #analysis a[href^='javascript']").count() == 0
    assert page.dialogs == []
    assert page.console_errors == []
    _shot(page, "hostile-article")


def _open(page, base: str, path: str, name: str) -> None:
    page.goto(f"{base}{path}")
    page.wait_for_selector(f"#app[data-ready={name}]", timeout=30_000)
    assert page.locator("#app .error").count() == 0, page.locator("#app .error").all_inner_texts()


def test_articles_page_lists_stored_articles_and_opens_one_with_its_highlighted_analysis(server, page):
    base, _ = server
    _open(page, base, "/ui/articles", "articles")
    rows = page.locator("table.data tbody tr a")
    assert rows.count() >= 4
    _shot(page, "articles")
    page.get_by_text("Turkic leaders meet in Bishkek, sign transport and energy deals").click()
    page.wait_for_selector("#app[data-ready=article] .article-text")
    assert page.locator(".article-text mark.actor").count() >= 5
    assert page.locator("ul.events li[data-event]").count() >= 1
    assert page.get_by_text("Other articles reporting the same events").count() == 1
    _shot(page, "article")
    assert page.console_errors == []


def test_stored_article_lists_its_near_duplicates_and_the_other_reports_of_its_events(server, page):
    base, _ = server
    _open(page, base, "/ui/articles?q=Middle Corridor", "articles")
    page.get_by_text(
        "Azerbaijan, Georgia and Kazakhstan agree to expand Middle Corridor freight"
    ).first.click()
    page.wait_for_selector("#app[data-ready=article] .article-text")
    copy = page.get_by_role("link", name="Middle Corridor (wire copy)")
    assert copy.get_attribute("href") == "https://example.org/wire/middle-corridor"
    assert "exact copy · wire copy" in page.locator("#app").inner_text()
    page.get_by_role("link", name="Bayramov holds rail freight talks in Tbilisi").click()  # the same talks
    page.wait_for_selector("#app[data-ready=article] .article-text")
    assert page.locator("#app h1").inner_text() == "Bayramov holds rail freight talks in Tbilisi"
    back = page.get_by_role(
        "link", name="Azerbaijan, Georgia and Kazakhstan agree to expand Middle Corridor freight"
    )
    assert back.count() == 1  # and it lists the first report among its own related articles
    _shot(page, "article-related")
    assert page.console_errors == []


def test_events_page_lists_filtered_events_with_download_links(server, page):
    base, _ = server
    _open(page, base, "/ui/events?actor=AZE", "events")
    rows = page.locator("table.data tbody tr")
    assert rows.count() >= 1
    assert "AZE" in page.locator("table.data tbody").inner_text()
    csv = page.get_by_role("link", name="CSV").get_attribute("href")
    assert csv.startswith("/api/events/export") and "actor=AZE" in csv
    _shot(page, "events")
    assert page.console_errors == []


def test_actor_page_shows_the_knowledge_base_profile_timeline_and_stance(server, page):
    base, _ = server
    _open(page, base, "/ui/actor/AZE", "actor")
    assert "Republic of Azerbaijan" in page.locator("#app").inner_text()
    timeline, stance = _option(_charts(page, "bars").first), _option(_charts(page, "stance").first)
    assert sum(v or 0 for s in timeline["series"] for v in s["data"]) >= 1
    assert len(stance["series"][0]["data"]) >= 1
    assert page.locator("table.data").nth(0).locator("tbody tr td").first.inner_text() != "No data."
    _shot(page, "actor")
    assert page.console_errors == []


def test_actor_stance_bar_click_lists_the_sentences_each_article_was_read_from(server, page):
    base, _ = server
    _open(page, base, "/ui/actor/GEO", "actor")
    source = "communique sample"  # the Middle Corridor sample: Georgia's prime minister welcomes the decision
    chart = _charts(page, "stance").first
    names = _option(chart)["yAxis"][0]["data"]
    _click_mark(page, chart, 0, next(i for i, n in enumerate(names) if n.endswith(f") {source}")))
    page.wait_for_selector("#evidence[data-ready]")
    assert f"How {source} wrote about" in page.locator("#evidence h2").inner_text()
    assert page.locator("#evidence table.data tbody tr a").count() >= 1
    assert page.locator("#evidence p.sentence").count() >= 1
    assert page.console_errors == []


def test_actor_timeline_bar_lists_events_with_the_actor_on_either_side(server, page):
    base, _ = server
    _open(page, base, "/ui/actor/KGZ", "actor")
    _click_mark(page, _charts(page, "bars").first)
    page.wait_for_selector("#app[data-ready=events]")
    assert "party=KGZ" in page.url
    rows = page.locator("table.data tbody tr")
    assert rows.count() >= 1 and all("KGZ" in r for r in rows.all_inner_texts())
    assert page.console_errors == []


def test_relations_page_charts_the_seed_dyad_with_its_evidence(server, page):
    base, _ = server
    shared_path("seed", "baku-bishkek.txt")
    _open(page, base, "/ui/relations?a=AZE&b=KGZ&by=month", "relations")
    line, bars = _charts(page, "line").first, _charts(page, "bars").first
    assert any(v is not None for v in _option(line)["series"][0]["data"])
    assert "Kyrgyz" in page.locator("table.data tbody").inner_text()
    _shot(page, "relations")
    series, index = bars.evaluate(_FIRST_MARK)  # a mark lists the events behind it
    option = _option(bars)
    event_type, period = option["series"][series]["name"], option["xAxis"][0]["data"][index]
    _click_mark(page, bars, series, index)
    page.wait_for_selector("#evidence[data-ready]")
    assert page.locator("#evidence h2").inner_text().startswith(f"{event_type} AZE → KGZ in {period}")
    rows = page.locator("#evidence table.data tbody tr")
    assert rows.count() >= 1
    assert all(event_type in r and "AZE → KGZ" in r for r in rows.all_inner_texts())
    # a point of the score line: the events of every type in its period
    _click_mark(page, line)
    page.locator("#evidence[data-ready] h2", has_text=re.compile("^Events")).wait_for()
    assert page.locator("#evidence table.data tbody tr").count() >= rows.count()
    page.locator("#evidence table.data tbody tr a").first.click()  # the evidence sentence opens its article
    page.wait_for_selector("#app[data-ready=article] .article-text")
    assert page.console_errors == []


def test_convergence_page_charts_the_dyadic_score_and_stance_similarity_and_a_point_lists_its_events(
    server, page
):
    shared_path("corpora", "allsides-geopolitics.jsonl.gz")  # the US and Russia, and their third parties
    base, _ = server
    _open(page, base, "/ui/relations?a=USA&b=RUS&by=year", "relations")
    page.get_by_role("link", name="convergence of USA and RUS").click()  # the Relations page leads here
    page.wait_for_selector("#app[data-ready=convergence]")
    assert page.locator("#app .error").count() == 0
    score, similarity = _charts(page, "line").nth(0), _charts(page, "line").nth(1)
    assert score.evaluate(_FIRST_MARK) is not None
    assert similarity.evaluate(_FIRST_MARK) is not None
    assert "Score trend" in page.locator("#app").inner_text()
    _shot(page, "convergence")

    series, index = score.evaluate(_FIRST_MARK)
    period = _option(score)["xAxis"][0]["data"][index]
    _click_mark(page, score, series, index)
    page.wait_for_selector("#evidence[data-ready]")
    evidence = page.locator("#evidence")
    assert f"Events between USA and RUS in {period}" in evidence.locator("h2").inner_text()
    rows = evidence.locator("table.data tbody tr")
    assert rows.count() >= 1
    assert all("USA" in r and "RUS" in r for r in rows.all_inner_texts())

    series, index = similarity.evaluate(_FIRST_MARK)
    period = _option(similarity)["xAxis"][0]["data"][index]
    _click_mark(page, similarity, series, index)
    page.locator("#evidence[data-ready] h2", has_text=f"third parties in {period}").wait_for()
    assert evidence.locator("table.data tbody tr").count() >= 2  # each of the two with a shared party
    _shot(page, "convergence-evidence")
    evidence.locator("table.data tbody tr a").first.click()  # and from the list to the article
    page.wait_for_selector("#app[data-ready=article] .article-text")
    assert page.console_errors == []


def test_stored_article_full_of_markup_is_shown_as_text_wherever_its_text_appears(server, page):
    from web_corpus import HOSTILE_STORED

    base, _ = server

    def nothing_ran() -> None:
        assert page.locator("#app script, #app img, #app a[href^='javascript'], #app [onerror]").count() == 0
        assert page.dialogs == [] and page.console_errors == []

    _open(
        page,
        base,
        "/ui/events?source=hostile wire&status=realized,historical,future,hypothetical,negated&min_confidence=0",
        "events",
    )
    assert "onerror=\"alert('stored onerror ran')\"" in page.locator("table.data tbody").inner_text()
    nothing_ran()
    page.locator("table.data tbody tr a").first.click()
    page.wait_for_selector("#app[data-ready=article] .article-text")
    assert page.locator("#app h1").inner_text() == HOSTILE_STORED["title"]
    assert "<script>alert('stored script ran')</script>" in page.locator(".article-text").inner_text()
    assert "javascript:alert('stored link ran')" in page.locator(".article-text").inner_text()
    nothing_ran()
    _open(page, base, "/ui/convergence?a=AZE&b=KGZ&by=year", "convergence")
    score = _charts(page, "line").first
    _click_mark(page, score, 0, _option(score)["xAxis"][0]["data"].index("2022"))
    page.wait_for_selector("#evidence[data-ready]")
    assert "<img src=x onerror=\"alert('stored onerror ran')\">" in page.locator("#evidence").inner_text()
    _shot(page, "hostile-stored-article")
    nothing_ran()


def test_actors_page_lists_actors_linking_to_their_profiles(server, page):
    base, _ = server
    _open(page, base, "/ui/actors", "actors")
    assert page.locator("table.data tbody tr a").count() >= 10
    page.locator("table.data tbody tr a", has_text="RUS").first.click()
    page.wait_for_selector("#app[data-ready=actor]")
    assert "Russia" in page.locator("#app h1").inner_text()
    _shot(page, "actors")
    assert page.console_errors == []


def test_balance_page_draws_shares_by_centre_and_the_evenness_index(server, page):
    shared_path("seed", "baku-bishkek.txt")  # AZE's engagement with the centres comes from the seed
    base, _ = server
    _open(page, base, "/ui/balance?country=AZE", "balance")
    shares, evenness = _charts(page, "bars").first, _charts(page, "line").first
    assert shares.evaluate(_FIRST_MARK) is not None and evenness.evaluate(_FIRST_MARK) is not None
    assert _option(shares)["yAxis"][0]["max"] == 100  # shares in per cent, each bar with its count under it
    assert all("\nn=" in label for label in _option(shares)["xAxis"][0]["data"])
    _shot(page, "balance")
    assert page.console_errors == []


def test_balance_segment_click_lists_the_countrys_events_with_that_centre(server, page):
    shared_path("seed", "baku-bishkek.txt")
    base, _ = server
    _open(page, base, "/ui/balance?country=AZE", "balance")
    _click_mark(page, _charts(page, "bars").first)
    page.wait_for_selector("#evidence[data-ready]")
    assert "AZE's events with" in page.locator("#evidence h2").inner_text()
    rows = page.locator("#evidence table.data tbody tr")
    assert rows.count() >= 1 and "No data." not in rows.first.inner_text()
    assert all("AZE" in r for r in rows.all_inner_texts())
    assert page.console_errors == []


def test_map_page_shades_partner_countries_of_the_chosen_country(server, page):
    base, _ = server
    _open(page, base, "/ui/map?country=RUS", "map")
    chart = _charts(page, "map").first
    option = _option(chart)
    assert chart.locator("path").count() > 100
    assert len(option["series"][0]["data"]) >= 2  # the country itself and at least one partner
    assert option["visualMap"][0]["text"] == ["cooperative", "conflictual"]  # the colour scale, with its ends
    _shot(page, "map")
    assert page.console_errors == []


def test_network_node_click_lands_on_the_actor_page(server, page):
    base, _ = server
    _open(page, base, "/ui/network?min_events=1", "network")
    chart = _charts(page, "network").first
    graph = _option(chart)["series"][0]
    names = [n["name"] for n in graph["data"]]
    assert len(names) >= 3 and len(graph["links"]) >= 2
    _shot(page, "network")
    code = "CHN" if "CHN" in names else names[0]
    _click_mark(page, chart, 0, names.index(code))
    page.wait_for_selector("#app[data-ready=actor]")
    assert page.url.endswith(f"/ui/actor/{code}")
    assert code in page.locator("#app h1").inner_text()
    assert page.console_errors == []


def test_network_filtered_to_one_actor_draws_only_that_actors_relations(server, page):
    base, _ = server
    _open(page, base, "/ui/network?min_events=1&actor=AZE", "network")
    graph = _option(_charts(page, "network").first)["series"][0]
    codes = {n["name"] for n in graph["data"]}
    assert "AZE" in codes and len(codes) >= 2
    assert len(graph["links"]) <= 2 * (len(codes) - 1)
    assert all("AZE" in (link["source"], link["target"]) for link in graph["links"])
    assert page.console_errors == []


def test_network_edge_opens_the_dyads_relations_with_their_evidence(server, page):
    base, _ = server
    _open(page, base, "/ui/network?min_events=1&actor=AZE&since=2022-01-01", "network")
    _click_mark(page, _charts(page, "network").first, 0, 0, edge=True)  # the middle of the first edge's arc
    page.wait_for_selector("#app[data-ready=relations]")
    assert "a=" in page.url and "b=" in page.url and "since=2022-01-01" in page.url
    rows = page.locator("table.data tbody tr")
    assert rows.count() >= 1 and "No data." not in rows.first.inner_text()
    assert page.console_errors == []


# -- every page at a laptop's and a phone's width ---------------------------------------------------------------

PAGES = {
    "analyse": "/ui/analyse",
    "articles": "/ui/articles",
    "article": None,  # the first stored article, found at run time
    "events": "/ui/events",
    "actors": "/ui/actors",
    "actor": "/ui/actor/AZE",
    "relations": "/ui/relations?a=AZE&b=KGZ&by=month",
    "balance": "/ui/balance?country=AZE",
    "convergence": "/ui/convergence?a=AZE&b=KGZ&by=year",
    "network": "/ui/network?min_events=1",
    "map": "/ui/map?country=RUS",
    "outlets": "/ui/outlets",
}
# What a chart of each kind must show besides its data; a network and a map have no axes (they are not plots
# of values against values): the network has a legend of its edge colours and a note on its arrows, the map a
# colour scale.
_CHART_PARTS = """(el) => {
  const o = echarts.getInstanceByDom(el).getOption();
  const kind = el.classList[1];
  const has = (k) => Array.isArray(o[k]) ? o[k].length > 0 : !!o[k];
  const missing = [];
  if (kind !== "map" && !(has("legend") && o.legend[0].data && o.legend[0].data.length)) missing.push("legend");
  if (kind !== "map" && kind !== "network") {
    if (!has("xAxis") || !has("yAxis")) missing.push("axes");
    else if (!(o.xAxis[0].name || o.yAxis[0].name)) missing.push("axis name (unit)");
  }
  if (kind === "map" && !has("visualMap")) missing.push("colour scale");
  if (!o.tooltip || !o.tooltip.length) missing.push("tooltip");
  if (!(o.toolbox && o.toolbox[0].feature.saveAsImage)) missing.push("image export");
  return missing;
}"""


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("name", list(PAGES))
def test_every_page_at_laptop_and_phone_width_fits_and_its_charts_have_axes_and_legends(
    server, browser, name, width
):
    base, _ = server
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    path = PAGES[name]
    if path is None:
        _open(page, base, "/ui/articles", "articles")
        path = page.locator("table.data tbody tr a").first.get_attribute("href")
    _open(page, base, path, name)
    charts = _charts(page)
    for i in range(charts.count()):
        assert charts.nth(i).evaluate(_CHART_PARTS) == [], f"chart {i} of {name}"
    scroll = page.evaluate("document.documentElement.scrollWidth")
    if width == 390:
        assert scroll <= 390, f"{name} scrolls sideways: {scroll} px wide"
        smallest = page.evaluate(
            "Math.min(99, ...[...document.querySelectorAll('div.chart svg text')]"
            ".map((t) => parseFloat(getComputedStyle(t).fontSize)))"
        )
        assert smallest >= 10, f"chart text of {smallest} px on {name}"  # it shrank to 3 px with the page
        assert page.locator("header nav").is_hidden()  # folded behind the Menu button
        page.get_by_role("button", name="Menu").click()
        assert page.locator("header nav").is_visible()
        page.get_by_role("button", name="Menu").click()
    _shot(page, f"{name}-{width}")
    assert errors == []
    context.close()


def test_network_edges_are_drawn_from_actor_to_recipient_with_arrowheads(server, page):
    base, _ = server
    _open(page, base, "/ui/network?min_events=1", "network")
    graph = _option(_charts(page, "network").first)["series"][0]
    assert graph["edgeSymbol"] == ["none", "arrow"]  # the arrowhead at the recipient's end
    # A→B and B→A are two arcs, not one line drawn over the other
    assert all(link["lineStyle"]["curveness"] > 0 for link in graph["links"])
    assert "Arrow: from the actor to the recipient" in page.locator("#app").inner_text()


def test_api_docs_render_with_no_request_leaving_the_machine(server, page):
    base, _ = server
    foreign: list[str] = []

    def only_this_server(route) -> None:
        if route.request.url.startswith(base):
            route.continue_()
        else:
            foreign.append(route.request.url)
            route.abort()

    page.route("**/*", only_this_server)
    page.goto(f"{base}/docs")
    page.wait_for_selector(".swagger-ui .info .title", timeout=30_000)
    assert "communique" in page.locator(".swagger-ui .info .title").inner_text()
    assert page.locator(".opblock").count() >= 10  # every operation listed
    _shot(page, "api-docs")
    assert foreign == []
    assert page.console_errors == []


def test_article_page_names_its_outlet_and_date_tints_sentence_kinds_and_names_techniques(server, page):
    shared_path("seed", "baku-bishkek.txt")  # an opinion piece with persuasion techniques
    base, _ = server
    _open(page, base, "/ui/articles?source=seed", "articles")
    page.locator("table.data tbody tr a").first.click()
    page.wait_for_selector("#app[data-ready=article] .article-text")
    byline = page.locator("p.byline").inner_text()
    assert "seed" in byline and "published 2022-10-13" in byline and "opinion" in byline
    text = page.locator(".article-text")
    opinion = text.locator("span.kind-opinion").first
    plain = opinion.evaluate("(el) => getComputedStyle(el).backgroundColor")
    page.check("input[name=kinds]")  # the toggle tints report / quote / opinion sentences
    assert opinion.evaluate("(el) => getComputedStyle(el).backgroundColor") != plain
    technique = text.locator("mark.rhetoric[data-technique]").first
    name = technique.get_attribute("data-technique")
    assert (
        technique.evaluate("(el) => getComputedStyle(el, '::after').content") == f'"{name}"'
    )  # shown, not hover-only
    quotes = page.locator("ul.quotes li")
    assert quotes.count() >= 1 and not any(q.endswith("…") for q in quotes.all_inner_texts())
    _shot(page, "article-tinted")
    assert page.console_errors == []


def test_articles_page_filters_by_genre_and_outlet_and_shows_snippets_with_the_matched_words(server, page):
    base, _ = server
    _open(page, base, "/ui/articles?q=Bishkek&genre=news", "articles")
    rows = page.locator("table.data tbody tr")
    assert rows.count() >= 1
    assert all(r.rstrip().endswith("news") for r in rows.all_inner_texts())
    assert page.locator("table.data .snippet mark.hit").first.inner_text().lower().startswith("bishkek")
    _open(page, base, "/ui/articles?source=seed", "articles")
    assert page.locator("table.data tbody tr").count() == 1
    assert page.locator("table.data .snippet").first.inner_text()  # the opening words, without a search
    assert page.console_errors == []


def test_outlets_page_compares_opinion_persuasion_events_and_stance_per_outlet(server, page):
    base, _ = server
    _open(page, base, "/ui/outlets", "outlets")
    chart = _option(_charts(page, "outlets").first)
    assert [s["name"] for s in chart["series"]] == [
        "opinion sentences, %",
        "persuasion techniques per 100 sentences",
    ]
    table = page.locator("table.data tbody").inner_text()
    assert "% of" in table and "per 100 sentences" in table
    assert page.locator("table.data tbody tr").count() >= 5
    _shot(page, "outlets")
    assert page.console_errors == []


def test_events_per_100_articles_divide_each_period_by_the_articles_stored_then(server, page):
    base, _ = server
    _open(page, base, "/ui/relations?a=AZE&b=KGZ&by=year", "relations")
    counts = _option(_charts(page, "bars").first)
    assert counts["series"][-1]["name"] == "articles stored"  # coverage beside every chart of counts
    page.check("input[name=per100]")
    page.wait_for_url(re.compile("per=100"))
    page.wait_for_selector("#app[data-ready=relations]")
    normalised = _option(_charts(page, "bars").first)
    assert normalised["yAxis"][0]["name"].endswith("per 100 articles stored")
    assert page.console_errors == []


def test_an_axis_fits_the_data_and_says_which_far_off_events_it_leaves_out(server, page):
    base, _ = server
    _open(page, base, "/ui/analyse", "analyse")
    rows = [{"period": "1978", "events": 1}] + [{"period": str(y), "events": 5} for y in range(2013, 2020)]
    fitted = page.evaluate("(rows) => fitPeriods(rows, (r) => r.events)", rows)
    assert [r["period"] for r in fitted["rows"]] == [str(y) for y in range(2013, 2020)]
    assert "1 event(s) before 2013 left out" in fitted["note"]
    dense = page.evaluate("(rows) => fitPeriods(rows, (r) => r.events)", rows[1:])
    assert len(dense["rows"]) == 7 and dense["note"] == ""  # nothing far off: nothing left out


def test_a_points_tooltip_says_how_many_articles_stand_behind_its_period(server, page):
    base, _ = server
    _open(page, base, "/ui/convergence?a=AZE&b=KGZ&by=year", "convergence")
    chart = _charts(page, "line").first
    series, index = chart.evaluate(_FIRST_MARK)
    x, y = chart.evaluate(_MARK_AT, [series, index, False])
    page.mouse.move(x, y)
    page.wait_for_function(
        "(el) => el.textContent.includes('articles stored in the period')", arg=chart.element_handle()
    )
    assert "dyadic mean score" in chart.inner_text() or "dyadic mean score" in chart.text_content()
